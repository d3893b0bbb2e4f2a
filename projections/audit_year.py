"""What the year's audit needs beyond the pages' read models: every fact with when it was recorded.

Kept only in the audit's scratch database (never among the live read models, so the reconciliation
leaves it out): memberships, outcomes as first reported and as corrected, practices shared, endorsed,
adopted and their outcomes, the chair's handovers and their corrections, and the annual plans' items.
"""

from __future__ import annotations

import json
from functools import singledispatchmethod
from typing import Any

from domain.activity import Activity
from domain.centre import Centre
from domain.network import Network
from domain.plan import AnnualPlan
from domain.practice import Practice
from projections.base import Projection
from projections.sql import Transaction


def _at(event: Any) -> str:
    return str(event.timestamp.isoformat())


class YearRecord(Projection):
    name = "audit_year"
    tables = ("year_centres", "year_memberships", "year_outcomes", "year_practices", "year_handovers",
              "year_plan_items", "year_plans")
    schema = (
        "CREATE TABLE IF NOT EXISTS year_centres (id TEXT PRIMARY KEY, name TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS year_memberships (centre_id TEXT NOT NULL, event TEXT NOT NULL, "
        "on_date TEXT NOT NULL, recorded_at TEXT NOT NULL, position INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS year_outcomes (activity_id TEXT NOT NULL, event TEXT NOT NULL, "
        "participants INTEGER NOT NULL, young_people INTEGER NOT NULL, fewer_opportunities INTEGER NOT NULL, "
        "reason TEXT NOT NULL, recorded_at TEXT NOT NULL, version INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS year_practices (practice_id TEXT NOT NULL, event TEXT NOT NULL, "
        "centre_id TEXT NOT NULL, on_date TEXT NOT NULL, results TEXT NOT NULL, recorded_at TEXT NOT NULL, "
        "version INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS year_handovers (event TEXT NOT NULL, year INTEGER NOT NULL, centre_id TEXT NOT NULL, "
        "previous_centre_id TEXT NOT NULL, on_date TEXT NOT NULL, reason TEXT NOT NULL, recorded_at TEXT NOT NULL, "
        "version INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS year_plan_items (plan_id TEXT NOT NULL, year INTEGER NOT NULL DEFAULT 0, "
        "item_id TEXT PRIMARY KEY, kind TEXT NOT NULL, month INTEGER NOT NULL, dropped INTEGER NOT NULL DEFAULT 0, "
        "activity_id TEXT NOT NULL DEFAULT '')",
        "CREATE TABLE IF NOT EXISTS year_plans (id TEXT PRIMARY KEY, year INTEGER NOT NULL)",
    )

    @singledispatchmethod
    def apply(self, event: Any, tx: Transaction) -> None:
        """Other events do not change this record."""

    @apply.register
    def _(self, event: Centre.Registered, tx: Transaction) -> None:
        tx.execute("INSERT INTO year_centres VALUES (?, ?) ON CONFLICT (id) DO NOTHING", (str(event.originator_id), event.name))

    def _membership(self, event: Any, tx: Transaction, name: str, on: Any = None) -> None:
        on_date = (on or event.timestamp.date()).isoformat()
        tx.execute("INSERT INTO year_memberships VALUES (?, ?, ?, ?, ?)",
                   (str(event.originator_id), name, on_date, _at(event), event.originator_version))

    @apply.register
    def _(self, event: Centre.MembershipAdmitted, tx: Transaction) -> None:
        self._membership(event, tx, "admitted", event.decided_on)

    @apply.register
    def _(self, event: Centre.MembershipRejoined, tx: Transaction) -> None:
        self._membership(event, tx, "rejoined")

    @apply.register
    def _(self, event: Centre.MembershipReinstated, tx: Transaction) -> None:
        self._membership(event, tx, "reinstated")

    @apply.register
    def _(self, event: Centre.MembershipLeft, tx: Transaction) -> None:
        self._membership(event, tx, "left")

    @apply.register
    def _(self, event: Centre.MembershipSuspended, tx: Transaction) -> None:
        self._membership(event, tx, "suspended")

    def _outcome(self, event: Any, tx: Transaction, name: str, reason: str = "") -> None:
        tx.execute("INSERT INTO year_outcomes VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   (str(event.originator_id), name, event.participants, event.young_people, event.fewer_opportunities,
                    reason, _at(event), event.originator_version))

    @apply.register
    def _(self, event: Activity.Held, tx: Transaction) -> None:
        self._outcome(event, tx, "reported")

    @apply.register
    def _(self, event: Activity.OutcomeCorrected, tx: Transaction) -> None:
        self._outcome(event, tx, "corrected", event.reason)

    def _practice(self, event: Any, tx: Transaction, name: str, on: Any = None, results: Any = None) -> None:
        tx.execute("INSERT INTO year_practices VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (str(event.originator_id), name, str(event.centre_id), (on or event.timestamp.date()).isoformat(),
                    json.dumps(results or {}, sort_keys=True), _at(event), event.originator_version))

    @apply.register
    def _(self, event: Practice.Shared, tx: Transaction) -> None:
        self._practice(event, tx, "shared")

    @apply.register
    def _(self, event: Practice.Endorsed, tx: Transaction) -> None:
        self._practice(event, tx, "endorsed")

    @apply.register
    def _(self, event: Practice.Adopted, tx: Transaction) -> None:
        self._practice(event, tx, "adopted", event.adopted_on)

    @apply.register
    def _(self, event: Practice.AdoptionOutcomeRecorded, tx: Transaction) -> None:
        self._practice(event, tx, "outcome", None, event.results)

    @apply.register
    def _(self, event: Network.ChairHandedOver, tx: Transaction) -> None:
        tx.execute("INSERT INTO year_handovers VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   ("handover", event.year, str(event.centre_id), str(event.previous_centre_id or ""),
                    event.handed_over_on.isoformat(), "", _at(event), event.originator_version))

    @apply.register
    def _(self, event: Network.HandoverCorrected, tx: Transaction) -> None:
        tx.execute("INSERT INTO year_handovers VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   ("corrected", event.year, str(event.centre_id), str(event.replaced_centre_id),
                    event.timestamp.date().isoformat(), event.reason, _at(event), event.originator_version))

    @apply.register
    def _(self, event: AnnualPlan.Drafted, tx: Transaction) -> None:
        tx.execute("INSERT INTO year_plans VALUES (?, ?) ON CONFLICT (id) DO NOTHING", (str(event.originator_id), event.year))

    @apply.register
    def _(self, event: AnnualPlan.ItemAdded, tx: Transaction) -> None:
        tx.execute("INSERT INTO year_plan_items (plan_id, year, item_id, kind, month) VALUES "
                   "(?, COALESCE((SELECT year FROM year_plans WHERE id = ?), 0), ?, ?, ?) ON CONFLICT (item_id) DO NOTHING",
                   (str(event.originator_id), str(event.originator_id), str(event.item_id), event.kind, event.month))

    @apply.register
    def _(self, event: AnnualPlan.ItemChanged, tx: Transaction) -> None:
        tx.execute("UPDATE year_plan_items SET kind = ?, month = ? WHERE item_id = ?",
                   (event.kind, event.month, str(event.item_id)))

    @apply.register
    def _(self, event: AnnualPlan.ItemDropped, tx: Transaction) -> None:
        tx.execute("UPDATE year_plan_items SET dropped = 1 WHERE item_id = ?", (str(event.item_id),))

    @apply.register
    def _(self, event: AnnualPlan.ItemLinked, tx: Transaction) -> None:
        tx.execute("UPDATE year_plan_items SET activity_id = ? WHERE item_id = ?",
                   (str(event.activity_id), str(event.item_id)))
