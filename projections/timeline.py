"""The history timeline: every event on every centre and activity, oldest first."""

from __future__ import annotations

import functools
import json
from dataclasses import fields
from typing import Any

import msgspec

from domain.registry import EVENTS_BY_NAME, PUBLIC_NAMES
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


def _shown_name(event_class: type) -> str | None:
    """The public name of an event the timeline shows: public events, but a name's claims (the
    centre's own events say the name)."""
    name = PUBLIC_NAMES.get(event_class)
    return None if name is None or name.startswith("centre_name.") else name


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

    def handles(self, event_class: type) -> bool:
        return _shown_name(event_class) is not None

    def apply(self, event: Any, tx: Transaction) -> None:
        name = _shown_name(type(event))
        if name is None:
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
        """The aggregate's history, oldest first, readable: who acted (the account's name and its centre's,
        when a person did), and what each fact said (``facts``) or changed (``changes``)."""
        rows = db.fetchall(
            "SELECT t.*, COALESCE(a.display_name, '') AS actor_name, COALESCE(c.name, '') AS actor_centre_name "
            "FROM timeline_events t LEFT JOIN accounts a ON a.username = t.actor "
            "LEFT JOIN centres c ON c.id = t.actor_centre "
            "WHERE t.aggregate_id = ? ORDER BY t.aggregate_version",
            (str(aggregate_id),),
        )
        for row in rows:
            row["details"] = json.loads(row["details"])
        return readable(rows, _centre_names(db, rows))


# Facts that restate a state: the fields a later event repeats show only when they changed, as before -> after.
RESTATING = {"activity.rescheduled", "activity.outcome_corrected", "centre.profile_updated", "centre.label_renewed"}
STATEFUL = {
    "starts_on", "ends_on", "participants", "young_people", "fewer_opportunities", "centres_attended",
    "city", "region", "address", "contact", "website", "description", "valid_until",
}
CENTRE_FIELDS = ("centre_id", "host_centre_id")
# An id only names what an earlier fact of the same history added: its removal shows those fields instead.
NAMED_BY = {"staff_id": ("name", "role"), "presentation_id": ("speaker", "title")}


def _centre_names(db: Database, rows: list[Row]) -> dict[str, str]:
    ids = sorted({str(row["details"][f]) for row in rows for f in CENTRE_FIELDS if row["details"].get(f)})
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    return {r["id"]: r["name"] for r in db.fetchall(f"SELECT id, name FROM centres WHERE id IN ({marks})", ids)}


def _declared_order(event: str, details: dict[str, Any]) -> list[str]:
    cls = EVENTS_BY_NAME.get(event)
    order = list(_own_fields(cls)) if cls is not None else []
    return order + sorted(k for k in details if k not in order)


def readable(rows: list[Row], centre_names: dict[str, str]) -> list[Row]:
    """Each row gains ``facts`` [(field, value)] in the event's own field order (empty values and bare ids
    left out, centres by name) and ``changes`` [(field, before, after)] for what a restating fact changed."""
    known: dict[str, Any] = {}
    named: dict[str, dict[str, Any]] = {}
    for row in rows:
        details, facts, changes = row["details"], [], []
        for field in _declared_order(row["event"], details):
            value = details.get(field)
            if field in NAMED_BY:
                if value in named:
                    facts += [(f, named[value][f]) for f in NAMED_BY[field] if named[value].get(f)]
                else:
                    named[value] = {f: details.get(f) for f in NAMED_BY[field]}
                continue
            if field in CENTRE_FIELDS:
                value = centre_names.get(str(value), "") if value else ""
            if field in STATEFUL:
                before, known[field] = known.get(field), value
                if row["event"] in RESTATING and field in STATEFUL and before is not None:
                    if before != value:
                        changes.append((field, before, value))
                    continue
            if value not in (None, ""):
                facts.append((field, value))
        row["facts"], row["changes"] = facts, changes
    return rows
