"""The network: who chairs it now and next, the chair timeline, the rotation, the annual meetings.

Each command is one route: its ``Action`` (the command's name and its form) in the route's ``opt``, and
the one application method it calls in its body."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from projections.network import NetworkGovernance
from projections.plans import Plans
from web.live import reads as live
from web.commands import Action, Outcome, action_of, answer, run_command
from web.context import Services
from web.forms import Form, lines
from web.network.forms import HandoverCorrectionForm, HandoverForm, MeetingForm, RotationForm


def rotation_moves(ids: list[str]) -> list[dict[str, str]]:
    """For each place in the rotation, the whole new order after moving it up, down, or out."""
    moves = []
    for i in range(len(ids)):
        up, down = list(ids), list(ids)
        if i > 0:
            up[i - 1], up[i] = up[i], up[i - 1]
        if i < len(ids) - 1:
            down[i], down[i + 1] = down[i + 1], down[i]
        moves.append({
            "up": ",".join(up) if i > 0 else "",
            "down": ",".join(down) if i < len(ids) - 1 else "",
            "remove": ",".join(ids[:i] + ids[i + 1:]),
        })
    return moves


def network_context(services: Services, outcome: Outcome | None = None, action: str = "") -> dict[str, Any]:
    db, today = services.db, services.app.today()
    outcome = outcome or Outcome(ok=True)
    chair = NetworkGovernance.current_chair(db, today)
    rotation = NetworkGovernance.rotation(db)
    chairs = NetworkGovernance.chairs(db)
    meetings = NetworkGovernance.meetings(db)
    chair_year = int(chair["year"]) if chair else today.year
    ids = [row["centre_id"] for row in rotation]
    members = NetworkGovernance.members(db)
    return {
        "today": today.isoformat(),
        "chair": chair,
        "next_in_rotation": NetworkGovernance.next_in_rotation(rotation, chair["centre_id"] if chair else None),
        "confirmed": next((m for m in meetings if m["report_year"] == chair_year), None),
        "chairs": chairs,
        "history": NetworkGovernance.chair_history(db),
        "rotation": rotation,
        "rotation_order": ",".join(ids),
        "moves": rotation_moves(ids),
        "meetings": meetings,
        "member_options": [(c["id"], c["name"]) for c in members],
        "addable": [(c["id"], c["name"]) for c in members if c["id"] not in ids],
        "year_options": [(str(row["year"]), str(row["year"])) for row in chairs],
        "next_year": chair_year + 1 if chair else today.year,
        "failed": "" if outcome.ok else action,
        "done": action if outcome.ok else "",
        "errors": outcome.errors,
        "values": outcome.values,
        "pending": outcome.pending,
    }


def on_network(
    request: HTMXRequest, services: Services, data: Form, call: Callable[[Any], Any],
    check: Callable[[dict[str, Any]], Any] | None = None,
) -> Template | Redirect:
    """Runs the route's command (``call`` gets the parsed form; ``check``, the command's checks, the fields
    as far as they could be read) and answers with the network's page."""
    outcome = run_command(request, services, data, call, check=check)
    form_id = action_of(request).form_id
    return answer(
        request, outcome, done="/network", page="network/index.html", panel="network/_panel.html",
        context=lambda: network_context(services, outcome, form_id),
    )


class NetworkController(Controller):
    @get("/network", sync_to_thread=True, opt={"public": True})
    def network(self, services: NamedDependency[Services]) -> Template:
        since = live.since(services.db, live.NETWORK)  # before the rows (web.live.reads)
        context = network_context(services)
        context["live_since"] = since
        return Template(template_name="network/index.html", context=context)

    # The commands ------------------------------------------------------------------------------

    @post("/network/rotation", sync_to_thread=True, opt={"action": Action("network.rotation", RotationForm)})
    def set_rotation(
        self, request: HTMXRequest, services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_network(
            request, services, data, lambda form: services.app.network.set_rotation(form.centre_ids())
        )

    @post(
        "/network/handover", sync_to_thread=True,
        opt={"action": Action("network.handover", HandoverForm, confirm=True)},
    )
    def hand_over_chair(
        self, request: HTMXRequest, services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_network(
            request, services, data,
            lambda form: services.app.network.hand_over_chair(form.year, form.centre_id, form.handed_over_on),
            check=lambda fields: services.app.network.check_handover(**fields),
        )

    @post(
        "/network/correct", sync_to_thread=True,
        opt={"action": Action("network.correct", HandoverCorrectionForm, confirm=True)},
    )
    def correct_handover(
        self, request: HTMXRequest, services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_network(
            request, services, data,
            lambda form: services.app.network.correct_handover(form.year, form.centre_id, form.reason),
        )

    @post("/network/meeting", sync_to_thread=True, opt={"action": Action("network.meeting", MeetingForm)})
    def record_annual_meeting(
        self, request: HTMXRequest, services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        """The meeting adopts the report of its year, as the plans' read model computes it."""
        return on_network(
            request, services, data,
            lambda form: services.app.network.record_annual_meeting(
                held_on=form.held_on, report_year=form.report_year, next_chair_id=form.next_chair_id,
                priorities=lines(form.priorities), report=Plans.report(services.db, form.report_year),
            ),
            check=lambda fields: services.app.network.check_annual_meeting(
                held_on=fields["held_on"], report_year=fields["report_year"], next_chair_id=fields["next_chair_id"],
                priorities=lines(fields["priorities"]),
            ),
        )
