"""The history timeline: every event on every centre and activity, oldest first."""

from __future__ import annotations

import functools
import json
from dataclasses import fields
from typing import Any

import msgspec

from domain.registry import PUBLIC_NAMES
from projections.base import Projection
from projections.sql import Database, Row, Transaction

_ENVELOPE = {"originator_id", "originator_version", "timestamp", "originator_topic"}


@functools.cache
def _own_fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls) if f.name not in _ENVELOPE)


def event_details(event: Any) -> dict[str, Any]:
    """The event's own fields, as JSON-ready values."""
    return {
        name: value if isinstance(value, (int, str, type(None))) else str(value)
        for name in _own_fields(type(event))
        for value in [getattr(event, name)]
    }


_encode_sorted = msgspec.json.Encoder(order="sorted").encode


class Timeline(Projection):
    name = "timeline"
    tables = ("timeline_events",)
    schema = (
        """
        CREATE TABLE IF NOT EXISTS timeline_events (
            aggregate_id TEXT NOT NULL,
            aggregate_version INTEGER NOT NULL,
            event TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            details TEXT NOT NULL,
            actor TEXT NOT NULL DEFAULT '',
            actor_centre TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (aggregate_id, aggregate_version)
        )
        """,
    )

    def apply(self, event: Any, tx: Transaction) -> None:
        name = PUBLIC_NAMES.get(type(event))
        if name is None or name.startswith("centre_name."):
            return
        actor = getattr(event, "metadata", None) or {}
        tx.execute(
            "INSERT INTO timeline_events (aggregate_id, aggregate_version, event, recorded_at, details, actor, "
            "actor_centre) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (aggregate_id, aggregate_version) DO NOTHING",
            (
                str(event.originator_id), event.originator_version, name, event.timestamp.isoformat(),
                _encode_sorted(event_details(event)).decode(),
                actor.get("user", ""), actor.get("centre", ""),
            ),
        )

    @staticmethod
    def of(db: Database, aggregate_id: object) -> list[Row]:
        rows = db.fetchall(
            "SELECT * FROM timeline_events WHERE aggregate_id = ? ORDER BY aggregate_version",
            (str(aggregate_id),),
        )
        for row in rows:
            row["details"] = json.loads(row["details"])
        return rows
