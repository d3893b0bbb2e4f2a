"""The network's governance: who chairs it each year (and every correction), the rotation, the annual meetings."""

from __future__ import annotations

import json
from datetime import date
from functools import singledispatchmethod
from typing import Any

from domain.centre import Centre
from domain.network import Network
from projections.base import Projection
from projections.sql import Database, Row, Transaction


class NetworkGovernance(Projection):
    name = "network"
    tables = ("network_centres", "network_chairs", "network_chair_history", "network_rotation", "network_meetings")
    schema = (
        "CREATE TABLE IF NOT EXISTS network_centres (id TEXT PRIMARY KEY, name TEXT NOT NULL, membership TEXT NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS network_chairs (
            year INTEGER PRIMARY KEY,
            centre_id TEXT NOT NULL,
            centre_name TEXT NOT NULL,
            handed_over_on TEXT NOT NULL,
            previous_centre_id TEXT,
            recorded_at TEXT NOT NULL,
            corrections INTEGER NOT NULL DEFAULT 0
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS network_chair_history (
            version INTEGER PRIMARY KEY,
            year INTEGER NOT NULL,
            event TEXT NOT NULL,
            centre_id TEXT NOT NULL,
            centre_name TEXT NOT NULL,
            replaced_name TEXT NOT NULL DEFAULT '',
            handed_over_on TEXT,
            reason TEXT NOT NULL DEFAULT '',
            recorded_at TEXT NOT NULL
        )
        """,
        "CREATE TABLE IF NOT EXISTS network_rotation (position INTEGER PRIMARY KEY, centre_id TEXT NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS network_meetings (
            report_year INTEGER PRIMARY KEY,
            held_on TEXT NOT NULL,
            next_chair_id TEXT NOT NULL,
            next_chair_name TEXT NOT NULL,
            priorities TEXT NOT NULL,
            recorded_at TEXT NOT NULL
        )
        """,
    )

    @singledispatchmethod
    def apply(self, event: Any, tx: Transaction) -> None:
        """Other events do not change this read model."""

    @apply.register
    def _(self, event: Centre.Registered, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO network_centres (id, name, membership) VALUES (?, ?, 'registered') ON CONFLICT (id) DO NOTHING",
            (str(event.originator_id), event.name),
        )

    def _membership(self, event: Any, tx: Transaction, state: str) -> None:
        tx.execute("UPDATE network_centres SET membership = ? WHERE id = ?", (state, str(event.originator_id)))

    @apply.register
    def _(self, event: Centre.MembershipAdmitted, tx: Transaction) -> None:
        self._membership(event, tx, "admitted")

    @apply.register
    def _(self, event: Centre.MembershipReinstated, tx: Transaction) -> None:
        self._membership(event, tx, "admitted")

    @apply.register
    def _(self, event: Centre.MembershipRejoined, tx: Transaction) -> None:
        self._membership(event, tx, "admitted")

    @apply.register
    def _(self, event: Centre.MembershipSuspended, tx: Transaction) -> None:
        self._membership(event, tx, "suspended")

    @apply.register
    def _(self, event: Centre.MembershipLeft, tx: Transaction) -> None:
        self._membership(event, tx, "left")

    @apply.register
    def _(self, event: Network.RotationSet, tx: Transaction) -> None:
        tx.execute("DELETE FROM network_rotation")
        for position, centre_id in enumerate(event.order, start=1):
            tx.execute("INSERT INTO network_rotation (position, centre_id) VALUES (?, ?)", (position, str(centre_id)))

    @apply.register
    def _(self, event: Network.ChairHandedOver, tx: Transaction) -> None:
        name = _name(tx, event.centre_id)
        on = event.handed_over_on.isoformat()
        previous = str(event.previous_centre_id) if event.previous_centre_id else None
        tx.execute(
            "INSERT INTO network_chairs (year, centre_id, centre_name, handed_over_on, previous_centre_id, recorded_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (year) DO NOTHING",
            (event.year, str(event.centre_id), name, on, previous, event.timestamp.isoformat()),
        )
        self._history(tx, event, "handover", name, handed_over_on=on)

    @apply.register
    def _(self, event: Network.HandoverCorrected, tx: Transaction) -> None:
        name = _name(tx, event.centre_id)
        tx.execute(
            "UPDATE network_chairs SET centre_id = ?, centre_name = ?, corrections = corrections + 1 WHERE year = ?",
            (str(event.centre_id), name, event.year),
        )
        self._history(tx, event, "correction", name, replaced=_name(tx, event.replaced_centre_id), reason=event.reason)

    @apply.register
    def _(self, event: Network.AnnualMeetingHeld, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO network_meetings (report_year, held_on, next_chair_id, next_chair_name, priorities, "
            "recorded_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (report_year) DO NOTHING",
            (
                event.report_year, event.held_on.isoformat(), str(event.next_chair_id),
                _name(tx, event.next_chair_id), json.dumps(event.priorities, ensure_ascii=False),
                event.timestamp.isoformat(),
            ),
        )

    @staticmethod
    def _history(
        tx: Transaction, event: Any, kind: str, name: str, replaced: str = "", handed_over_on: str | None = None,
        reason: str = "",
    ) -> None:
        tx.execute(
            "INSERT INTO network_chair_history (version, year, event, centre_id, centre_name, replaced_name, "
            "handed_over_on, reason, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (version) DO NOTHING",
            (
                event.originator_version, event.year, kind, str(event.centre_id), name, replaced, handed_over_on,
                reason, event.timestamp.isoformat(),
            ),
        )

    # Queries ------------------------------------------------------------------

    @staticmethod
    def chairs(db: Database) -> list[Row]:
        """Who chaired when, the latest year first."""
        return db.fetchall("SELECT * FROM network_chairs ORDER BY year DESC")

    @staticmethod
    def chair_history(db: Database) -> list[Row]:
        """Every handover and correction, in the order they were recorded."""
        return db.fetchall("SELECT * FROM network_chair_history ORDER BY version")

    @staticmethod
    def current_chair(db: Database, today: date) -> Row | None:
        """The chair of the latest year whose handover has taken place by today."""
        return db.fetchone(
            "SELECT * FROM network_chairs WHERE handed_over_on <= ? AND year <= ? ORDER BY year DESC LIMIT 1",
            (today.isoformat(), today.year + 1),
        )

    @staticmethod
    def rotation(db: Database) -> list[Row]:
        return db.fetchall(
            "SELECT r.position, r.centre_id, c.name, c.membership FROM network_rotation r "
            "JOIN network_centres c ON c.id = r.centre_id ORDER BY r.position"
        )

    @staticmethod
    def next_in_rotation(rotation: list[Row], chair_id: str | None) -> Row | None:
        """The first member in good standing after the chair in the rotation (from the top when the
        chair is not in it), never the chair itself: no centre chairs two years running."""
        ids = [row["centre_id"] for row in rotation]
        start = ids.index(chair_id) + 1 if chair_id in ids else 0
        for row in rotation[start:] + rotation[:start]:
            if row["membership"] == "admitted" and row["centre_id"] != chair_id:
                return row
        return None

    @staticmethod
    def meetings(db: Database) -> list[Row]:
        rows = db.fetchall("SELECT * FROM network_meetings ORDER BY report_year DESC")
        for row in rows:
            row["priorities"] = json.loads(row["priorities"])
        return rows

    @staticmethod
    def members(db: Database) -> list[Row]:
        return db.fetchall("SELECT * FROM network_centres WHERE membership = 'admitted' ORDER BY name")


def _name(tx: Transaction, centre_id: Any) -> str:
    row = tx.fetchone("SELECT name FROM network_centres WHERE id = ?", (str(centre_id),))
    return row["name"] if row else ""
