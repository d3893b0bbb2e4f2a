"""Centres: the directory, registration, each centre's profile and the commands on it."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath, FromQuery
from litestar.plugins.htmx import HTMXRequest, HTMXTemplate
from litestar.response import Redirect, Template

from domain.centre import LABEL_STATES, STAFF_ROLES
from projections.calendar import Calendar
from projections.centres import CentresDirectory
from projections.timeline import Timeline
from web.actions import CENTRE_ACTIONS
from web.commands import Outcome, answer, run_command
from web.context import Services
from web.forms import CentreForm, command_fields
from web.auth import current_user
from web.paths import known_or_404, uuid_or_404
from web.policy import Subject

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def directory_context(services: Services, q: str = "", outcome: Outcome | None = None) -> dict[str, Any]:
    outcome = outcome or Outcome(ok=True)
    return {
        "q": q,
        "centres": CentresDirectory.search(services.db, q),
        "errors": outcome.errors,
        "values": outcome.values,
        "created": str(outcome.result[0]) if outcome.ok and outcome.result else None,
        "pending": outcome.pending,
    }


def profile_context(services: Services, centre_id: str, outcome: Outcome | None = None, action: str = "") -> dict[str, Any]:
    centre = CentresDirectory.get(services.db, centre_id)
    if centre is None:
        raise NotFoundException()
    timeline = Timeline.of(services.db, centre_id)
    outcome = outcome or Outcome(ok=True)
    return {
        "centre": centre,
        "staff": CentresDirectory.staff(services.db, centre_id),
        "roles": STAFF_ROLES,
        "label_states": LABEL_STATES,
        "hosted": Calendar.hosted_by(services.db, centre_id),
        "attended": Calendar.attended_by(services.db, centre_id),
        "timeline": timeline,
        "label_history": [e for e in timeline if e["event"].startswith("centre.label_")],
        "failed": "" if outcome.ok else action,
        "done": action if outcome.ok else "",
        "errors": outcome.errors,
        "values": outcome.values,
        "pending": outcome.pending,
    }


class CentresController(Controller):
    path = "/centres"

    @get("/", sync_to_thread=True)
    def directory(self, request: HTMXRequest, services: NamedDependency[Services], q: FromQuery[str] = "") -> Template:
        context = directory_context(services, q[:200])
        if request.htmx and request.htmx.target == "centre-list":
            return HTMXTemplate(template_name="centres/_list.html", context=context)
        return Template(template_name="centres/index.html", context=context)

    @post("/", sync_to_thread=True, opt={"command": "centre.register"})
    def register(self, request: HTMXRequest, services: NamedDependency[Services], data: Form) -> Template | Redirect:
        outcome = run_command(
            services, data, CentreForm, lambda form: services.app.centres.register_centre(**command_fields(form)),
            user=current_user(request), command="centre.register",
        )
        if outcome.ok and not request.htmx:
            return Redirect(path="/centres", status_code=303)
        context = directory_context(services, outcome=outcome)
        name = "centres/_panel.html" if request.htmx else "centres/index.html"
        return HTMXTemplate(template_name=name, context=context, status_code=201 if outcome.ok else 422)

    @get("/{centre_id:str}", sync_to_thread=True)
    def profile(self, centre_id: FromPath[str], services: NamedDependency[Services]) -> Template:
        uuid_or_404(centre_id)
        return Template(template_name="centres/profile.html", context=profile_context(services, centre_id))

    @post("/{centre_id:str}/{action:str}", sync_to_thread=True, opt={"command_prefix": "centre"})
    def act(
        self,
        request: HTMXRequest,
        centre_id: FromPath[str],
        action: FromPath[str],
        services: NamedDependency[Services],
        data: Form,
    ) -> Template | Redirect:
        uuid = uuid_or_404(centre_id)
        command = known_or_404(CENTRE_ACTIONS, action)
        outcome = run_command(
            services, data, command.form, lambda form: command.run(services.app, uuid, form),
            user=current_user(request), command=f"centre.{action}", subject=lambda form: Subject(owner_centre_id=uuid),
        )
        return answer(
            request, outcome, done=f"/centres/{centre_id}", page="centres/profile.html",
            panel="centres/_profile_panel.html", context=lambda: profile_context(services, centre_id, outcome, action),
        )
