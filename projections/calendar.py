"""The network's calendar: one row per activity, with its host centre's name."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

from domain.activity import Activity
from domain.centre import Centre
from projections.base import Projection
from projections.sql import Database, Row, Transaction


class Calendar(Projection):
    name = "calendar"
    tables = ("calendar_activities", "calendar_hosts")
    schema = (
        """
        CREATE TABLE IF NOT EXISTS calendar_hosts (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL
        )
        """,
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
            city TEXT NOT NULL,
            planned_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX IF NOT EXISTS calendar_by_start ON calendar_activities (starts_on, id)",
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
        host = tx.fetchone(
            "SELECT name FROM calendar_hosts WHERE id = ?", (str(event.host_centre_id),)
        )
        tx.execute(
            "INSERT INTO calendar_activities (id, title, kind, format, host_centre_id, host_name, "
            "starts_on, ends_on, city, planned_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO NOTHING",
            (
                str(event.originator_id),
                event.title,
                event.kind,
                event.format,
                str(event.host_centre_id),
                host["name"] if host else "",
                event.starts_on.isoformat(),
                event.ends_on.isoformat(),
                event.city,
                event.timestamp.isoformat(),
            ),
        )

    # Queries ------------------------------------------------------------------

    @staticmethod
    def activities(db: Database, limit: int = 50, offset: int = 0) -> list[Row]:
        return db.fetchall(
            "SELECT * FROM calendar_activities ORDER BY starts_on, id LIMIT ? OFFSET ?",
            (limit, offset),
        )

    @staticmethod
    def count(db: Database) -> int:
        row = db.fetchone("SELECT COUNT(*) AS n FROM calendar_activities")
        return int(row["n"]) if row else 0

    @staticmethod
    def get(db: Database, activity_id: object) -> Row | None:
        return db.fetchone("SELECT * FROM calendar_activities WHERE id = ?", (str(activity_id),))

    @staticmethod
    def hosted_by(db: Database, centre_id: str) -> list[Row]:
        return db.fetchall(
            "SELECT * FROM calendar_activities WHERE host_centre_id = ? ORDER BY starts_on, id",
            (centre_id,),
        )
