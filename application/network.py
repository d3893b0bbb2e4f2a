"""Commands on the network: rotation, handovers, the annual meeting.

The network aggregate is made on its first command. Rules that need another
aggregate (a centre in good standing, the year's plan) are checked here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from uuid import UUID

from application.base import Commands
from domain.errors import RuleBroken
from domain.network import NETWORK_ID, NETWORK_NAME, Network
from domain.plan import AnnualPlan, plan_id


class NetworkCommands(Commands):
    def set_rotation(self, order: Sequence[UUID]) -> int:
        self._chair_rights()
        for centre_id in order:
            self._member_in_good_standing(centre_id, "order")
        return self._change_network(lambda n: n.set_rotation(order))

    def hand_over_chair(self, year: int, centre_id: UUID, handed_over_on: date) -> int:
        self._chair_rights()
        self._member_in_good_standing(centre_id, "centre_id")
        return self._change_network(lambda n: n.hand_over_chair(year, centre_id, handed_over_on, self.today()))

    def correct_handover(self, year: int, centre_id: UUID, reason: str) -> int:
        self._secretariat_only()
        self._member_in_good_standing(centre_id, "centre_id")
        return self._change_network(lambda n: n.correct_handover(year, centre_id, reason))

    def record_annual_meeting(
        self,
        *,
        held_on: date,
        report_year: int,
        next_chair_id: UUID,
        priorities: Sequence[str],
        report: dict[str, int],
    ) -> int:
        """The meeting adopts ``report_year``'s report (its figures computed from the read models),
        confirms the chair of the year after and sets its priorities: both facts saved together.
        Recorded by the chair of today or of the report's year (whose plan it closes)."""
        self._chair_rights(years=(report_year,) if isinstance(report_year, int) else ())
        self._member_in_good_standing(next_chair_id, "next_chair_id")
        network = self.recorded()
        network.record_annual_meeting(
            held_on=held_on, report_year=report_year, next_chair_id=next_chair_id, priorities=priorities,
            today=self.today(),
        )
        plan = self._get(plan_id(report_year), AnnualPlan)
        if plan is None:
            raise RuleBroken("report_year", "no_plan_for_year")
        plan.adopt_report(held_on, **report)
        return self._save(network, plan)

    def recorded(self) -> Network:
        """The network as recorded, or a new one (saved with its first change)."""
        network = self._get(NETWORK_ID, Network)
        return network if network is not None else Network(name=NETWORK_NAME)

    def chair_of(self, year: int) -> UUID | None:
        return self.recorded().chair_of(year)

    def current_chair(self) -> UUID | None:
        """The centre chairing the network today: the latest handover that has taken place."""
        return self.recorded().current_chair(self.today())

    def _change_network(self, action: Callable[[Network], object]) -> int:
        network = self.recorded()
        action(network)
        return self._save(network)
