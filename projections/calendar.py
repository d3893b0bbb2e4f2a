"""The network's calendar: activities, who organises and joins them, presentations, outcomes."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

from domain.activity import Activity
from domain.centre import Centre
from projections.base import Projection
from projections.calendar_queries import CalendarQueries
from projections.centres import search_key
from projections.sql import Transaction

# A centre's name as the calendar knows it, read inside the statement that needs it.
_CENTRE_NAME = "COALESCE((SELECT name FROM calendar_hosts WHERE id = ?), '')"


class Calendar(CalendarQueries, Projection):
    name = "calendar"
    tables = (
        "calendar_activities", "calendar_hosts", "calendar_participations", "calendar_presentations", "calendar_cities"
    )
    schema = (
        "CREATE TABLE IF NOT EXISTS calendar_cities (city TEXT PRIMARY KEY)",
        "CREATE TABLE IF NOT EXISTS calendar_hosts (id TEXT PRIMARY KEY, name TEXT NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS calendar_activities (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            kind TEXT NOT NULL,
            format TEXT NOT NULL,
            host_centre_id TEXT NOT NULL,
            host_name TEXT NOT NULL,
            starts_on TEXT NOT NULL,
            ends_on TEXT NOT NULL,
            month TEXT NOT NULL,
            city TEXT NOT NULL,
            venue TEXT NOT NULL,
            online_link TEXT NOT NULL,
            theme TEXT NOT NULL,
            description TEXT NOT NULL,
            language TEXT NOT NULL,
            capacity INTEGER,
            status TEXT NOT NULL,
            times_rescheduled INTEGER NOT NULL DEFAULT 0,
            cancel_reason TEXT NOT NULL DEFAULT '',
            expected_total INTEGER NOT NULL DEFAULT 0,
            participants INTEGER,
            young_people INTEGER,
            fewer_opportunities INTEGER,
            centres_attended INTEGER,
            summary TEXT NOT NULL DEFAULT '',
            materials_link TEXT NOT NULL DEFAULT '',
            stream_link TEXT NOT NULL DEFAULT '',
            planned_at TEXT NOT NULL,
            changed_at TEXT NOT NULL DEFAULT '',
            search TEXT NOT NULL
        )
        """,
        # Every query bounds the start date (an activity lasts at most a year), so no index on
        # the end date or the month is needed; each index costs the projector a write per activity.
        # The end date rides along at the end: "upcoming" passes over the last year's activities
        # that have ended, and reads their end dates from the index, not from the rows (at 20,000
        # activities 0.3 ms instead of 4.6 ms a page).
        "CREATE INDEX IF NOT EXISTS calendar_by_start ON calendar_activities (starts_on, id, ends_on)",
        "CREATE INDEX IF NOT EXISTS calendar_by_kind ON calendar_activities (kind, starts_on, id, ends_on)",
        "CREATE INDEX IF NOT EXISTS calendar_by_city ON calendar_activities (city, starts_on, id, ends_on)",
        # a centre's own: what it hosts, and which of its activities ended without an outcome ("My centre")
        "CREATE INDEX IF NOT EXISTS calendar_by_host ON calendar_activities (host_centre_id, status, ends_on)",
        """
        CREATE TABLE IF NOT EXISTS calendar_participations (
            activity_id TEXT NOT NULL,
            centre_id TEXT NOT NULL,
            centre_name TEXT NOT NULL,
            role TEXT NOT NULL,
            expected_participants INTEGER NOT NULL DEFAULT 0,
            starts_on TEXT NOT NULL,
            PRIMARY KEY (activity_id, centre_id)
        )
        """,
        "CREATE INDEX IF NOT EXISTS participations_by_centre ON calendar_participations (centre_id, starts_on)",
        """
        CREATE TABLE IF NOT EXISTS calendar_presentations (
            id TEXT PRIMARY KEY,
            activity_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            speaker TEXT NOT NULL,
            organisation TEXT NOT NULL,
            title TEXT NOT NULL
        )
        """,
        "CREATE INDEX IF NOT EXISTS presentations_by_activity ON calendar_presentations (activity_id, position)",
    )

    @singledispatchmethod
    def apply(self, event: Any, tx: Transaction) -> None:
        """Other events do not change this read model."""

    @apply.register
    def _(self, event: Centre.Registered, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO calendar_hosts (id, name) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
            (str(event.originator_id), event.name),
        )

    @apply.register
    def _(self, event: Activity.Planned, tx: Transaction) -> None:
        starts_on = event.starts_on.isoformat()
        activity_id, host_id = str(event.originator_id), str(event.host_centre_id)
        tx.execute(
            "INSERT INTO calendar_activities (id, title, kind, format, host_centre_id, host_name, starts_on, "
            "ends_on, month, city, venue, online_link, theme, description, language, capacity, status, "
            f"planned_at, changed_at, search) VALUES (?, ?, ?, ?, ?, {_CENTRE_NAME}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "'planned', ?, ?, ?) "
            "ON CONFLICT (id) DO NOTHING",
            (
                activity_id, event.title, event.kind, event.format, host_id,
                host_id, starts_on, event.ends_on.isoformat(), starts_on[:7], event.city, event.venue,
                event.online_link, event.theme, event.description, event.language, event.capacity,
                event.timestamp.isoformat(), event.timestamp.isoformat(), search_key(event.title, event.theme, event.city),
            ),
        )
        self._participation(tx, activity_id, host_id, "host", 0, starts_on)
        if event.city:
            tx.execute("INSERT INTO calendar_cities (city) VALUES (?) ON CONFLICT (city) DO NOTHING", (event.city,))

    @apply.register
    def _(self, event: Activity.CoOrganiserAdded, tx: Transaction) -> None:
        self._touch(tx, event)
        self._participation(tx, str(event.originator_id), str(event.centre_id), "co_organiser", 0)

    @apply.register
    def _(self, event: Activity.CoOrganiserRemoved, tx: Transaction) -> None:
        self._touch(tx, event)
        self._drop_participation(tx, event.originator_id, event.centre_id)

    @apply.register
    def _(self, event: Activity.CentreJoined, tx: Transaction) -> None:
        self._touch(tx, event)
        self._participation(
            tx, str(event.originator_id), str(event.centre_id), "participant", event.expected_participants
        )
        self._recount(tx, event.originator_id)

    @apply.register
    def _(self, event: Activity.CentreWithdrew, tx: Transaction) -> None:
        self._touch(tx, event)
        self._drop_participation(tx, event.originator_id, event.centre_id)
        self._recount(tx, event.originator_id)

    @apply.register
    def _(self, event: Activity.Rescheduled, tx: Transaction) -> None:
        self._touch(tx, event)
        starts_on = event.starts_on.isoformat()
        tx.execute(
            "UPDATE calendar_activities SET starts_on = ?, ends_on = ?, month = ?, "
            "times_rescheduled = times_rescheduled + 1 WHERE id = ?",
            (starts_on, event.ends_on.isoformat(), starts_on[:7], str(event.originator_id)),
        )
        tx.execute(
            "UPDATE calendar_participations SET starts_on = ? WHERE activity_id = ?",
            (starts_on, str(event.originator_id)),
        )

    @apply.register
    def _(self, event: Activity.Cancelled, tx: Transaction) -> None:
        self._touch(tx, event)
        tx.execute(
            "UPDATE calendar_activities SET status = 'cancelled', cancel_reason = ? WHERE id = ?",
            (event.reason, str(event.originator_id)),
        )

    @apply.register
    def _(self, event: Activity.PresentationAdded, tx: Transaction) -> None:
        self._touch(tx, event)
        tx.execute(
            "INSERT INTO calendar_presentations (id, activity_id, position, speaker, organisation, title) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            (
                str(event.presentation_id), str(event.originator_id), event.originator_version,
                event.speaker, event.organisation, event.title,
            ),
        )

    @apply.register
    def _(self, event: Activity.PresentationRemoved, tx: Transaction) -> None:
        self._touch(tx, event)
        tx.execute("DELETE FROM calendar_presentations WHERE id = ?", (str(event.presentation_id),))

    @apply.register
    def _(self, event: Activity.Held, tx: Transaction) -> None:
        self._touch(tx, event)
        tx.execute(
            "UPDATE calendar_activities SET status = 'held', participants = ?, young_people = ?, "
            "fewer_opportunities = ?, centres_attended = ?, summary = ?, materials_link = ?, stream_link = ? "
            "WHERE id = ?",
            (
                event.participants, event.young_people, event.fewer_opportunities, event.centres_attended,
                event.summary, event.materials_link, event.stream_link, str(event.originator_id),
            ),
        )

    @apply.register
    def _(self, event: Activity.OutcomeCorrected, tx: Transaction) -> None:
        self._touch(tx, event)
        tx.execute(
            "UPDATE calendar_activities SET participants = ?, young_people = ?, fewer_opportunities = ?, "
            "centres_attended = ? WHERE id = ?",
            (
                event.participants, event.young_people, event.fewer_opportunities, event.centres_attended,
                str(event.originator_id),
            ),
        )

    # Helpers ------------------------------------------------------------------

    @staticmethod
    def _touch(tx: Transaction, event: Any) -> None:
        """When the activity last changed: a calendar's LAST-MODIFIED, an API client's freshness."""
        tx.execute(
            "UPDATE calendar_activities SET changed_at = ? WHERE id = ?",
            (event.timestamp.isoformat(), str(event.originator_id)),
        )

    @staticmethod
    def _participation(
        tx: Transaction, activity_id: str, centre_id: str, role: str, expected: int, starts_on: str | None = None
    ) -> None:
        """The centre's name, and the activity's start unless given, are read in the statement itself."""
        start = "?" if starts_on is not None else "COALESCE((SELECT starts_on FROM calendar_activities WHERE id = ?), '')"
        tx.execute(
            "INSERT INTO calendar_participations (activity_id, centre_id, centre_name, role, "
            f"expected_participants, starts_on) VALUES (?, ?, {_CENTRE_NAME}, ?, ?, {start}) "
            "ON CONFLICT (activity_id, centre_id) "
            "DO UPDATE SET role = excluded.role, expected_participants = excluded.expected_participants",
            (activity_id, centre_id, centre_id, role, expected, starts_on if starts_on is not None else activity_id),
        )

    @staticmethod
    def _drop_participation(tx: Transaction, activity_id: Any, centre_id: Any) -> None:
        tx.execute(
            "DELETE FROM calendar_participations WHERE activity_id = ? AND centre_id = ?",
            (str(activity_id), str(centre_id)),
        )

    @staticmethod
    def _recount(tx: Transaction, activity_id: Any) -> None:
        tx.execute(
            "UPDATE calendar_activities SET expected_total = (SELECT COALESCE(SUM(expected_participants), 0) "
            "FROM calendar_participations WHERE activity_id = ?) WHERE id = ?",
            (str(activity_id), str(activity_id)),
        )
