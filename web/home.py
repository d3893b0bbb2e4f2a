"""The front page, the language switch and the health check."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from projections.projects import ProjectRegister
from projections.calendar import Calendar
from projections.centres import CentresDirectory
from web.context import Services
from web.i18n import COOKIE, LOCALES


class HomeController(Controller):
    @get("/", sync_to_thread=True, opt={"public": True})
    def home(self, services: NamedDependency[Services]) -> Template:
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
