"""An activity the network holds together (дейност): exchange, conference, training…"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.checks import (
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
TITLE_MAX = 200
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
            language=check(check_text, "language", language, max_length=10),
            capacity=check(check_positive, "capacity", capacity),
        )
        check(check_dates, starts_on, ends_on)
        check.done()
        return cls(host_centre_id=host_centre_id, starts_on=starts_on, ends_on=ends_on, **fields)
