"""The front page, the language switch and the health check."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from projections.projects import ProjectRegister
from projections.calendar import Calendar
from projections.centres import CentresDirectory
from web.context import Services
from web.i18n import COOKIE, LOCALES
from web.my_centre import my_centre_context


class HomeController(Controller):
    @get("/", sync_to_thread=True, opt={"public": True})
    def home(self, request: Request[Any, Any, Any], services: NamedDependency[Services], network: FromQuery[str] = "") -> Template:
        """A centre's people land on "My centre"; visitors and the network's own staff on the network at a
        glance (which ``?network=1`` shows everyone)."""
        user = request.scope.get("user")
        if user is not None and user.centre_id is not None and not network:
            return Template(template_name="my_centre.html", context=my_centre_context(services, user))
        today = services.app.today()
        figures = Calendar.figures_by_kind(services.db, today.year)
        return Template(
            template_name="index.html",
            context={
                "year": today.year,
                "figures": figures,
                "totals": {
                    key: sum(int(row[key] or 0) for row in figures)
                    for key in ("activities", "held", "cancelled", "participants", "young_people")
                },
                "upcoming": Calendar.upcoming(services.db, today, limit=5),
                "newest": CentresDirectory.newest_members(services.db, limit=5),
                "centre_count": CentresDirectory.member_count(services.db),  # shown as "member centres"
                "activity_count": Calendar.count(services.db),
                "project_reach": ProjectRegister.young_people_reached(services.db, today.year),
            },
        )

    @get("/lang/{code:str}", opt={"public": True})
    async def switch_language(self, code: FromPath[str], next: FromQuery[str] = "/") -> Redirect:
        target = next if next.startswith("/") and not next.startswith("//") else "/"
        response = Redirect(path=target, status_code=303)
        if code in LOCALES:
            response.set_cookie(COOKIE, code, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
        return response


class HealthController(Controller):
    @get("/healthz", opt={"public": True})
    async def healthz(self) -> dict[str, str]:
        return {"status": "ok"}
