"""The centres directory: one row per member centre."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

from uuid import UUID

from domain.centre import Centre
from projections.base import Projection
from projections.sql import Database, Row, Transaction


class CentresDirectory(Projection):
    name = "centres"
    tables = ("centres",)
    schema = (
        """
        CREATE TABLE IF NOT EXISTS centres (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            city TEXT NOT NULL,
            region TEXT NOT NULL,
            website TEXT NOT NULL,
            description TEXT NOT NULL,
            registered_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX IF NOT EXISTS centres_by_name ON centres (name)",
    )

    @singledispatchmethod
    def apply(self, event: Any, tx: Transaction) -> None:
        """Other events do not change this read model."""

    @apply.register
    def _(self, event: Centre.Registered, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO centres (id, name, city, region, website, description, registered_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            (
                str(event.originator_id),
                event.name,
                event.city,
                event.region,
                event.website,
                event.description,
                event.timestamp.isoformat(),
            ),
        )

    # Queries ------------------------------------------------------------------

    @staticmethod
    def all(db: Database) -> list[Row]:
        return db.fetchall("SELECT * FROM centres ORDER BY name")

    @staticmethod
    def get(db: Database, centre_id: UUID) -> Row | None:
        return db.fetchone("SELECT * FROM centres WHERE id = ?", (str(centre_id),))

    @staticmethod
    def count(db: Database) -> int:
        row = db.fetchone("SELECT COUNT(*) AS n FROM centres")
        return int(row["n"]) if row else 0
