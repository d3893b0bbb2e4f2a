"""The network: who chairs it now and next, the chair timeline, the rotation, the annual meetings."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from projections.network import NetworkGovernance
from web.auth import current_user
from web.commands import Outcome, answer, run_command
from web.paths import known_or_404
from web.context import Services
from web.controllers.centres import Form
from web.governance_actions import NETWORK_ACTIONS


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


class NetworkController(Controller):
    @get("/network", sync_to_thread=True, opt={"public": True})
    def network(self, services: NamedDependency[Services]) -> Template:
        return Template(template_name="network/index.html", context=network_context(services))

    @post("/network/{action:str}", sync_to_thread=True, opt={"command_prefix": "network"})
    def act(
        self, request: HTMXRequest, action: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        command = known_or_404(NETWORK_ACTIONS, action)
        outcome = run_command(
            services, data, command.form, lambda form: command.run(services, None, form),
            user=current_user(request), command=f"network.{action}",
        )
        return answer(
            request, outcome, done="/network", page="network/index.html", panel="network/_panel.html",
            context=lambda: network_context(services, outcome, action),
        )
