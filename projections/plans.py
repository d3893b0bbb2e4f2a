"""The annual plans: each year's plan as it stands, as it was published, its history, and the activities
that realise its items. Activities' titles and statuses are kept here too (from the activities' own
events), so a plan's progress is one read model's business and a rebuild gives it back exactly."""

from __future__ import annotations

import json
from functools import singledispatchmethod
from typing import Any

from domain.activity import Activity
from domain.centre import Centre
from domain.plan import AnnualPlan
from projections.base import Projection
from projections.plan_queries import PlanQueries
from projections.sql import Transaction

ITEM_COLUMNS = """
    item_id TEXT PRIMARY KEY,
    year INTEGER NOT NULL,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    theme TEXT NOT NULL,
    host_centre_id TEXT NOT NULL,
    host_name TEXT NOT NULL,
    month INTEGER NOT NULL
"""


class Plans(PlanQueries, Projection):
    name = "plans"
    tables = (
        "plan_centres", "plan_activities", "plans", "plan_items", "plan_published_items", "plan_links", "plan_history"
    )
    schema = (
        "CREATE TABLE IF NOT EXISTS plan_centres (id TEXT PRIMARY KEY, name TEXT NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS plan_activities (
            id TEXT PRIMARY KEY, title TEXT NOT NULL, kind TEXT NOT NULL, host_name TEXT NOT NULL,
            starts_on TEXT NOT NULL, status TEXT NOT NULL
        )
        """,
        "CREATE INDEX IF NOT EXISTS plan_activities_by_start ON plan_activities (starts_on, id)",
        """
        CREATE TABLE IF NOT EXISTS plans (
            year INTEGER PRIMARY KEY,
            plan_id TEXT NOT NULL,
            chair_centre_id TEXT NOT NULL,
            chair_name TEXT NOT NULL,
            priorities TEXT NOT NULL,
            status TEXT NOT NULL,
            drafted_at TEXT NOT NULL,
            published_on TEXT,
            report_adopted_on TEXT,
            report TEXT
        )
        """,
        f"""
        CREATE TABLE IF NOT EXISTS plan_items ({ITEM_COLUMNS},
            dropped INTEGER NOT NULL DEFAULT 0,
            drop_reason TEXT NOT NULL DEFAULT '',
            added_after_publication INTEGER NOT NULL DEFAULT 0,
            times_changed INTEGER NOT NULL DEFAULT 0
        )
        """,
        "CREATE INDEX IF NOT EXISTS plan_items_by_year ON plan_items (year, month, position)",
        f"CREATE TABLE IF NOT EXISTS plan_published_items ({ITEM_COLUMNS})",
        "CREATE INDEX IF NOT EXISTS plan_published_by_year ON plan_published_items (year, month, position)",
        """
        CREATE TABLE IF NOT EXISTS plan_links (
            activity_id TEXT PRIMARY KEY, item_id TEXT NOT NULL, year INTEGER NOT NULL
        )
        """,
        "CREATE INDEX IF NOT EXISTS plan_links_by_year ON plan_links (year, item_id)",
        """
        CREATE TABLE IF NOT EXISTS plan_history (
            year INTEGER NOT NULL, version INTEGER NOT NULL, event TEXT NOT NULL, theme TEXT NOT NULL,
            details TEXT NOT NULL, recorded_at TEXT NOT NULL, PRIMARY KEY (year, version)
        )
        """,
    )

    @singledispatchmethod
    def apply(self, event: Any, tx: Transaction) -> None:
        """Other events do not change this read model."""

    # Centres and activities ------------------------------------------------------

    @apply.register
    def _(self, event: Centre.Registered, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO plan_centres (id, name) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
            (str(event.originator_id), event.name),
        )

    @apply.register
    def _(self, event: Activity.Planned, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO plan_activities (id, title, kind, host_name, starts_on, status) "
            f"VALUES (?, ?, ?, {_CENTRE_NAME}, ?, 'planned') ON CONFLICT (id) DO NOTHING",
            (
                str(event.originator_id), event.title, event.kind, str(event.host_centre_id),
                event.starts_on.isoformat(),
            ),
        )

    @apply.register
    def _(self, event: Activity.Rescheduled, tx: Transaction) -> None:
        tx.execute(
            "UPDATE plan_activities SET starts_on = ? WHERE id = ?",
            (event.starts_on.isoformat(), str(event.originator_id)),
        )

    @apply.register
    def _(self, event: Activity.Cancelled, tx: Transaction) -> None:
        tx.execute("UPDATE plan_activities SET status = 'cancelled' WHERE id = ?", (str(event.originator_id),))

    @apply.register
    def _(self, event: Activity.Held, tx: Transaction) -> None:
        tx.execute("UPDATE plan_activities SET status = 'held' WHERE id = ?", (str(event.originator_id),))

    # Plans ----------------------------------------------------------------------

    @apply.register
    def _(self, event: AnnualPlan.Drafted, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO plans (year, plan_id, chair_centre_id, chair_name, priorities, status, drafted_at) "
            "VALUES (?, ?, ?, ?, ?, 'draft', ?) ON CONFLICT (year) DO NOTHING",
            (
                event.year, str(event.originator_id), str(event.chair_centre_id),
                _name(tx, event.chair_centre_id), json.dumps(event.priorities, ensure_ascii=False),
                event.timestamp.isoformat(),
            ),
        )
        _history(tx, event, event.year, "drafted", "", {"priorities": len(event.priorities)})

    @apply.register
    def _(self, event: AnnualPlan.ItemAdded, tx: Transaction) -> None:
        year = _year(tx, event)
        plan = tx.fetchone("SELECT status FROM plans WHERE year = ?", (year,))
        tx.execute(
            "INSERT INTO plan_items (item_id, year, position, kind, theme, host_centre_id, host_name, month, "
            "added_after_publication) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (item_id) DO NOTHING",
            (
                str(event.item_id), year, event.originator_version, event.kind, event.theme,
                _id(event.host_centre_id), _name(tx, event.host_centre_id), event.month,
                1 if plan and plan["status"] != "draft" else 0,
            ),
        )
        _history(tx, event, year, "item_added", event.theme, {"kind": event.kind, "month": event.month})

    @apply.register
    def _(self, event: AnnualPlan.Published, tx: Transaction) -> None:
        year = _year(tx, event)
        tx.execute(
            "UPDATE plans SET status = 'published', published_on = ? WHERE year = ?",
            (event.published_on.isoformat(), year),
        )
        tx.execute(
            "INSERT INTO plan_published_items (item_id, year, position, kind, theme, host_centre_id, host_name, month) "
            "SELECT item_id, year, position, kind, theme, host_centre_id, host_name, month FROM plan_items "
            "WHERE year = ? AND dropped = 0 ON CONFLICT (item_id) DO NOTHING",
            (year,),
        )
        _history(tx, event, year, "published", "", {"published_on": event.published_on.isoformat()})

    @apply.register
    def _(self, event: AnnualPlan.ItemChanged, tx: Transaction) -> None:
        before = tx.fetchone("SELECT * FROM plan_items WHERE item_id = ?", (str(event.item_id),)) or {}
        after = {
            "kind": event.kind, "theme": event.theme, "month": event.month,
            "host_centre_id": _id(event.host_centre_id), "host_name": _name(tx, event.host_centre_id),
        }
        tx.execute(
            "UPDATE plan_items SET kind = ?, theme = ?, month = ?, host_centre_id = ?, host_name = ?, "
            "times_changed = times_changed + 1 WHERE item_id = ?",
            (*after.values(), str(event.item_id)),
        )
        changes = {
            key: [before.get(key), value] for key, value in after.items()
            if key != "host_centre_id" and before.get(key) != value
        }
        _history(tx, event, _year(tx, event), "item_changed", event.theme, {"changes": changes, "reason": event.reason})

    @apply.register
    def _(self, event: AnnualPlan.ItemDropped, tx: Transaction) -> None:
        row = tx.fetchone("SELECT theme FROM plan_items WHERE item_id = ?", (str(event.item_id),))
        tx.execute(
            "UPDATE plan_items SET dropped = 1, drop_reason = ? WHERE item_id = ?", (event.reason, str(event.item_id))
        )
        _history(tx, event, _year(tx, event), "item_dropped", row["theme"] if row else "", {"reason": event.reason})

    @apply.register
    def _(self, event: AnnualPlan.ItemLinked, tx: Transaction) -> None:
        year = _year(tx, event)
        tx.execute(
            "INSERT INTO plan_links (activity_id, item_id, year) VALUES (?, ?, ?) ON CONFLICT (activity_id) DO NOTHING",
            (str(event.activity_id), str(event.item_id), year),
        )
        item = tx.fetchone("SELECT theme FROM plan_items WHERE item_id = ?", (str(event.item_id),))
        activity = tx.fetchone("SELECT title FROM plan_activities WHERE id = ?", (str(event.activity_id),))
        _history(
            tx, event, year, "item_linked", item["theme"] if item else "",
            {"activity_id": str(event.activity_id), "activity": activity["title"] if activity else ""},
        )

    @apply.register
    def _(self, event: AnnualPlan.ItemUnlinked, tx: Transaction) -> None:
        year = _year(tx, event)
        tx.execute(
            "DELETE FROM plan_links WHERE activity_id = ? AND item_id = ?", (str(event.activity_id), str(event.item_id))
        )
        item = tx.fetchone("SELECT theme FROM plan_items WHERE item_id = ?", (str(event.item_id),))
        activity = tx.fetchone("SELECT title FROM plan_activities WHERE id = ?", (str(event.activity_id),))
        _history(
            tx, event, year, "item_unlinked", item["theme"] if item else "",
            {"activity_id": str(event.activity_id), "activity": activity["title"] if activity else ""},
        )

    @apply.register
    def _(self, event: AnnualPlan.ReportAdopted, tx: Transaction) -> None:
        year = _year(tx, event)
        figures = {
            "items": event.items, "held": event.held, "cancelled": event.cancelled, "not_held": event.not_held,
            "dropped": event.dropped, "unplanned": event.unplanned,
        }
        tx.execute(
            "UPDATE plans SET status = 'closed', report_adopted_on = ?, report = ? WHERE year = ?",
            (event.adopted_on.isoformat(), json.dumps(figures), year),
        )
        _history(tx, event, year, "report_adopted", "", {"adopted_on": event.adopted_on.isoformat(), **figures})


def _history(tx: Transaction, event: Any, year: int, kind: str, theme: str, details: dict[str, Any]) -> None:
    tx.execute(
        "INSERT INTO plan_history (year, version, event, theme, details, recorded_at) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (year, version) DO NOTHING",
        (
            year, event.originator_version, kind, theme, json.dumps(details, ensure_ascii=False, sort_keys=True),
            event.timestamp.isoformat(),
        ),
    )


def _year(tx: Transaction, event: Any) -> int:
    row = tx.fetchone("SELECT year FROM plans WHERE plan_id = ?", (str(event.originator_id),))
    return int(row["year"]) if row else 0


def _id(value: Any) -> str:
    return str(value) if value else ""


# A centre's name as the plans know it, read inside the statement that needs it.
_CENTRE_NAME = "COALESCE((SELECT name FROM plan_centres WHERE id = ?), '')"


def _name(tx: Transaction, centre_id: Any) -> str:
    if not centre_id:
        return ""
    row = tx.fetchone("SELECT name FROM plan_centres WHERE id = ?", (str(centre_id),))
    return row["name"] if row else ""
