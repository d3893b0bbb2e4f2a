"""Commands on activities: one application method each, returning the notification id stored."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.activity import Activity
from domain.centre import Centre
from domain.errors import RuleBroken, UnknownCentre


class ActivityCommands:
    """Mixed into the application; ``_change``, ``_get`` and ``today`` come from it."""

    def plan_activity(self, *, host_centre_id: UUID, **fields: Any) -> tuple[UUID, int]:
        self._member_in_good_standing(host_centre_id, "host_centre_id")
        activity = Activity.plan(host_centre_id=host_centre_id, **fields)
        recordings = self.save(activity)  # type: ignore[attr-defined]
        return activity.id, recordings[-1].notification.id

    def add_co_organiser(self, activity_id: UUID, centre_id: UUID) -> int:
        self._member_in_good_standing(centre_id, "centre_id")
        return self._change(activity_id, Activity, lambda a: a.add_co_organiser(centre_id))  # type: ignore[attr-defined]

    def remove_co_organiser(self, activity_id: UUID, centre_id: UUID) -> int:
        return self._change(activity_id, Activity, lambda a: a.remove_co_organiser(centre_id))  # type: ignore[attr-defined]

    def reschedule_activity(self, activity_id: UUID, starts_on: date, ends_on: date, reason: str = "") -> int:
        return self._change(activity_id, Activity, lambda a: a.reschedule(starts_on, ends_on, reason))  # type: ignore[attr-defined]

    def cancel_activity(self, activity_id: UUID, reason: str) -> int:
        return self._change(activity_id, Activity, lambda a: a.cancel(reason))  # type: ignore[attr-defined]

    def join_activity(self, activity_id: UUID, centre_id: UUID, expected_participants: int) -> int:
        self._member_in_good_standing(centre_id, "centre_id")
        return self._change(  # type: ignore[attr-defined]
            activity_id, Activity, lambda a: a.join(centre_id, expected_participants, self.today())  # type: ignore[attr-defined]
        )

    def withdraw_from_activity(self, activity_id: UUID, centre_id: UUID) -> int:
        return self._change(activity_id, Activity, lambda a: a.withdraw(centre_id, self.today()))  # type: ignore[attr-defined]

    def add_presentation(self, activity_id: UUID, speaker: str, organisation: str, title: str) -> int:
        return self._change(  # type: ignore[attr-defined]
            activity_id, Activity, lambda a: a.add_presentation(speaker, organisation, title)
        )

    def remove_presentation(self, activity_id: UUID, presentation_id: UUID) -> int:
        return self._change(activity_id, Activity, lambda a: a.remove_presentation(presentation_id))  # type: ignore[attr-defined]

    def record_outcome(self, activity_id: UUID, **figures: Any) -> int:
        return self._change(  # type: ignore[attr-defined]
            activity_id, Activity, lambda a: a.record_outcome(today=self.today(), **figures)  # type: ignore[attr-defined]
        )

    def correct_outcome(self, activity_id: UUID, **figures: Any) -> int:
        return self._change(activity_id, Activity, lambda a: a.correct_outcome(**figures))  # type: ignore[attr-defined]

    def host_of(self, activity_id: UUID) -> UUID | None:
        """The host centre of an activity (None when there is no such activity)."""
        activity = self._get(activity_id, Activity)  # type: ignore[attr-defined]
        return activity.host_centre_id if activity is not None else None

    def _member_in_good_standing(self, centre_id: UUID, field: str) -> None:
        centre = self._get(centre_id, Centre)  # type: ignore[attr-defined]
        if centre is None:
            raise UnknownCentre(field)
        if not centre.is_member_in_good_standing:
            raise RuleBroken(field, "centre_not_member")
