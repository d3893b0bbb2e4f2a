"""Commands on the annual plans: one application method each, returning the notification id stored.

A plan is found by its year. The chair of the year drafts it; hosts must be
members in good standing; an item is realised only by an activity of the plan's year.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from domain.activity import Activity
from domain.errors import InvalidField, RuleBroken
from domain.network import check_year
from domain.plan import AnnualPlan, plan_id


class PlanCommands:
    """Mixed into the application; ``_change``, ``_get``, ``_exists``, ``today`` come from it."""

    def draft_plan(self, year: int, priorities: Sequence[str]) -> tuple[UUID, int]:
        check_year("year", year)
        chair = self.chair_of(year)  # type: ignore[attr-defined]
        if chair is None:
            raise RuleBroken("year", "no_chair_for_year")
        if self._exists(plan_id(year)):  # type: ignore[attr-defined]
            raise RuleBroken("year", "plan_exists")
        plan = AnnualPlan.draft(year=year, chair_centre_id=chair, priorities=priorities)
        try:
            recordings = self.save(plan)  # type: ignore[attr-defined]
        except IntegrityError:
            raise RuleBroken("year", "plan_exists") from None
        return plan.id, recordings[-1].notification.id

    def add_plan_item(self, year: int, *, host_centre_id: UUID | None = None, **fields: Any) -> int:
        self._good_host(host_centre_id)
        return self._change(  # type: ignore[attr-defined]
            plan_id(year), AnnualPlan, lambda p: p.add_item(host_centre_id=host_centre_id, **fields)
        )

    def publish_plan(self, year: int) -> int:
        return self._change(plan_id(year), AnnualPlan, lambda p: p.publish(self.today()))  # type: ignore[attr-defined]

    def change_plan_item(self, year: int, item_id: UUID, *, host_centre_id: UUID | None = None, **fields: Any) -> int:
        self._good_host(host_centre_id)
        return self._change(  # type: ignore[attr-defined]
            plan_id(year), AnnualPlan, lambda p: p.change_item(item_id, host_centre_id=host_centre_id, **fields)
        )

    def drop_plan_item(self, year: int, item_id: UUID, reason: str) -> int:
        return self._change(plan_id(year), AnnualPlan, lambda p: p.drop_item(item_id, reason))  # type: ignore[attr-defined]

    def link_plan_item(self, year: int, item_id: UUID, activity_id: UUID) -> int:
        activity = self._get(activity_id, Activity)  # type: ignore[attr-defined]
        if activity is None:
            raise InvalidField("activity_id", "unknown_activity")
        if activity.starts_on.year != year:
            raise RuleBroken("activity_id", "activity_outside_plan_year")
        return self._change(plan_id(year), AnnualPlan, lambda p: p.link_activity(item_id, activity_id))  # type: ignore[attr-defined]

    def plan_of(self, year: int) -> AnnualPlan | None:
        return self._get(plan_id(year), AnnualPlan)  # type: ignore[attr-defined]

    def _good_host(self, host_centre_id: UUID | None) -> None:
        if host_centre_id is not None:
            self._member_in_good_standing(host_centre_id, "host_centre_id")  # type: ignore[attr-defined]
