"""An activity the network holds together (дейност): exchange, conference, training…"""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidField, RuleBroken
from domain.checks import (
    check_date_range,
    Validation,
    check_choice,
    check_dates,
    check_link,
    check_positive,
    check_text,
)

KINDS = (
    "exchange",
    "conference",
    "training",
    "online_meeting",
    "seminar",
    "round_table",
    "open_day",
)
FORMATS = ("live", "online", "hybrid")
LANGUAGES = ("bg", "en")  # the languages an activity is held in (ISO 639-1), as the form offers them
TITLE_MAX = 200
REASON_MAX = 500
FIGURE_MAX = 1_000_000
TEXT_MAX = 200
DESCRIPTION_MAX = 4000


class Activity(Aggregate):
    """An activity, planned by a host centre."""

    class Planned(Aggregate.Created):
        title: str
        kind: str
        format: str
        host_centre_id: UUID
        starts_on: date
        ends_on: date
        city: str
        venue: str
        online_link: str
        theme: str
        description: str
        language: str
        capacity: int | None

    @event(Planned)
    def __init__(
        self,
        title: str,
        kind: str,
        format: str,
        host_centre_id: UUID,
        starts_on: date,
        ends_on: date,
        city: str,
        venue: str,
        online_link: str,
        theme: str,
        description: str,
        language: str,
        capacity: int | None,
    ) -> None:
        self.title = title
        self.kind = kind
        self.format = format
        self.host_centre_id = host_centre_id
        self.starts_on = starts_on
        self.ends_on = ends_on
        self.city = city
        self.venue = venue
        self.online_link = online_link
        self.theme = theme
        self.description = description
        self.language = language
        self.capacity = capacity
        self.status = "planned"
        self.co_organisers: list[str] = []
        self.participants: dict[str, int] = {}
        self.presentations: list[str] = []
        self.outcome: dict[str, object] | None = None

    @classmethod
    def plan(
        cls,
        *,
        title: str,
        kind: str,
        host_centre_id: UUID,
        starts_on: date,
        ends_on: date,
        city: str,
        format: str = "live",
        venue: str = "",
        online_link: str = "",
        theme: str = "",
        description: str = "",
        language: str = "bg",
        capacity: int | None = None,
    ) -> Activity:
        """Check every field and the dates, then record the plan."""
        check = Validation()
        fields = dict(
            title=check(check_text, "title", title, max_length=TITLE_MAX),
            kind=check(check_choice, "kind", kind, KINDS),
            format=check(check_choice, "format", format, FORMATS),
            city=check(check_text, "city", city, max_length=TEXT_MAX, required=format != "online"),
            venue=check(check_text, "venue", venue, max_length=TEXT_MAX, required=False),
            online_link=check(check_link, "online_link", online_link),
            theme=check(check_text, "theme", theme, max_length=TEXT_MAX, required=False),
            description=check(
                check_text, "description", description, max_length=DESCRIPTION_MAX, required=False
            ),
            language=check(check_choice, "language", language, LANGUAGES),
            capacity=check(check_positive, "capacity", capacity),
        )
        check(check_dates, starts_on, ends_on)
        check.done()
        return cls(host_centre_id=host_centre_id, starts_on=starts_on, ends_on=ends_on, **fields)

    # Co-organisers ---------------------------------------------------------------

    class CoOrganiserAdded(Aggregate.Event):
        centre_id: UUID

    class CoOrganiserRemoved(Aggregate.Event):
        centre_id: UUID

    def add_co_organiser(self, centre_id: UUID) -> None:
        self._require_open()
        if centre_id == self.host_centre_id or str(centre_id) in self.co_organisers:
            raise RuleBroken("centre_id", "already_organiser")
        if str(centre_id) in self.participants:  # one role per centre: the read models keep one row each
            raise RuleBroken("centre_id", "already_joined")
        self._co_organiser_added(centre_id)

    def remove_co_organiser(self, centre_id: UUID) -> None:
        if str(centre_id) not in self.co_organisers:
            raise RuleBroken("centre_id", "not_an_organiser")
        self._require_open()  # who organised a cancelled or held activity stays on record
        self._co_organiser_removed(centre_id)

    @event(CoOrganiserAdded)
    def _co_organiser_added(self, centre_id: UUID) -> None:
        self.co_organisers.append(str(centre_id))

    @event(CoOrganiserRemoved)
    def _co_organiser_removed(self, centre_id: UUID) -> None:
        self.co_organisers.remove(str(centre_id))

    # Schedule ----------------------------------------------------------------------

    class Rescheduled(Aggregate.Event):
        starts_on: date
        ends_on: date
        reason: str

    class Cancelled(Aggregate.Event):
        reason: str

    def reschedule(self, starts_on: date, ends_on: date, reason: str = "") -> None:
        self._require_open()
        check = Validation()
        check(check_dates, starts_on, ends_on)
        reason = check(check_text, "reason", reason, max_length=REASON_MAX, required=False)
        check.done()
        if (starts_on, ends_on) == (self.starts_on, self.ends_on):
            raise RuleBroken("starts_on", "same_dates")
        self._rescheduled(starts_on, ends_on, reason)

    def cancel(self, reason: str) -> None:
        self._require_open()
        self._cancelled(check_text("reason", reason, max_length=REASON_MAX))

    @event(Rescheduled)
    def _rescheduled(self, starts_on: date, ends_on: date, reason: str) -> None:
        self.starts_on, self.ends_on = starts_on, ends_on

    @event(Cancelled)
    def _cancelled(self, reason: str) -> None:
        self.status = "cancelled"

    # Participation -----------------------------------------------------------------

    class CentreJoined(Aggregate.Event):
        centre_id: UUID
        expected_participants: int

    class CentreWithdrew(Aggregate.Event):
        centre_id: UUID

    def join(self, centre_id: UUID, expected_participants: int, today: date) -> None:
        self._require_open()
        if self.ends_on < today:
            raise RuleBroken(None, "activity_past")
        # the centre and the number checked in one pass (a centre_id of None was unreadable in a form)
        check = Validation()
        if centre_id is not None and (
            centre_id == self.host_centre_id or str(centre_id) in (*self.participants, *self.co_organisers)
        ):
            check.add(RuleBroken("centre_id", "already_joined"))
        expected = check(check_positive, "expected_participants", expected_participants)
        if check.passed("expected_participants") and not expected:
            check.add(InvalidField("expected_participants", "invalid_number"))
        elif check.passed("expected_participants") and self.capacity is not None and expected is not None \
                and self.expected_total + expected > self.capacity:
            check.add(RuleBroken(
                "expected_participants", "capacity_exceeded", places_left=self.capacity - self.expected_total
            ))
        check.done()
        assert expected is not None  # else done() raised
        self._joined(centre_id, expected)

    def withdraw(self, centre_id: UUID, today: date) -> None:
        if str(centre_id) not in self.participants:
            raise RuleBroken("centre_id", "not_joined")
        self._require_open()
        if self.ends_on < today:
            raise RuleBroken(None, "activity_past")
        self._withdrew(centre_id)

    @property
    def expected_total(self) -> int:
        return sum(self.participants.values())

    @event(CentreJoined)
    def _joined(self, centre_id: UUID, expected_participants: int) -> None:
        self.participants[str(centre_id)] = expected_participants

    @event(CentreWithdrew)
    def _withdrew(self, centre_id: UUID) -> None:
        self.participants.pop(str(centre_id), None)

    # Presentations -------------------------------------------------------------------

    class PresentationAdded(Aggregate.Event):
        presentation_id: UUID
        speaker: str
        organisation: str
        title: str

    class PresentationRemoved(Aggregate.Event):
        presentation_id: UUID

    def add_presentation(self, speaker: str, organisation: str, title: str) -> UUID:
        if self.status == "cancelled":
            raise RuleBroken(None, "activity_cancelled")
        check = Validation()
        speaker = check(check_text, "speaker", speaker, max_length=TEXT_MAX)
        organisation = check(check_text, "organisation", organisation, max_length=TEXT_MAX, required=False)
        title = check(check_text, "presentation_title", title, max_length=TITLE_MAX)
        check.done()
        presentation_id = uuid4()
        self._presentation_added(presentation_id, speaker, organisation, title)
        return presentation_id

    def remove_presentation(self, presentation_id: UUID) -> None:
        if str(presentation_id) not in self.presentations:
            raise InvalidField("presentation_id", "not_found")
        self._presentation_removed(presentation_id)

    @event(PresentationAdded)
    def _presentation_added(self, presentation_id: UUID, speaker: str, organisation: str, title: str) -> None:
        self.presentations.append(str(presentation_id))

    @event(PresentationRemoved)
    def _presentation_removed(self, presentation_id: UUID) -> None:
        self.presentations.remove(str(presentation_id))

    # Outcome -------------------------------------------------------------------------

    class Held(Aggregate.Event):
        participants: int
        young_people: int
        fewer_opportunities: int
        centres_attended: int
        summary: str
        materials_link: str
        stream_link: str

    class OutcomeCorrected(Aggregate.Event):
        """A reported figure changed: ``happened_on`` is when, the event's timestamp when it was recorded."""

        participants: int
        young_people: int
        fewer_opportunities: int
        centres_attended: int
        happened_on: date
        reason: str

    def record_outcome(
        self,
        *,
        today: date,
        participants: int,
        young_people: int,
        fewer_opportunities: int,
        centres_attended: int,
        summary: str = "",
        materials_link: str = "",
        stream_link: str = "",
    ) -> None:
        self._require_open()
        if self.ends_on > today:
            raise RuleBroken(None, "not_ended_yet")
        check = Validation()
        figures = _figures(check, participants, young_people, fewer_opportunities, centres_attended)
        summary = check(check_text, "summary", summary, max_length=DESCRIPTION_MAX, required=False)
        materials_link = check(check_link, "materials_link", materials_link)
        stream_link = check(check_link, "stream_link", stream_link)
        check.done()
        self._held(summary=summary, materials_link=materials_link, stream_link=stream_link, **figures)

    def correct_outcome(
        self,
        *,
        participants: int,
        young_people: int,
        fewer_opportunities: int,
        centres_attended: int,
        happened_on: date,
        reason: str,
    ) -> None:
        if self.status != "held" or self.outcome is None:
            raise RuleBroken(None, "no_outcome_yet")
        check = Validation()
        figures = _figures(check, participants, young_people, fewer_opportunities, centres_attended)
        reason = check(check_text, "reason", reason, max_length=REASON_MAX)
        check(check_date_range, "happened_on", happened_on)
        check.done()
        if all(self.outcome[k] == v for k, v in figures.items()):
            raise RuleBroken(None, "nothing_to_correct")
        self._outcome_corrected(happened_on=happened_on, reason=reason, **figures)

    @event(Held)
    def _held(
        self,
        participants: int,
        young_people: int,
        fewer_opportunities: int,
        centres_attended: int,
        summary: str,
        materials_link: str,
        stream_link: str,
    ) -> None:
        self.status = "held"
        self.outcome = dict(
            participants=participants,
            young_people=young_people,
            fewer_opportunities=fewer_opportunities,
            centres_attended=centres_attended,
        )

    @event(OutcomeCorrected)
    def _outcome_corrected(
        self,
        participants: int,
        young_people: int,
        fewer_opportunities: int,
        centres_attended: int,
        happened_on: date,
        reason: str,
    ) -> None:
        self.outcome = dict(
            participants=participants,
            young_people=young_people,
            fewer_opportunities=fewer_opportunities,
            centres_attended=centres_attended,
        )

    def _require_open(self) -> None:
        if self.status != "planned":
            raise RuleBroken(None, f"activity_{self.status}")


def _figures(
    check: Validation, participants: int, young_people: int, fewer_opportunities: int, centres_attended: int
) -> dict[str, int]:
    figures = dict(
        participants=check(check_positive, "participants", participants, maximum=FIGURE_MAX),
        young_people=check(check_positive, "young_people", young_people, maximum=FIGURE_MAX),
        fewer_opportunities=check(check_positive, "fewer_opportunities", fewer_opportunities, maximum=FIGURE_MAX),
        centres_attended=check(check_positive, "centres_attended", centres_attended, maximum=1000),
    )
    if check.errors or None in figures.values():  # None: a figure the form could not read, reported there
        return figures
    if figures["young_people"] > figures["participants"]:
        check.errors.append(InvalidField("young_people", "more_than_participants"))
    if figures["fewer_opportunities"] > figures["young_people"]:
        check.errors.append(InvalidField("fewer_opportunities", "more_than_young_people"))
    if figures["centres_attended"] < 1:
        check.errors.append(InvalidField("centres_attended", "at_least_one"))
    return figures
