"""Activities: the calendar and the planning form."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest, HTMXTemplate
from litestar.response import Redirect, Template

from domain.activity import FORMATS, KINDS
from domain.errors import DomainError
from projections.calendar import Calendar
from projections.centres import CentresDirectory
from web.consistency import wait_until_projected
from web.context import Services
from web.controllers.centres import Form
from web.forms import ActivityForm, form_as_typed, parse_form
from web.messages import field_errors
from web.paths import uuid_or_404

PAGE_SIZE = 50


def _panel(services: NamedDependency[Services], form: ActivityForm, errors: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {
        "form": form,
        "errors": errors,
        "kinds": KINDS,
        "formats": FORMATS,
        "centres": CentresDirectory.all(services.db),
        "activities": Calendar.activities(services.db, limit=PAGE_SIZE),
        **extra,
    }


class ActivitiesController(Controller):
    @get("/calendar", sync_to_thread=True)
    def calendar(self, services: NamedDependency[Services]) -> Template:
        return Template(template_name="activities/index.html", context=_panel(services, ActivityForm(), {}))

    @post("/activities", sync_to_thread=True)
    def plan(self, request: HTMXRequest, services: NamedDependency[Services], data: Form) -> Template | Redirect:
        try:
            form = parse_form(data, ActivityForm)
            activity_id, notification_id = services.store.plan_activity(**form.command())
        except DomainError as error:
            context = _panel(services, form_as_typed(data, ActivityForm), field_errors(error))
            name = "activities/_panel.html" if request.htmx else "activities/index.html"
            return HTMXTemplate(template_name=name, context=context, status_code=422)
        projected = wait_until_projected(
            services.db, services.projections, notification_id, services.settings.projection_wait_seconds
        )
        if not request.htmx:
            return Redirect(path="/calendar", status_code=303)
        context = _panel(services, ActivityForm(), {}, created=str(activity_id), pending=not projected)
        return HTMXTemplate(template_name="activities/_panel.html", context=context, status_code=201)

    @get("/activities/{activity_id:str}", sync_to_thread=True)
    def details(self, activity_id: FromPath[str], services: NamedDependency[Services]) -> Template:
        activity = Calendar.get(services.db, uuid_or_404(activity_id))
        if activity is None:
            raise NotFoundException()
        return Template(template_name="activities/details.html", context={"activity": activity})
