"""The practice library: search and filters, sharing, and each practice with its versions, endorsements,
adoptions and transfer path, and the commands on it.

Each command is one route: its ``Action`` (the command's name and its form) in the route's ``opt``, and
the one application method it calls in its body."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.plugins.htmx import HTMXRequest, HTMXTemplate
from litestar.response import Redirect, Template

from projections.practice_queries import PracticeFilter
from projections.practices import PracticeLibrary
from web.auth import current_user
from web.commands import Action, action_of, answer, answer_created, run_command
from web.context import Services
from web.forms import Form, ReasonForm
from web.paths import uuid_or_404
from web.policy import Subject
from web.practices.forms import (
    AdoptionForm, AdoptionOutcomeForm, EndorsementForm, PracticeForm, RevisionForm, figures, joined,
)
from web.practices.pages import library_context, practice_context, practice_filter


def owner_of(services: Services, practice_id: UUID) -> UUID | None:
    """The centre that shared a practice, as the library shows it (None: no such practice)."""
    practice = PracticeLibrary.get(services.db, str(practice_id))
    return UUID(practice["centre_id"]) if practice is not None else None


def on_practice(
    request: HTMXRequest, services: Services, practice_id: str, data: Form, call: Callable[[UUID, Any], Any]
) -> Template | Redirect:
    """Runs the route's command on one practice (``call`` gets its id and the parsed form) and answers
    with the practice's page. The sharing centre's coordinator may; others act for their own centre."""
    uuid = uuid_or_404(practice_id)
    owner = owner_of(services, uuid)
    outcome = run_command(
        request, services, joined(data), lambda form: call(uuid, form),
        subject=lambda form: Subject(owner_centre_id=owner, acting_centre_id=getattr(form, "centre_id", None)),
    )
    form_id = action_of(request).form_id
    return answer(
        request, outcome, done=f"/practices/{practice_id}", page="practices/details.html",
        panel="practices/_practice_panel.html",
        context=lambda: practice_context(services, practice_id, outcome, form_id, user=current_user(request)),
    )


class PracticesController(Controller):
    path = "/practices"

    @get("/", sync_to_thread=True, opt={"public": True})
    def library(
        self,
        request: HTMXRequest,
        services: NamedDependency[Services],
        q: FromQuery[str] = "",
        tag: FromQuery[str] = "",
        group: FromQuery[str] = "",
        country: FromQuery[str] = "",
        centre: FromQuery[str] = "",
        sort: FromQuery[str] = "adoptions",
    ) -> Template:
        context = library_context(
            services, practice_filter(q, tag, group, country, centre, sort), user=current_user(request)
        )
        if request.htmx and request.htmx.target == "practice-results":
            return HTMXTemplate(template_name="practices/_results.html", context=context)
        return Template(template_name="practices/index.html", context=context)

    @get("/{practice_id:str}", sync_to_thread=True, opt={"public": True})
    def practice(
        self, request: HTMXRequest, practice_id: FromPath[str], services: NamedDependency[Services],
        version: FromQuery[str] = "",
    ) -> Template:
        uuid_or_404(practice_id)
        context = practice_context(services, practice_id, version=version[:6], user=current_user(request))
        return Template(template_name="practices/details.html", context=context)

    # The commands ------------------------------------------------------------------------------

    @post("/", sync_to_thread=True, opt={"action": Action("practice.share", PracticeForm)})
    def share(self, request: HTMXRequest, services: NamedDependency[Services], data: Form) -> Template | Redirect:
        outcome = run_command(
            request, services, joined(data),
            lambda form: services.app.practices.share_practice(centre_id=form.centre_id, **form.content()),
            subject=lambda form: Subject(acting_centre_id=form.centre_id),
        )
        return answer_created(
            request, outcome, done=lambda: f"/practices/{outcome.result[0]}", page="practices/index.html",
            panel="practices/_panel.html",
            context=lambda: library_context(services, PracticeFilter(sort="recent"), outcome, user=current_user(request)),
        )

    @post("/{practice_id:str}/revise", sync_to_thread=True, opt={"action": Action("practice.revise", RevisionForm)})
    def revise(
        self, request: HTMXRequest, practice_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_practice(
            request, services, practice_id, data,
            lambda uuid, form: services.app.practices.revise_practice(uuid, note=form.note, **form.content()),
        )

    @post(
        "/{practice_id:str}/endorse", sync_to_thread=True, opt={"action": Action("practice.endorse", EndorsementForm)}
    )
    def endorse(
        self, request: HTMXRequest, practice_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_practice(
            request, services, practice_id, data,
            lambda uuid, form: services.app.practices.endorse_practice(uuid, form.centre_id, form.comment),
        )

    @post("/{practice_id:str}/adopt", sync_to_thread=True, opt={"action": Action("practice.adopt", AdoptionForm)})
    def adopt(
        self, request: HTMXRequest, practice_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_practice(
            request, services, practice_id, data,
            lambda uuid, form: services.app.practices.adopt_practice(
                uuid, centre_id=form.centre_id, adaptation_notes=form.adaptation_notes, context=form.context,
                adopted_on=form.adopted_on,
            ),
        )

    @post(
        "/{practice_id:str}/outcome", sync_to_thread=True,
        opt={"action": Action("practice.outcome", AdoptionOutcomeForm)},
    )
    def record_adoption_outcome(
        self, request: HTMXRequest, practice_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_practice(
            request, services, practice_id, data,
            lambda uuid, form: services.app.practices.record_adoption_outcome(
                uuid, form.centre_id, figures(form), form.note
            ),
        )

    @post(
        "/{practice_id:str}/retire", sync_to_thread=True,
        opt={"action": Action("practice.retire", ReasonForm, confirm=True)},
    )
    def retire(
        self, request: HTMXRequest, practice_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_practice(
            request, services, practice_id, data,
            lambda uuid, form: services.app.practices.retire_practice(uuid, form.reason),
        )
