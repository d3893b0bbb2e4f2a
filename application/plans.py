"""Commands on the annual plans, each found by its year.

The chair of the year drafts it; hosts must be members in good standing; an item
is realised only by an activity of the plan's year.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from application.base import Commands
from domain.activity import Activity
from domain.errors import InvalidField, RuleBroken
from domain.network import NETWORK_ID, Network, check_year
from domain.plan import AnnualPlan, plan_id


class Plans(Commands):
    def draft_plan(self, year: int, priorities: Sequence[str]) -> tuple[UUID, int]:
        self._plan_rights(year)
        check_year("year", year)
        network = self._get(NETWORK_ID, Network)
        chair = network.chair_of(year) if network is not None else None
        if chair is None:
            raise RuleBroken("year", "no_chair_for_year")
        if self._exists(plan_id(year)):
            raise RuleBroken("year", "plan_exists")
        plan = AnnualPlan.draft(year=year, chair_centre_id=chair, priorities=priorities)
        try:
            return plan.id, self._save(plan)
        except IntegrityError:
            raise RuleBroken("year", "plan_exists") from None

    def add_plan_item(self, year: int, *, host_centre_id: UUID | None = None, **fields: Any) -> int:
        self._plan_rights(year)
        self.check_plan_item(host_centre_id=host_centre_id, **fields)
        return self._change(plan_id(year), AnnualPlan, lambda p: p.add_item(host_centre_id=host_centre_id, **fields))

    def check_plan_item(self, *, host_centre_id: UUID | None = None, **fields: Any) -> None:
        """Every check of a new item at once, the host's standing and each field, so that a form hears of all
        its mistakes in one answer; nothing is saved (a field given as None was unreadable in the form)."""
        self._all_at_once(lambda: self._good_host(host_centre_id), lambda: AnnualPlan.check_item(**fields))

    def publish_plan(self, year: int) -> int:
        self._plan_rights(year)
        return self._change(plan_id(year), AnnualPlan, lambda p: p.publish(self.today()))

    def change_plan_item(self, year: int, item_id: UUID, *, host_centre_id: UUID | None = None, **fields: Any) -> int:
        self._plan_rights(year)
        self._good_host(host_centre_id)
        return self._change(
            plan_id(year), AnnualPlan, lambda p: p.change_item(item_id, host_centre_id=host_centre_id, **fields)
        )

    def drop_plan_item(self, year: int, item_id: UUID, reason: str) -> int:
        self._plan_rights(year)
        return self._change(plan_id(year), AnnualPlan, lambda p: p.drop_item(item_id, reason))

    def link_plan_item(self, year: int, item_id: UUID, activity_id: UUID) -> int:
        self._plan_rights(year)
        activity = self._get(activity_id, Activity)
        if activity is None:
            raise InvalidField("activity_id", "unknown_activity")
        if activity.starts_on.year != year:
            raise RuleBroken("activity_id", "activity_outside_plan_year")
        return self._change(plan_id(year), AnnualPlan, lambda p: p.link_activity(item_id, activity_id))

    def unlink_plan_item(self, year: int, item_id: UUID, activity_id: UUID) -> int:
        self._plan_rights(year)
        return self._change(plan_id(year), AnnualPlan, lambda p: p.unlink_activity(item_id, activity_id))

    def plan_of(self, year: int) -> AnnualPlan | None:
        return self._get(plan_id(year), AnnualPlan)

    def _plan_rights(self, year: int) -> None:
        """A year's plan belongs to that year's chair (and the secretariat)."""
        self._chair_rights(today=False, years=(year,) if isinstance(year, int) else ())

    def _good_host(self, host_centre_id: UUID | None) -> None:
        if host_centre_id is not None:
            self._member_in_good_standing(host_centre_id, "host_centre_id")
