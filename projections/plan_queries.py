"""Reading the plans: a year's plan with each item's progress, the plan as published, and the report.

An item's progress comes from the activities linked to it: *held* when one of them
was held, *cancelled* when every one of them was cancelled, otherwise *not yet*.
Activities of the year that realise no item are *unplanned*.
"""

from __future__ import annotations

import json

from projections.sql import Database, Row

PROGRESS = ("held", "cancelled", "not_yet")


def item_progress(statuses: list[str]) -> str:
    if "held" in statuses:
        return "held"
    if statuses and all(status == "cancelled" for status in statuses):
        return "cancelled"
    return "not_yet"


def _year_bounds(year: int) -> tuple[str, str]:
    return f"{year}-01-01", f"{year + 1}-01-01"


class PlanQueries:
    @staticmethod
    def plan(db: Database, year: int) -> Row | None:
        row = db.fetchone("SELECT * FROM plans WHERE year = ?", (year,))
        if row is not None:
            row["priorities"] = json.loads(row["priorities"])
            row["report"] = json.loads(row["report"]) if row["report"] else None
        return row

    @staticmethod
    def years(db: Database) -> list[int]:
        return [int(r["year"]) for r in db.fetchall("SELECT year FROM plans ORDER BY year DESC")]

    @staticmethod
    def items(db: Database, year: int) -> list[Row]:
        """The plan as it stands (dropped items included, marked), each with its activities and progress."""
        items = db.fetchall("SELECT * FROM plan_items WHERE year = ? ORDER BY month, position", (year,))
        links = db.fetchall(
            "SELECT l.item_id, a.* FROM plan_links l JOIN plan_activities a ON a.id = l.activity_id "
            "WHERE l.year = ? ORDER BY a.starts_on, a.id",
            (year,),
        )
        for item in items:
            item["activities"] = [link for link in links if link["item_id"] == item["item_id"]]
            item["progress"] = item_progress([a["status"] for a in item["activities"]])
        return items

    @staticmethod
    def published_items(db: Database, year: int) -> list[Row]:
        """The plan exactly as it was published, whatever changed since."""
        return db.fetchall("SELECT * FROM plan_published_items WHERE year = ? ORDER BY month, position", (year,))

    @staticmethod
    def unplanned(db: Database, year: int) -> list[Row]:
        """Activities of the year that realise no item of its plan."""
        start, end = _year_bounds(year)
        return db.fetchall(
            "SELECT a.* FROM plan_activities a WHERE a.starts_on >= ? AND a.starts_on < ? "
            "AND NOT EXISTS (SELECT 1 FROM plan_links l WHERE l.activity_id = a.id AND l.year = ?) "
            "ORDER BY a.starts_on, a.id",
            (start, end, year),
        )

    @staticmethod
    def linkable(db: Database, year: int) -> list[Row]:
        """Activities of the year not yet linked to an item: the ones an item may be linked to."""
        return PlanQueries.unplanned(db, year)

    @staticmethod
    def progress(items: list[Row], unplanned: list[Row]) -> dict[str, int]:
        live = [item for item in items if not item["dropped"]]
        figures = {"items": len(live), **{key: 0 for key in PROGRESS}}
        for item in live:
            figures[item["progress"]] += 1
        figures["dropped"] = len(items) - len(live)
        figures["unplanned"] = sum(1 for activity in unplanned if activity["status"] == "held")
        return figures

    @staticmethod
    def report(db: Database, year: int) -> dict[str, int]:
        """The year's report as the read models give it now: the figures the annual meeting adopts."""
        progress = PlanQueries.progress(PlanQueries.items(db, year), PlanQueries.unplanned(db, year))
        return {
            "items": progress["items"],
            "held": progress["held"],
            "cancelled": progress["cancelled"],
            "not_held": progress["not_yet"],
            "dropped": progress["dropped"],
            "unplanned": progress["unplanned"],
        }

    @staticmethod
    def history(db: Database, year: int) -> list[Row]:
        rows = db.fetchall("SELECT * FROM plan_history WHERE year = ? ORDER BY version", (year,))
        for row in rows:
            row["details"] = json.loads(row["details"])
        return rows
