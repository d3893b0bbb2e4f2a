"""Activities: the calendar with its filters, planning, each activity's page and the commands on it."""

from __future__ import annotations

import re
from urllib.parse import urlencode
from typing import Any

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.plugins.htmx import HTMXRequest, HTMXTemplate
from litestar.response import Redirect, Template

from domain.activity import FORMATS, KINDS
from projections.calendar import Calendar
from projections.calendar_queries import CalendarFilter
from projections.centres import CentresDirectory
from projections.timeline import Timeline
from web.actions import ACTIVITY_ACTIONS
from web.commands import Outcome, answer, run_command
from web.context import Services
from web.controllers.centres import Form
from web.forms import ActivityForm, command_fields
from web.labels import format_label, kind_label
from web.auth import current_user
from web.paths import known_or_404, uuid_or_404
from web.policy import Subject, User


def calendar_filter(kind: str, centre: str, city: str, month: str, when: str) -> CalendarFilter:
    """Unknown filter values are dropped rather than refused: a filter link never breaks."""
    return CalendarFilter(
        kind=kind if kind in KINDS else "",
        centre_id=centre if re.fullmatch(r"[0-9a-f-]{36}", centre) else "",
        city=city.replace("\x00", "")[:80],  # PostgreSQL text cannot hold NUL
        month=month if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month) else "",
        when="past" if when == "past" else "upcoming",
    )


def for_user(options: list[tuple[str, str]], user: User | None) -> list[tuple[str, str]]:
    """A centre's own users act only for their centre; the secretariat for any."""
    if user is not None and user.role != "secretariat":
        return [option for option in options if option[0] == str(user.centre_id)]
    return options


def calendar_context(
    services: Services, flt: CalendarFilter, after: str = "", outcome: Outcome | None = None, user: User | None = None
) -> dict[str, Any]:
    outcome = outcome or Outcome(ok=True)
    rows, next_cursor = Calendar.page(services.db, flt, services.app.today(), after)
    created = str(outcome.result[0]) if outcome.ok and outcome.result else None
    if created and all(row["id"] != created for row in rows):
        new_row = Calendar.get(services.db, created)
        rows = ([new_row] if new_row else []) + rows  # what you just planned, whatever the filter

    def query(**changes: str) -> str:
        params = {
            "when": flt.when, "kind": flt.kind, "centre": flt.centre_id, "city": flt.city, "month": flt.month,
            "after": after, **changes,
        }
        return urlencode({k: v for k, v in params.items() if v})

    return {
        "filter": flt,
        "activities": rows,
        "next_cursor": next_cursor,
        "after": after,
        "query": query,
        "kind_options": [(kind, kind_label(kind)) for kind in KINDS],
        "format_options": [(value, format_label(value)) for value in FORMATS],
        "member_options": for_user([(c["id"], c["name"]) for c in CentresDirectory.members(services.db)], user),
        "centres": CentresDirectory.all(services.db),
        "cities": Calendar.cities(services.db),
        "errors": outcome.errors,
        "values": outcome.values,
        "created": created,
        "pending": outcome.pending,
    }


def activity_context(
    services: Services, activity_id: str, outcome: Outcome | None = None, action: str = "", user: User | None = None
) -> dict[str, Any]:
    activity = Calendar.get(services.db, activity_id)
    if activity is None:
        raise NotFoundException()
    outcome = outcome or Outcome(ok=True)
    today = services.app.today().isoformat()
    return {
        "activity": activity,
        "participations": Calendar.participations(services.db, activity_id),
        "presentations": Calendar.presentations(services.db, activity_id),
        "timeline": Timeline.of(services.db, activity_id),
        "join_options": for_user(
            [(c["id"], c["name"]) for c in CentresDirectory.members(services.db) if c["id"] != activity["host_centre_id"]],
            user,
        ),
        "is_open": activity["status"] == "planned",
        "has_ended": activity["ends_on"] <= today,
        "is_past": activity["ends_on"] < today,
        "failed": "" if outcome.ok else action,
        "done": action if outcome.ok else "",
        "errors": outcome.errors,
        "values": outcome.values,
        "pending": outcome.pending,
    }


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
        context = calendar_context(
            services, calendar_filter(kind, centre, city, month, when), after[:80], user=current_user(request)
        )
        if request.htmx and request.htmx.target == "calendar-results":
            return HTMXTemplate(template_name="activities/_results.html", context=context)
        return Template(template_name="activities/index.html", context=context)

    @post("/activities", sync_to_thread=True, opt={"command": "activity.plan"})
    def plan(self, request: HTMXRequest, services: NamedDependency[Services], data: Form) -> Template | Redirect:
        outcome = run_command(
            services, data, ActivityForm, lambda form: services.app.activities.plan_activity(**command_fields(form)),
            user=current_user(request), command="activity.plan",
            subject=lambda form: Subject(acting_centre_id=form.host_centre_id),
        )
        if outcome.ok and not request.htmx:
            return Redirect(path=f"/activities/{outcome.result[0]}", status_code=303)
        context = calendar_context(services, CalendarFilter(), outcome=outcome, user=current_user(request))
        name = "activities/_panel.html" if request.htmx else "activities/index.html"
        return HTMXTemplate(template_name=name, context=context, status_code=201 if outcome.ok else 422)

    @get("/activities/{activity_id:str}", sync_to_thread=True, opt={"public": True})
    def details(self, request: HTMXRequest, activity_id: FromPath[str], services: NamedDependency[Services]) -> Template:
        uuid_or_404(activity_id)
        context = activity_context(services, activity_id, user=current_user(request))
        return Template(template_name="activities/details.html", context=context)

    @post("/activities/{activity_id:str}/{action:str}", sync_to_thread=True, opt={"command_prefix": "activity"})
    def act(
        self,
        request: HTMXRequest,
        activity_id: FromPath[str],
        action: FromPath[str],
        services: NamedDependency[Services],
        data: Form,
    ) -> Template | Redirect:
        uuid = uuid_or_404(activity_id)
        command = known_or_404(ACTIVITY_ACTIONS, action)
        host = services.app.activities.host_of(uuid)
        outcome = run_command(
            services, data, command.form, lambda form: command.run(services.app, uuid, form),
            user=current_user(request), command=f"activity.{action}",
            subject=lambda form: Subject(owner_centre_id=host, acting_centre_id=getattr(form, "centre_id", None)),
        )
        return answer(
            request, outcome, done=f"/activities/{activity_id}", page="activities/details.html",
            panel="activities/_activity_panel.html",
            context=lambda: activity_context(services, activity_id, outcome, action, user=current_user(request)),
        )


