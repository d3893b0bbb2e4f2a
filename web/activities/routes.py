"""Activities: the calendar with its filters, planning, each activity's page and the commands on it.

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
from markupsafe import Markup

from projections.calendar import Calendar
from projections.calendar_queries import CalendarFilter
from web.activities.forms import (
    ActivityForm, CentreRefForm, CorrectionForm, JoinForm, OutcomeForm, PresentationForm, PresentationRefForm,
    RescheduleForm,
)
from web.activities.pages import activity_context, calendar_context, calendar_filter, plan_context, shown_calendar
from web.auth import current_user
from web.live import reads as live
from web.commands import Action, action_of, answer, answer_created, run_command
from web.context import Services
from web.fragments import fragments, render
from web.forms import Form, ReasonForm, command_fields
from web.paths import uuid_or_404
from web.policy import Subject


def host_of(services: Services, activity_id: UUID) -> UUID | None:
    """The centre that hosts an activity, as the calendar shows it (None: no such activity)."""
    activity = Calendar.get(services.db, activity_id)
    return UUID(activity["host_centre_id"]) if activity is not None else None


def on_activity(
    request: HTMXRequest, services: Services, activity_id: str, data: Form, call: Callable[[UUID, Any], Any],
    check: Callable[[UUID, dict[str, Any]], Any] | None = None,
) -> Template | Redirect:
    """Runs the route's command on one activity (``call`` gets its id and the parsed form) and answers
    with the activity's page. Its host's coordinator may; a centre's users may act for their centre."""
    uuid = uuid_or_404(activity_id)
    host = host_of(services, uuid)
    outcome = run_command(
        request, services, data, lambda form: call(uuid, form),
        subject=lambda form: Subject(owner_centre_id=host, acting_centre_id=getattr(form, "centre_id", None)),
        check=(lambda fields: check(uuid, fields)) if check is not None else None,
    )
    form_id, user = action_of(request).form_id, current_user(request)
    return answer(
        request, outcome, done=f"/activities/{activity_id}", page="activities/details.html",
        panel="activities/_activity_panel.html",
        context=lambda: activity_context(services, activity_id, outcome, form_id, user=user),
    )


