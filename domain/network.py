"""The network itself (Национална мрежа на младежките центрове): rotation, chair, annual meeting.

One aggregate with a fixed id. A handover is recorded once and never edited: a
mistaken one is corrected by a new event that names the centre it replaces.
Whether a centre is a member in good standing is known to the centre, so the
application checks it before calling these methods.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5
from zoneinfo import ZoneInfo

from eventsourcing.domain import Aggregate, event

from domain.checks import Validation, check_date_range, check_text
from domain.errors import InvalidField, RuleBroken

NETWORK_ID = uuid5(NAMESPACE_URL, "/mrezha/network")
SOFIA = ZoneInfo("Europe/Sofia")  # the network's dates and times are Sofia's, whatever the server's zone
NETWORK_NAME = "Национална мрежа на младежките центрове"
YEAR_MIN, YEAR_MAX = 2000, 2100
REASON_MAX = 500
PRIORITY_MAX = 200
PRIORITIES_MAX = 12
ROTATION_MAX = 200


def check_year(field: str, year: int) -> int:
    if not isinstance(year, int) or isinstance(year, bool) or not YEAR_MIN <= year <= YEAR_MAX:
        raise InvalidField(field, "invalid_year")
    return year


def check_date(field: str, value: date, today: date) -> date:
    check_date_range(field, value)
    if value > today:
        raise InvalidField(field, "date_in_future")
    return value


def check_priorities(field: str, priorities: Sequence[str]) -> list[str]:
    """Each priority stripped; blank lines dropped; at least one, at most ``PRIORITIES_MAX``."""
    cleaned = [check_text(field, p, max_length=PRIORITY_MAX, required=False) for p in priorities]
    cleaned = [p for p in cleaned if p]
    if not cleaned:
        raise InvalidField(field, "required")
    if len(cleaned) > PRIORITIES_MAX:
        raise InvalidField(field, "too_many", maximum=PRIORITIES_MAX)
    return cleaned


class Network(Aggregate):
    """The network: who chairs it each year, in which order centres take the chair, its annual meetings."""

    class Founded(Aggregate.Created):
        name: str

    @staticmethod
    def create_id(*_: Any, **__: Any) -> UUID:
        return NETWORK_ID

    @event(Founded)
    def __init__(self, name: str) -> None:
        self.name = name
        self.rotation: list[str] = []
        self.chairs: dict[int, str] = {}
        self.handed_over_on: dict[int, date] = {}
        self.confirmed: dict[int, str] = {}
        self.meetings: set[int] = set()

    # Rotation --------------------------------------------------------------------

    class RotationSet(Aggregate.Event):
        order: list[UUID]

    def set_rotation(self, order: Sequence[UUID]) -> None:
        order = list(order)
        if len(order) < 2:
            raise InvalidField("order", "rotation_too_short")
        if len(order) > ROTATION_MAX:
            raise InvalidField("order", "too_many", maximum=ROTATION_MAX)
        if len({str(c) for c in order}) != len(order):
            raise InvalidField("order", "duplicate_in_rotation")
        if [str(c) for c in order] == self.rotation:
            raise RuleBroken("order", "same_rotation")
        self._rotation_set(order)

    @event(RotationSet)
    def _rotation_set(self, order: list[UUID]) -> None:
        self.rotation = [str(c) for c in order]

    # The chair -------------------------------------------------------------------

    class ChairHandedOver(Aggregate.Event):
        year: int
        centre_id: UUID
        handed_over_on: date
        previous_centre_id: UUID | None

    class HandoverCorrected(Aggregate.Event):
        """The handover of ``year`` went to ``centre_id``, not to ``replaced_centre_id`` as recorded."""

        year: int
        centre_id: UUID
        replaced_centre_id: UUID
        reason: str

    def hand_over_chair(self, year: int, centre_id: UUID, handed_over_on: date, today: date) -> None:
        """Every field checked in one pass: a rule comparing fields runs once each of them is sound (a
        ``centre_id`` of None was unreadable in a form: only the others are checked)."""
        check = Validation()
        year = check(check_year, "year", year)
        handed_over_on = check(check_date, "handed_over_on", handed_over_on, today)
        if check.passed("year", "handed_over_on") and handed_over_on.year not in (year - 1, year):
            check.add(InvalidField("handed_over_on", "handover_outside_year"))
        if check.passed("year") and year in self.chairs:
            check.add(RuleBroken("year", "chair_already_handed_over"))
        elif check.passed("year") and centre_id is not None:
            check(self._check_not_two_years_running, "centre_id", year, centre_id)
            confirmed = self.confirmed.get(year)
            if confirmed is not None and confirmed != str(centre_id):
                check.add(RuleBroken("centre_id", "not_the_confirmed_chair"))
        check.done()
        previous = self.chairs.get(year - 1)
        self._handed_over(year, centre_id, handed_over_on, UUID(previous) if previous else None)

    def correct_handover(self, year: int, centre_id: UUID, reason: str) -> None:
        check = Validation()
        year = check(check_year, "year", year)
        reason = check(check_text, "reason", reason, max_length=REASON_MAX)
        check.done()
        recorded = self.chairs.get(year)
        if recorded is None:
            raise RuleBroken("year", "no_handover_to_correct")
        if recorded == str(centre_id):
            raise RuleBroken("centre_id", "same_chair")
        self._check_not_two_years_running("centre_id", year, centre_id)
        self._handover_corrected(year, centre_id, UUID(recorded), reason)

    def chair_of(self, year: int) -> UUID | None:
        chair = self.chairs.get(year)
        return UUID(chair) if chair else None

    def current_chair(self, today: date) -> UUID | None:
        """The chair of the latest year whose handover has taken place by ``today``."""
        years = [y for y, on in self.handed_over_on.items() if on <= today and y <= today.year + 1]
        return self.chair_of(max(years)) if years else None

    def _check_not_two_years_running(self, field: str, year: int, centre_id: UUID) -> None:
        if str(centre_id) in (self.chairs.get(year - 1), self.chairs.get(year + 1)):
            raise RuleBroken(field, "chair_two_years_running")

    @event(ChairHandedOver)
    def _handed_over(self, year: int, centre_id: UUID, handed_over_on: date, previous_centre_id: UUID | None) -> None:
        self.chairs[year] = str(centre_id)
        self.handed_over_on[year] = handed_over_on

    @event(HandoverCorrected)
    def _handover_corrected(self, year: int, centre_id: UUID, replaced_centre_id: UUID, reason: str) -> None:
        self.chairs[year] = str(centre_id)

    # The annual meeting ------------------------------------------------------------

    class AnnualMeetingHeld(Aggregate.Event):
        """Last year's report adopted, next year's chair confirmed, next year's priorities set."""

        held_on: date
        report_year: int
        next_chair_id: UUID
        priorities: list[str]

    def record_annual_meeting(
        self, *, held_on: date, report_year: int, next_chair_id: UUID, priorities: Sequence[str], today: date
    ) -> None:
        """Every field checked in one pass, as ``hand_over_chair``."""
        check = Validation()
        report_year = check(check_year, "report_year", report_year)
        held_on = check(check_date, "held_on", held_on, today)
        priorities = check(check_priorities, "priorities", priorities)
        if check.passed("report_year", "held_on") and not date(report_year, 12, 1) <= held_on <= date(report_year + 1, 12, 31):
            check.add(InvalidField("held_on", "meeting_outside_year_end"))
        if check.passed("report_year") and report_year in self.meetings:
            check.add(RuleBroken("report_year", "meeting_already_recorded"))
        if check.passed("report_year") and next_chair_id is not None:
            next_year = report_year + 1
            check(self._check_not_two_years_running, "next_chair_id", next_year, next_chair_id)
            if self.chairs.get(next_year, str(next_chair_id)) != str(next_chair_id):
                check.add(RuleBroken("next_chair_id", "chair_already_handed_over"))
        check.done()
        self._meeting_held(held_on, report_year, next_chair_id, priorities)

    @event(AnnualMeetingHeld)
    def _meeting_held(self, held_on: date, report_year: int, next_chair_id: UUID, priorities: list[str]) -> None:
        self.meetings.add(report_year)
        self.confirmed[report_year + 1] = str(next_chair_id)
