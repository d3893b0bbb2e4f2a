"""A year's plan: as it stands with its progress, as it was published, its history and its report."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from domain.activity import KINDS
from domain.network import YEAR_MAX, YEAR_MIN
from projections.network import NetworkGovernance
from projections.plans import Plans
from web.auth import current_user
from web.commands import Outcome, answer, run_command
from web.paths import known_or_404
from web.context import Services
from web.controllers.centres import Form
from web.governance_actions import PLAN_ACTIONS
from web.governance_labels import month_label
from web.labels import kind_label


def year_or_404(raw: str) -> int:
    if not raw.isdigit() or not YEAR_MIN <= int(raw) <= YEAR_MAX:
        raise NotFoundException()
    return int(raw)


def plan_context(services: Services, year: int, outcome: Outcome | None = None, action: str = "") -> dict[str, Any]:
    db = services.db
    outcome = outcome or Outcome(ok=True)
    plan = Plans.plan(db, year)
    items = Plans.items(db, year) if plan else []
    unplanned = Plans.unplanned(db, year)
    chair = next((row for row in NetworkGovernance.chairs(db) if row["year"] == year), None)
    members = NetworkGovernance.members(db)
    return {
        "year": year,
        "plan": plan,
        "chair": chair,
        "items": items,
        "published": Plans.published_items(db, year) if plan and plan["status"] != "draft" else [],
        "unplanned": unplanned,
        "progress": Plans.progress(items, unplanned),
        "report": Plans.report(db, year) if plan else None,
        "history": Plans.history(db, year),
        "years": sorted(set(Plans.years(db)) | {year, services.app.today().year}, reverse=True),
        "linkable": [(a["id"], f"{a['starts_on']} · {a['title']}") for a in Plans.linkable(db, year)],
        "kind_options": [(kind, kind_label(kind)) for kind in KINDS],
        "month_options": [(str(month), month_label(month)) for month in range(1, 13)],
        "member_options": [(c["id"], c["name"]) for c in members],
        "today": services.app.today().isoformat(),
        "failed": "" if outcome.ok else action,
        "done": action if outcome.ok else "",
        "errors": outcome.errors,
        "values": outcome.values,
        "pending": outcome.pending,
    }


class PlansController(Controller):
    @get("/plans", sync_to_thread=True)  # members' reading: anonymous visitors see calendar, library, network
    def this_year(self, services: NamedDependency[Services]) -> Redirect:
        return Redirect(path=f"/plans/{services.app.today().year}", status_code=303)

    @get("/plans/{year:str}", sync_to_thread=True)
    def plan(self, year: FromPath[str], services: NamedDependency[Services]) -> Template:
        return Template(template_name="plans/index.html", context=plan_context(services, year_or_404(year)))

    @post("/plans/{year:str}/{action:str}", sync_to_thread=True, opt={"command_prefix": "plan"})
    def act(
        self,
        request: HTMXRequest,
        year: FromPath[str],
        action: FromPath[str],
        services: NamedDependency[Services],
        data: Form,
    ) -> Template | Redirect:
        number = year_or_404(year)
        command = known_or_404(PLAN_ACTIONS, action)
        outcome = run_command(
            services, data, command.form, lambda form: command.run(services, number, form),
            user=current_user(request), command=f"plan.{action}",
        )
        return answer(
            request, outcome, done=f"/plans/{number}", page="plans/index.html", panel="plans/_panel.html",
            context=lambda: plan_context(services, number, outcome, action),
        )