class ActivitiesController(Controller):
    @get("/calendar", sync_to_thread=True, opt={"public": True})
    def calendar(
        self,
        request: HTMXRequest,
        services: NamedDependency[Services],
        kind: FromQuery[str] = "",
        centre: FromQuery[str] = "",
        city: FromQuery[str] = "",
        month: FromQuery[str] = "",
        when: FromQuery[str] = "upcoming",
        after: FromQuery[str] = "",
    ) -> Template:
        at = live.positions_at(services.db, live.CALENDAR)  # before the rows (web.live.reads)
        flt, user = calendar_filter(kind, centre, city, month, when), current_user(request)
        partial = bool(request.htmx and request.htmx.target == "calendar-results")

        def context() -> dict[str, Any]:
            return calendar_context(services, flt, after[:80], user=user) | {"live_since": min(at)}

        if user is None:  # a visitor's calendar is everyone's: kept rendered (web.fragments)
            key = (at, flt, after[:80], services.app.today())
            if partial:
                html = fragments.render(request, services.db, "activities/_results.html", key, context)
                return HTMXTemplate(template_name="_fragment.html", context={"fragment": html})
            html = fragments.render(request, services.db, "activities/_page.html", key, context)
            return Template(template_name="activities/index.html", context={"panel": html, "live_since": min(at)})
        # a signed-in user's forms are theirs, the table of activities is everyone's: kept rendered
        def table() -> tuple[Markup, str | None]:
            rows, cursor = Calendar.page(services.db, flt, services.app.today(), after[:80])
            return render(request, "_activity_table.html", {"activities": rows, "created": None}), cursor

        html, cursor = fragments.kept(services.db, ("calendar table", at, flt, after[:80], services.app.today()), table)
        context = calendar_context(services, flt, after[:80], user=user, page=([], cursor))
        context |= {"table": html, "live_since": min(at)}
        if partial:
            return HTMXTemplate(template_name="activities/_results.html", context=context)
        return Template(template_name="activities/index.html", context=context)

    @get("/activities/{activity_id:str}", sync_to_thread=True, opt={"public": True})
    def details(self, request: HTMXRequest, activity_id: FromPath[str], services: NamedDependency[Services]) -> Template:
        uuid_or_404(activity_id)
        since = live.since(services.db, live.ACTIVITY)  # before the rows (web.live.reads)
        context = activity_context(services, activity_id, user=current_user(request))
        context["live_since"] = since
        return Template(template_name="activities/details.html", context=context)

    # The commands ------------------------------------------------------------------------------

    @post("/activities", sync_to_thread=True, opt={"action": Action("activity.plan", ActivityForm)})
    def plan(self, request: HTMXRequest, services: NamedDependency[Services], data: Form) -> Template | Redirect:
        outcome = run_command(
            request, services, data, lambda form: services.app.activities.plan_activity(**command_fields(form)),
            subject=lambda form: Subject(acting_centre_id=form.host_centre_id),
            check=lambda fields: services.app.activities.check_plan(**fields),
        )
        def answered() -> dict[str, Any]:
            """The form; after a success, the new row for the calendar as it opens, or the calendar the page
            shows (another filter or page) drawn again with the new activity on top, both out of band."""
            user = current_user(request)
            if not request.htmx:
                return calendar_context(services, CalendarFilter(), outcome=outcome, user=user)
            shown = shown_calendar(request.htmx.current_url)
            if not outcome.ok or shown is None:
                return plan_context(services, outcome, user)
            at = live.positions_at(services.db, live.CALENDAR)  # before the rows (web.live.reads)
            return calendar_context(services, shown, outcome=outcome, user=user) | {
                "results_again": True, "live_since": min(at),
            }

        return answer_created(
            request, outcome, done=lambda: f"/activities/{outcome.result[0]}", page="activities/index.html",
            panel="activities/_panel.html", context=answered,
        )

    @post(
        "/activities/{activity_id:str}/reschedule", sync_to_thread=True,
        opt={"action": Action("activity.reschedule", RescheduleForm)},
    )
    def reschedule(
        self, request: HTMXRequest, activity_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_activity(
            request, services, activity_id, data,
            lambda uuid, form: services.app.activities.reschedule_activity(
                uuid, form.starts_on, form.ends_on, form.reason
            ),
            check=lambda uuid, fields: services.app.activities.check_reschedule(uuid, **fields),
        )

    @post(
        "/activities/{activity_id:str}/cancel", sync_to_thread=True,
        opt={"action": Action("activity.cancel", ReasonForm, confirm=True)},
    )
    def cancel(
        self, request: HTMXRequest, activity_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_activity(
            request, services, activity_id, data,
            lambda uuid, form: services.app.activities.cancel_activity(uuid, form.reason),
        )

    @post("/activities/{activity_id:str}/join", sync_to_thread=True, opt={"action": Action("activity.join", JoinForm)})
    def join(
        self, request: HTMXRequest, activity_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_activity(
            request, services, activity_id, data,
            lambda uuid, form: services.app.activities.join_activity(uuid, form.centre_id, form.expected_participants),
            check=lambda uuid, fields: services.app.activities.check_join(uuid, **fields),
        )

    @post(
        "/activities/{activity_id:str}/withdraw", sync_to_thread=True,
        opt={"action": Action("activity.withdraw", CentreRefForm, confirm=True)},
    )
    def withdraw(
        self, request: HTMXRequest, activity_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_activity(
            request, services, activity_id, data,
            lambda uuid, form: services.app.activities.withdraw_from_activity(uuid, form.centre_id),
        )

    @post(
        "/activities/{activity_id:str}/co-organiser", sync_to_thread=True,
        opt={"action": Action("activity.co-organiser", CentreRefForm)},
    )
    def add_co_organiser(
        self, request: HTMXRequest, activity_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_activity(
            request, services, activity_id, data,
            lambda uuid, form: services.app.activities.add_co_organiser(uuid, form.centre_id),
        )

    @post(
        "/activities/{activity_id:str}/co-organiser-remove", sync_to_thread=True,
        opt={"action": Action("activity.co-organiser-remove", CentreRefForm, confirm=True)},
    )
    def remove_co_organiser(
        self, request: HTMXRequest, activity_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_activity(
            request, services, activity_id, data,
            lambda uuid, form: services.app.activities.remove_co_organiser(uuid, form.centre_id),
        )

    @post(
        "/activities/{activity_id:str}/presentation", sync_to_thread=True,
        opt={"action": Action("activity.presentation", PresentationForm)},
    )
    def add_presentation(
        self, request: HTMXRequest, activity_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_activity(
            request, services, activity_id, data,
            lambda uuid, form: services.app.activities.add_presentation(
                uuid, form.speaker, form.organisation, form.presentation_title
            ),
        )

    @post(
        "/activities/{activity_id:str}/presentation-remove", sync_to_thread=True,
        opt={"action": Action("activity.presentation-remove", PresentationRefForm, confirm=True)},
    )
    def remove_presentation(
        self, request: HTMXRequest, activity_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_activity(
            request, services, activity_id, data,
            lambda uuid, form: services.app.activities.remove_presentation(uuid, form.presentation_id),
        )

    @post(
        "/activities/{activity_id:str}/outcome", sync_to_thread=True,
        opt={"action": Action("activity.outcome", OutcomeForm)},
    )
    def record_outcome(
        self, request: HTMXRequest, activity_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_activity(
            request, services, activity_id, data,
            lambda uuid, form: services.app.activities.record_outcome(uuid, **command_fields(form)),
            check=lambda uuid, fields: services.app.activities.check_outcome(uuid, **fields),
        )

    @post(
        "/activities/{activity_id:str}/correction", sync_to_thread=True,
        opt={"action": Action("activity.correction", CorrectionForm)},
    )
    def correct_outcome(
        self, request: HTMXRequest, activity_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_activity(
            request, services, activity_id, data,
            lambda uuid, form: services.app.activities.correct_outcome(uuid, **command_fields(form)),
            check=lambda uuid, fields: services.app.activities.check_correction(uuid, **fields),
        )
