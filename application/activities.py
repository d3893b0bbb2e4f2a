"""Commands on activities: planning, co-organisers, participation, presentations and the outcome."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from application.base import Commands
from domain.activity import Activity
from domain.errors import NotFound


class Activities(Commands):
    def plan_activity(self, *, host_centre_id: UUID, **fields: Any) -> tuple[UUID, int]:
        activity = self.check_plan(host_centre_id=host_centre_id, **fields)
        return activity.id, self._save(activity)

    def check_plan(self, *, host_centre_id: UUID | None, **fields: Any) -> Activity:
        """Every check of planning at once, the host's standing and each field, so that a form hears of
        all its mistakes in one answer; nothing is saved. A field given as None was malformed in the form
        (its error is already known): its own check fails, the others still run."""
        planned: list[Activity] = []
        self._all_at_once(
            lambda: self._standing_of(host_centre_id, "host_centre_id"),
            lambda: planned.append(Activity.plan(host_centre_id=host_centre_id, **fields)),  # type: ignore[arg-type]
        )
        return planned[0]

    def add_co_organiser(self, activity_id: UUID, centre_id: UUID) -> int:
        self._member_in_good_standing(centre_id, "centre_id")
        return self._change(activity_id, Activity, lambda a: a.add_co_organiser(centre_id))

    def remove_co_organiser(self, activity_id: UUID, centre_id: UUID) -> int:
        return self._change(activity_id, Activity, lambda a: a.remove_co_organiser(centre_id))

    def reschedule_activity(self, activity_id: UUID, starts_on: date, ends_on: date, reason: str = "") -> int:
        return self._change(activity_id, Activity, lambda a: a.reschedule(starts_on, ends_on, reason))

    def cancel_activity(self, activity_id: UUID, reason: str) -> int:
        return self._change(activity_id, Activity, lambda a: a.cancel(reason))

    def join_activity(self, activity_id: UUID, centre_id: UUID, expected_participants: int) -> int:
        return self._save(self.check_join(activity_id, centre_id, expected_participants))

    def check_join(self, activity_id: UUID, centre_id: UUID | None, expected_participants: int | None) -> Activity:
        """Every check of joining at once, the centre's standing and the activity's rules: the activity told
        of it, not saved. A field given as None was unreadable in the form: the others are still checked."""
        activity = self._get(activity_id, Activity)
        if activity is None:
            raise NotFound(None)
        self._all_at_once(
            lambda: self._standing_of(centre_id, "centre_id"),
            lambda: activity.join(centre_id, expected_participants, self.today()),  # type: ignore[arg-type]  # None: see above
        )
        return activity

    def withdraw_from_activity(self, activity_id: UUID, centre_id: UUID) -> int:
        return self._change(activity_id, Activity, lambda a: a.withdraw(centre_id, self.today()))

    def add_presentation(self, activity_id: UUID, speaker: str, organisation: str, title: str) -> int:
        return self._change(activity_id, Activity, lambda a: a.add_presentation(speaker, organisation, title))

    def remove_presentation(self, activity_id: UUID, presentation_id: UUID) -> int:
        return self._change(activity_id, Activity, lambda a: a.remove_presentation(presentation_id))

    def record_outcome(self, activity_id: UUID, **figures: Any) -> int:
        return self._change(activity_id, Activity, lambda a: a.record_outcome(today=self.today(), **figures))

    def correct_outcome(self, activity_id: UUID, **figures: Any) -> int:
        return self._change(activity_id, Activity, lambda a: a.correct_outcome(**figures))

    def check_outcome(self, activity_id: UUID, **figures: Any) -> None:
        """Every check of an outcome at once, on the activity as it stands; nothing is saved (the activity
        is loaded, told, and dropped). A figure given as None was unreadable in the form."""
        activity = self._get(activity_id, Activity)
        if activity is not None:
            activity.record_outcome(today=self.today(), **figures)

    def check_reschedule(self, activity_id: UUID, starts_on: date | None, ends_on: date | None, reason: str = "") -> None:
        """Every check of new dates at once, as ``check_outcome``; nothing is saved."""
        activity = self._get(activity_id, Activity)
        if activity is not None:
            activity.reschedule(starts_on, ends_on, reason)  # type: ignore[arg-type]  # None: unreadable

    def check_correction(self, activity_id: UUID, **figures: Any) -> None:
        """Every check of a correction at once, as ``check_outcome``; nothing is saved."""
        activity = self._get(activity_id, Activity)
        if activity is not None:
            activity.correct_outcome(**figures)
