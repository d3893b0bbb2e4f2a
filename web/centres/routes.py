"""Centres: the directory, registration, each centre's profile and the commands on it.

Each command is one route: its ``Action`` (the command's name and its form) in the route's ``opt``, and
the one application method it calls in its body. A centre's own coordinator may change its records."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.plugins.htmx import HTMXRequest, HTMXTemplate
from litestar.response import Redirect, Template

from web.centres.forms import (
    CentreForm, LabelDateForm, LabelInspectionForm, LabelValidityForm, LabelWithdrawalForm, MotivationForm,
    ProfileForm, StaffForm, StaffRefForm,
)
from web.centres.pages import directory_context, profile_context, public_directory_context, public_profile_context
from web.live import reads as live
from web.commands import Action, action_of, answer, answer_created, run_command
from web.context import Services
from web.forms import Form, NoFields, ReasonForm, command_fields
from web.paths import uuid_or_404
from web.policy import Subject


def on_centre(
    request: HTMXRequest, services: Services, centre_id: str, data: Form, call: Callable[[UUID, Any], Any],
    check: Callable[[UUID, dict[str, Any]], Any] | None = None,
) -> Template | Redirect:
    """Runs the route's command on one centre (``call`` gets its id and the parsed form; ``check``, the
    command's checks, its id and the fields as far as they could be read) and answers with the centre's
    profile."""
    uuid = uuid_or_404(centre_id)
    outcome = run_command(
        request, services, data, lambda form: call(uuid, form), subject=lambda form: Subject(owner_centre_id=uuid),
        check=(lambda fields: check(uuid, fields)) if check is not None else None,
    )
    form_id = action_of(request).form_id
    return answer(
        request, outcome, done=f"/centres/{centre_id}", page="centres/profile.html",
        panel="centres/_profile_panel.html", context=lambda: profile_context(services, centre_id, outcome, form_id),
    )


class CentresController(Controller):
    path = "/centres"

    @get("/", sync_to_thread=True, opt={"public": True})
    def directory(self, request: HTMXRequest, services: NamedDependency[Services], q: FromQuery[str] = "") -> Template:
        """Public: a visitor sees the member centres; the signed-in, every centre and the register form."""
        signed_in = request.scope.get("user") is not None
        context = directory_context(services, q[:200]) if signed_in else public_directory_context(services, q[:200])
        if request.htmx and request.htmx.target == "centre-list":
            return HTMXTemplate(template_name="centres/_list.html", context=context)
        return Template(template_name="centres/index.html", context=context)

    @get("/{centre_id:str}", sync_to_thread=True, opt={"public": True})
    def profile(self, request: HTMXRequest, centre_id: FromPath[str], services: NamedDependency[Services]) -> Template:
        """Public: a visitor sees who the centre is and what it did; its staff, contacts and history, and
        every form, are for the signed-in."""
        uuid_or_404(centre_id)
        if request.scope.get("user") is None:
            since = live.since(services.db, live.PUBLIC_CENTRE)  # before the rows (web.live.reads)
            context = public_profile_context(services, centre_id)
            context["live_since"] = since
            return Template(template_name="centres/public_profile.html", context=context)
        since = live.since(services.db, live.CENTRE)
        context = profile_context(services, centre_id)
        context["live_since"] = since
        return Template(template_name="centres/profile.html", context=context)

    # The commands ------------------------------------------------------------------------------

    @post("/", sync_to_thread=True, opt={"action": Action("centre.register", CentreForm)})
    def register(self, request: HTMXRequest, services: NamedDependency[Services], data: Form) -> Template | Redirect:
        outcome = run_command(
            request, services, data, lambda form: services.app.centres.register_centre(**command_fields(form))
        )
        return answer_created(
            request, outcome, done=lambda: "/centres", page="centres/index.html", panel="centres/_panel.html",
            context=lambda: directory_context(services, outcome=outcome),
        )

    @post("/{centre_id:str}/profile", sync_to_thread=True, opt={"action": Action("centre.profile", ProfileForm)})
    def update_profile(
        self, request: HTMXRequest, centre_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_centre(
            request, services, centre_id, data,
            lambda uuid, form: services.app.centres.update_centre_profile(uuid, **command_fields(form)),
        )

    @post("/{centre_id:str}/apply", sync_to_thread=True, opt={"action": Action("centre.apply", MotivationForm)})
    def apply_for_membership(
        self, request: HTMXRequest, centre_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_centre(
            request, services, centre_id, data,
            lambda uuid, form: services.app.centres.apply_for_membership(uuid, form.motivation),
        )

    @post("/{centre_id:str}/admit", sync_to_thread=True, opt={"action": Action("centre.admit", NoFields, confirm=True)})
    def admit(
        self, request: HTMXRequest, centre_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_centre(
            request, services, centre_id, data,
            lambda uuid, form: services.app.centres.admit_centre(uuid),
        )

    @post(
        "/{centre_id:str}/reject", sync_to_thread=True,
        opt={"action": Action("centre.reject", ReasonForm, confirm=True)},
    )
    def reject(
        self, request: HTMXRequest, centre_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_centre(
            request, services, centre_id, data,
            lambda uuid, form: services.app.centres.reject_centre(uuid, form.reason),
        )

    @post(
        "/{centre_id:str}/suspend", sync_to_thread=True,
        opt={"action": Action("centre.suspend", ReasonForm, confirm=True)},
    )
    def suspend(
        self, request: HTMXRequest, centre_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_centre(
            request, services, centre_id, data,
            lambda uuid, form: services.app.centres.suspend_centre(uuid, form.reason),
        )

    @post("/{centre_id:str}/reinstate", sync_to_thread=True, opt={"action": Action("centre.reinstate", NoFields)})
    def reinstate(
        self, request: HTMXRequest, centre_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_centre(
            request, services, centre_id, data,
            lambda uuid, form: services.app.centres.reinstate_centre(uuid),
        )

    @post(
        "/{centre_id:str}/leave", sync_to_thread=True,
        opt={"action": Action("centre.leave", ReasonForm, confirm=True)},
    )
    def leave(
        self, request: HTMXRequest, centre_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_centre(
            request, services, centre_id, data,
            lambda uuid, form: services.app.centres.record_centre_leaving(uuid, form.reason),
        )

    @post("/{centre_id:str}/rejoin", sync_to_thread=True, opt={"action": Action("centre.rejoin", NoFields)})
    def rejoin(
        self, request: HTMXRequest, centre_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_centre(
            request, services, centre_id, data,
            lambda uuid, form: services.app.centres.rejoin_centre(uuid),
        )

    @post("/{centre_id:str}/staff", sync_to_thread=True, opt={"action": Action("centre.staff", StaffForm)})
    def add_staff_member(
        self, request: HTMXRequest, centre_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_centre(
            request, services, centre_id, data,
            lambda uuid, form: services.app.centres.add_staff_member(uuid, form.staff_name, form.role),
        )

    @post(
        "/{centre_id:str}/staff-remove", sync_to_thread=True,
        opt={"action": Action("centre.staff-remove", StaffRefForm, confirm=True)},
    )
    def remove_staff_member(
        self, request: HTMXRequest, centre_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_centre(
            request, services, centre_id, data,
            lambda uuid, form: services.app.centres.remove_staff_member(uuid, form.staff_id),
        )

    @post(
        "/{centre_id:str}/label-apply", sync_to_thread=True,
        opt={"action": Action("centre.label-apply", LabelDateForm)},
    )
    def apply_for_label(
        self, request: HTMXRequest, centre_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_centre(
            request, services, centre_id, data,
            lambda uuid, form: services.app.centres.apply_for_label(uuid, form.on),
        )

    @post(
        "/{centre_id:str}/label-inspect", sync_to_thread=True,
        opt={"action": Action("centre.label-inspect", LabelInspectionForm)},
    )
    def record_label_inspection(
        self, request: HTMXRequest, centre_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_centre(
            request, services, centre_id, data,
            lambda uuid, form: services.app.centres.record_label_inspection(uuid, form.on, form.notes),
            check=lambda uuid, fields: services.app.centres.check_label_inspection(uuid, fields["on"], fields["notes"]),
        )

    @post(
        "/{centre_id:str}/label-award", sync_to_thread=True,
        opt={"action": Action("centre.label-award", LabelValidityForm)},
    )
    def award_label(
        self, request: HTMXRequest, centre_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_centre(
            request, services, centre_id, data,
            lambda uuid, form: services.app.centres.award_label(uuid, form.on, form.valid_until),
            check=lambda uuid, fields: services.app.centres.check_label_award(uuid, fields["on"], fields["valid_until"]),
        )

    @post(
        "/{centre_id:str}/label-renew", sync_to_thread=True,
        opt={"action": Action("centre.label-renew", LabelValidityForm)},
    )
    def renew_label(
        self, request: HTMXRequest, centre_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_centre(
            request, services, centre_id, data,
            lambda uuid, form: services.app.centres.renew_label(uuid, form.on, form.valid_until),
            check=lambda uuid, fields: services.app.centres.check_label_renewal(uuid, fields["on"], fields["valid_until"]),
        )

    @post(
        "/{centre_id:str}/label-withdraw", sync_to_thread=True,
        opt={"action": Action("centre.label-withdraw", LabelWithdrawalForm, confirm=True)},
    )
    def withdraw_label(
        self, request: HTMXRequest, centre_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_centre(
            request, services, centre_id, data,
            lambda uuid, form: services.app.centres.withdraw_label(uuid, form.on, form.reason),
            check=lambda uuid, fields: services.app.centres.check_label_withdrawal(uuid, fields["on"], fields["reason"]),
        )
