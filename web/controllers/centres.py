"""Centres: the directory and the registration form."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath
from litestar.plugins.htmx import HTMXRequest, HTMXTemplate
from litestar.response import Redirect, Template

from domain.errors import DomainError
from projections.calendar import Calendar
from projections.centres import CentresDirectory
from web.consistency import wait_until_projected
from web.context import Services
from web.forms import CentreForm, form_as_typed, parse_form
from web.messages import field_errors
from web.paths import uuid_or_404

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def _panel(services: NamedDependency[Services], form: CentreForm, errors: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {"form": form, "errors": errors, "centres": CentresDirectory.all(services.db), **extra}


class CentresController(Controller):
    path = "/centres"

    @get("/", sync_to_thread=True)
    def directory(self, services: NamedDependency[Services]) -> Template:
        return Template(template_name="centres/index.html", context=_panel(services, CentreForm(), {}))

    @post("/", sync_to_thread=True)
    def register(self, request: HTMXRequest, services: NamedDependency[Services], data: Form) -> Template | Redirect:
        try:
            form = parse_form(data, CentreForm)
            centre_id, notification_id = services.store.register_centre(**form.command())
        except DomainError as error:
            context = _panel(services, form_as_typed(data, CentreForm), field_errors(error))
            name = "centres/_panel.html" if request.htmx else "centres/index.html"
            return HTMXTemplate(template_name=name, context=context, status_code=422)
        projected = wait_until_projected(
            services.db, services.projections, notification_id, services.settings.projection_wait_seconds
        )
        if not request.htmx:
            return Redirect(path="/centres", status_code=303)
        context = _panel(services, CentreForm(), {}, created=str(centre_id), pending=not projected)
        return HTMXTemplate(template_name="centres/_panel.html", context=context, status_code=201)

    @get("/{centre_id:str}", sync_to_thread=True)
    def profile(self, centre_id: FromPath[str], services: NamedDependency[Services]) -> Template:
        centre = CentresDirectory.get(services.db, uuid_or_404(centre_id))
        if centre is None:
            raise NotFoundException()
        hosted = Calendar.hosted_by(services.db, centre["id"])
        return Template(template_name="centres/profile.html", context={"centre": centre, "hosted": hosted})

