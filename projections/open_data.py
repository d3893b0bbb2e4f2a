"""The public facts, read from the read models for the open-data API and export, a page at a time.

Keyset pagination: each page starts after the last key of the one before (``after``), so a page costs
the same however far in, and a fact added meanwhile is neither skipped nor repeated. Only the columns
named here leave the platform (no staff, no contacts, no speakers, no accounts, no meeting links).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from projections.sql import Database, Row

MAX_LIMIT = 500

CENTRE = "id, name, city, region, address, website, description, membership, label, label_valid_until, admitted_at"
ACTIVITY = (
    "id, title, kind, format, status, host_centre_id, host_name, starts_on, ends_on, city, venue, theme, "
    "description, language, capacity, expected_total, times_rescheduled, changed_at, planned_at"
)
OUTCOME = (
    "id, title, kind, host_centre_id, starts_on, ends_on, participants, young_people, fewer_opportunities, "
    "centres_attended, summary, materials_link, stream_link"
)
PRACTICE = (
    "id, centre_id, centre_name, title, problem, method, target_groups, tags, country, source_project, links, "
    "results, version, status, shared_at, revised_at, endorsements, adoptions"
)
CHAIR = "year, centre_id, centre_name, handed_over_on, previous_centre_id"
PLAN = "year, chair_centre_id, chair_name, priorities, status, published_on"


def _dated_key(cursor: str) -> tuple[str, str] | None:
    starts_on, sep, ident = cursor.partition("_")
    return (starts_on, ident) if sep and ident else None


class OpenData:
    """Each query: (rows, the cursor of the next page or None). A bad cursor raises ValueError."""

    @staticmethod
    def _page(db: Database, sql: str, key: str, params: list[Any], limit: int) -> list[Row]:
        return db.fetchall(f"{sql} ORDER BY {key} LIMIT ?", (*params, limit + 1))

    @staticmethod
    def centres(db: Database, after: str = "", limit: int = 100) -> tuple[list[Row], str | None]:
        where, params = ("WHERE id > ?", [after]) if after else ("", [])
        rows = OpenData._page(db, f"SELECT {CENTRE} FROM centres {where}", "id", params, limit)
        return rows[:limit], rows[limit - 1]["id"] if len(rows) > limit else None

    @staticmethod
    def activities(db: Database, after: str = "", limit: int = 100, held_only: bool = False) -> tuple[list[Row], str | None]:
        clauses, params = (["status = 'held'"] if held_only else []), []
        if after:
            key = _dated_key(after)
            if key is None:
                raise ValueError("not a cursor")
            clauses.append("(starts_on, id) > (?, ?)")
            params.extend(key)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        columns = OUTCOME if held_only else ACTIVITY
        rows = OpenData._page(
            db, f"SELECT {columns} FROM calendar_activities {where}", "starts_on, id", params, limit
        )
        following = f"{rows[limit - 1]['starts_on']}_{rows[limit - 1]['id']}" if len(rows) > limit else None
        return rows[:limit], following

    @staticmethod
    def outcomes(db: Database, after: str = "", limit: int = 100) -> tuple[list[Row], str | None]:
        return OpenData.activities(db, after, limit, held_only=True)

    @staticmethod
    def practices(db: Database, after: str = "", limit: int = 100) -> tuple[list[Row], str | None]:
        where, params = ("WHERE id > ?", [after]) if after else ("", [])
        rows = OpenData._page(db, f"SELECT {PRACTICE} FROM practices {where}", "id", params, limit)
        for row in rows:
            for column in ("target_groups", "tags", "links", "results"):
                row[column] = json.loads(row[column])
        return rows[:limit], rows[limit - 1]["id"] if len(rows) > limit else None

    @staticmethod
    def chairs(db: Database, after: str = "", limit: int = 100) -> tuple[list[Row], str | None]:
        where, params = ("WHERE year > ?", [_year(after)]) if after else ("", [])
        rows = OpenData._page(db, f"SELECT {CHAIR} FROM network_chairs {where}", "year", params, limit)
        return rows[:limit], str(rows[limit - 1]["year"]) if len(rows) > limit else None

    @staticmethod
    def plans(db: Database, after: str = "", limit: int = 100) -> tuple[list[Row], str | None]:
        """Plans as published: drafts are not public; the items are the published ones, whatever changed since."""
        clauses, params = ["published_on IS NOT NULL"], []
        if after:
            clauses.append("year > ?")
            params.append(_year(after))
        rows = OpenData._page(db, f"SELECT {PLAN} FROM plans WHERE {' AND '.join(clauses)}", "year", params, limit)
        rows = rows[: limit + 1]
        for row in rows[:limit]:
            row["priorities"] = json.loads(row["priorities"])
            row["items"] = db.fetchall(
                "SELECT item_id, month, kind, theme, host_centre_id, host_name FROM plan_published_items "
                "WHERE year = ? ORDER BY month, position",
                (row["year"],),
            )
        return rows[:limit], str(rows[limit - 1]["year"]) if len(rows) > limit else None

    @staticmethod
    def everything(db: Database, query: Any, limit: int = MAX_LIMIT) -> Iterator[Row]:
        """Every row of a query, page after page (the open-data export)."""
        after = ""
        while True:
            rows, following = query(db, after, limit)
            yield from rows
            if following is None:
                return
            after = following


def _year(cursor: str) -> int:
    if not cursor.isdigit() or len(cursor) > 6:
        raise ValueError("not a cursor")
    return int(cursor)
