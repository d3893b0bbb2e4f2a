"""A year's plan: as it stands with its progress, as it was published, its history and its report.

Each command is one route: its ``Action`` (the command's name and its form) in the route's ``opt``, and
the one application method it calls in its body."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

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
from web.commands import Action, Outcome, action_of, answer, run_command
from web.context import Services
from web.forms import Form, NoFields, lines
from web.labels import label
from web.policy import Subject
from web.plans.forms import (
    PlanDraftForm, PlanItemChangeForm, PlanItemDropForm, PlanItemForm, PlanItemLinkForm, ReportAdoptionForm,
)
from web.plans.forms import PlanItemUnlinkForm


def year_or_404(raw: str) -> int:
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 4) or not YEAR_MIN <= int(raw) <= YEAR_MAX:
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
        # whose plan it is: the year's chair (no chair yet: nobody's but the secretariat's)
        "plan_owner": chair["centre_id"] if chair else str(UUID(int=0)),
        "items": items,
        "published": Plans.published_items(db, year) if plan and plan["status"] != "draft" else [],
        "unplanned": unplanned,
        "progress": Plans.progress(items, unplanned),
        "report": Plans.report(db, year) if plan else None,
        "history": Plans.history(db, year),
        "years": sorted(set(Plans.years(db)) | {year, services.app.today().year}, reverse=True),
        "linkable": [(a["id"], f"{a['starts_on']} · {a['title']}") for a in Plans.linkable(db, year)],
        "kind_options": [(kind, label("kind", kind)) for kind in KINDS],
        "month_options": [(str(month), label("month", month)) for month in range(1, 13)],
        "member_options": [(c["id"], c["name"]) for c in members],
        "today": services.app.today().isoformat(),
        "failed": "" if outcome.ok else action,
        "done": action if outcome.ok else "",
        "errors": outcome.errors,
        "values": outcome.values,
        "pending": outcome.pending,
    }


def on_plan(
    request: HTMXRequest, services: Services, year: str, data: Form, call: Callable[[int, Any], Any],
    check: Callable[[dict[str, Any]], Any] | None = None,
) -> Template | Redirect:
    """Runs the route's command on one year's plan (``call`` gets the year and the parsed form) and
    answers with the plan's page."""
    number = year_or_404(year)
    owner = Subject(owner_centre_id=services.app.network.chair_of(number))  # the year's chair, as recorded
    outcome = run_command(
        request, services, data, lambda form: call(number, form), subject=lambda form: owner, check=check
    )
    form_id = action_of(request).form_id
    return answer(
        request, outcome, done=f"/plans/{number}", page="plans/index.html", panel="plans/_panel.html",
        context=lambda: plan_context(services, number, outcome, form_id),
    )


class PlansController(Controller):
    @get("/plans", sync_to_thread=True)  # members' reading: anonymous visitors see calendar, library, network
    def this_year(self, services: NamedDependency[Services]) -> Redirect:
        return Redirect(path=f"/plans/{services.app.today().year}", status_code=303)

    @get("/plans/{year:str}", sync_to_thread=True)
    def plan(self, year: FromPath[str], services: NamedDependency[Services]) -> Template:
        return Template(template_name="plans/index.html", context=plan_context(services, year_or_404(year)))

    # The commands ------------------------------------------------------------------------------

    @post("/plans/{year:str}/draft", sync_to_thread=True, opt={"action": Action("plan.draft", PlanDraftForm)})
    def draft_plan(
        self, request: HTMXRequest, year: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_plan(
            request, services, year, data,
            lambda number, form: services.app.plans.draft_plan(number, lines(form.priorities)),
        )

    @post("/plans/{year:str}/item", sync_to_thread=True, opt={"action": Action("plan.item", PlanItemForm)})
    def add_plan_item(
        self, request: HTMXRequest, year: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_plan(
            request, services, year, data,
            lambda number, form: services.app.plans.add_plan_item(
                number, kind=form.kind, theme=form.theme, month=form.month, host_centre_id=form.host_centre_id
            ),
            check=lambda fields: services.app.plans.check_plan_item(**fields),
        )

    @post("/plans/{year:str}/publish", sync_to_thread=True, opt={"action": Action("plan.publish", NoFields)})
    def publish_plan(
        self, request: HTMXRequest, year: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_plan(
            request, services, year, data,
            lambda number, form: services.app.plans.publish_plan(number),
        )

    @post("/plans/{year:str}/change", sync_to_thread=True, opt={"action": Action("plan.change", PlanItemChangeForm)})
    def change_plan_item(
        self, request: HTMXRequest, year: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_plan(
            request, services, year, data,
            lambda number, form: services.app.plans.change_plan_item(
                number, form.item_id, kind=form.kind, theme=form.theme, month=form.month,
                host_centre_id=form.host_centre_id, reason=form.reason,
            ),
        )

    @post(
        "/plans/{year:str}/drop", sync_to_thread=True,
        opt={"action": Action("plan.drop", PlanItemDropForm, confirm=True)},
    )
    def drop_plan_item(
        self, request: HTMXRequest, year: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_plan(
            request, services, year, data,
            lambda number, form: services.app.plans.drop_plan_item(number, form.item_id, form.reason),
        )

    @post("/plans/{year:str}/link", sync_to_thread=True, opt={"action": Action("plan.link", PlanItemLinkForm)})
    def link_plan_item(
        self, request: HTMXRequest, year: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_plan(
            request, services, year, data,
            lambda number, form: services.app.plans.link_plan_item(number, form.item_id, form.activity_id),
        )

    @post(
        "/plans/{year:str}/unlink", sync_to_thread=True,
        opt={"action": Action("plan.unlink", PlanItemUnlinkForm, confirm=True)},
    )
    def unlink_plan_item(
        self, request: HTMXRequest, year: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_plan(
            request, services, year, data,
            lambda number, form: services.app.plans.unlink_plan_item(number, form.item_id, form.activity_id),
        )

    @post("/plans/{year:str}/report", sync_to_thread=True, opt={"action": Action("plan.report", ReportAdoptionForm)})
    def adopt_report(
        self, request: HTMXRequest, year: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        """The annual meeting, seen from the plan's page: it adopts this year's report as the read model computes it."""
        return on_plan(
            request, services, year, data,
            lambda number, form: services.app.network.record_annual_meeting(
                held_on=form.held_on, report_year=number, next_chair_id=form.next_chair_id,
                priorities=lines(form.priorities), report=Plans.report(services.db, number),
            ),
            check=lambda fields: services.app.network.check_annual_meeting(
                held_on=fields["held_on"], report_year=year_or_404(year), next_chair_id=fields["next_chair_id"],
                priorities=lines(fields["priorities"]),
            ),
        )
