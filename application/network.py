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
        return self._save(self.check_handover(year, centre_id, handed_over_on))

    def check_handover(self, year: int | None, centre_id: UUID | None, handed_over_on: date | None) -> Network:
        """Every check of a handover at once, the centre's standing and each field: the network told of it,
        not saved. A field given as None was unreadable in the form: its own check fails, the others run."""
        network = self.recorded()
        self._all_at_once(
            lambda: self._standing_of(centre_id, "centre_id"),
            lambda: network.hand_over_chair(year, centre_id, handed_over_on, self.today()),  # type: ignore[arg-type]  # None: see above
        )
        return network

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
        return self._save(*self.check_annual_meeting(
            held_on=held_on, report_year=report_year, next_chair_id=next_chair_id, priorities=priorities,
            report=report,
        ))

    def check_annual_meeting(
        self,
        *,
        held_on: date | None,
        report_year: int | None,
        next_chair_id: UUID | None,
        priorities: Sequence[str],
        report: dict[str, int] | None = None,
    ) -> tuple[Network, AnnualPlan]:
        """Every check of the meeting at once, the chair's standing, each field and the year's plan: the
        network and the plan told of it, not saved (without ``report``, only whether the plan may adopt
        one). A field given as None was unreadable in the form, as in ``check_handover``."""
        network = self.recorded()
        plan = self._get(plan_id(report_year), AnnualPlan) if isinstance(report_year, int) else None

        def adopt() -> None:
            if plan is None:
                if isinstance(report_year, int):
                    raise RuleBroken("report_year", "no_plan_for_year")
            elif report is None:
                plan.check_report_adoptable()
            else:
                plan.adopt_report(held_on, **report)  # type: ignore[arg-type]  # checked by the network first

        self._all_at_once(
            lambda: self._standing_of(next_chair_id, "next_chair_id"),
            lambda: network.record_annual_meeting(
                held_on=held_on, report_year=report_year, next_chair_id=next_chair_id,  # type: ignore[arg-type]  # None: see above
                priorities=priorities, today=self.today(),
            ),
            adopt,
        )
        assert plan is not None  # else adopt() said so
        return network, plan

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
