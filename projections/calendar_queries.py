"""Reading the calendar: filtered pages (keyset, so cost stays flat as history grows), details, exports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from projections.cached import by_position
from projections.sql import Database, Row

PAGE_SIZE = 20
MAX_SPAN_DAYS = 367


@dataclass(frozen=True)
class CalendarFilter:
    kind: str = ""
    centre_id: str = ""
    city: str = ""
    month: str = ""  # YYYY-MM
    when: str = "upcoming"  # or "past", or "all" (the exports' default: no bound on the dates)

    def where(self, today: date) -> tuple[list[str], list[Any]]:
        # An activity lasts at most a year (the domain's rule), so both bounds keep
        # the scan on the start-date index near today, however long the history.
        clauses: list[str] = []
        params: list[Any] = []
        if self.when == "past":
            clauses.append("a.starts_on < ? AND a.ends_on < ?")
            params += [today.isoformat(), today.isoformat()]
        elif self.when == "upcoming":
            clauses.append("a.starts_on >= ? AND a.ends_on >= ?")
            params += [(today - timedelta(days=MAX_SPAN_DAYS)).isoformat(), today.isoformat()]
        if self.kind:
            clauses.append("a.kind = ?")
            params.append(self.kind)
        if self.city:
            clauses.append("a.city = ?")
            params.append(self.city)
        if self.month:
            clauses.append("a.month = ? AND a.starts_on >= ? AND a.starts_on < ?")  # the range uses an index
            params += [self.month, *month_range(self.month)]
        if self.centre_id:
            clauses.append(
                "EXISTS (SELECT 1 FROM calendar_participations p WHERE p.activity_id = a.id AND p.centre_id = ?)"
            )
            params.append(self.centre_id)
        return clauses, params


def month_range(month: str) -> tuple[str, str]:
    """``2027-03`` -> (``2027-03-01``, ``2027-04-01``): the start dates of that month."""
    year, _, number = month.partition("-")
    if not (year + number).isascii() or not year.isdigit() or not number.isdigit() or not 2000 <= int(year) <= 2100:
        return month, month  # not a month of the sane range (a Unicode digit, year 9999): nothing starts in it
    try:
        first = date(int(year), int(number), 1)
    except ValueError:
        return month, month  # not a month: nothing starts in it
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first.isoformat(), following.isoformat()


def encode_cursor(row: Row) -> str:
    return f"{row['starts_on']}_{row['id']}"


def decode_cursor(cursor: str) -> tuple[str, str] | None:
    starts_on, _, activity_id = cursor.partition("_")
    try:
        date.fromisoformat(starts_on)
    except ValueError:
        return None
    return (starts_on, activity_id) if activity_id else None


class CalendarQueries:
    @staticmethod
    def page(
        db: Database, flt: CalendarFilter, today: date, after: str = "", limit: int = PAGE_SIZE
    ) -> tuple[list[Row], str | None]:
        """One page of activities, soonest first (upcoming) or latest first (past), and the next cursor."""
        clauses, params = flt.where(today)
        position = decode_cursor(after) if after else None
        descending = flt.when == "past"
        if position:
            clauses.append("(a.starts_on, a.id) < (?, ?)" if descending else "(a.starts_on, a.id) > (?, ?)")
            params.extend(position)
        order = "DESC" if descending else "ASC"
        rows = db.fetchall(
            f"SELECT a.* FROM calendar_activities a WHERE {' AND '.join(clauses)} "
            f"ORDER BY a.starts_on {order}, a.id {order} LIMIT ?",
            (*params, limit + 1),
        )
        next_cursor = encode_cursor(rows[limit - 1]) if len(rows) > limit else None
        return rows[:limit], next_cursor

    @staticmethod
    def upcoming(db: Database, today: date, limit: int = 5) -> list[Row]:
        clauses, params = CalendarFilter().where(today)  # the upcoming page's own bounds
        return db.fetchall(
            f"SELECT a.* FROM calendar_activities a WHERE {' AND '.join(clauses)} AND a.status = 'planned' "
            "ORDER BY a.starts_on, a.id LIMIT ?",
            (*params, limit),
        )

    @staticmethod
    @by_position("calendar")  # a count over every activity: once per position
    def count(db: Database) -> int:
        row = db.fetchone("SELECT COUNT(*) AS n FROM calendar_activities")
        return int(row["n"]) if row else 0

    @staticmethod
    @by_position("calendar")  # a year of activities summed: once per position
    def figures_by_kind(db: Database, year: int) -> list[Row]:
        """This year's activities by kind: how many, held, cancelled, and the people they reached."""
        return db.fetchall(
            "SELECT kind, COUNT(*) AS activities, "
            "SUM(CASE WHEN status = 'held' THEN 1 ELSE 0 END) AS held, "
            "SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled, "
            "COALESCE(SUM(participants), 0) AS participants, COALESCE(SUM(young_people), 0) AS young_people "
            "FROM calendar_activities WHERE starts_on >= ? AND starts_on < ? GROUP BY kind ORDER BY kind",
            (f"{year}-01-01", f"{year + 1}-01-01"),
        )

    @staticmethod
    @by_position("calendar")  # every activity's year: once per position
    def years(db: Database) -> list[int]:
        """The years in which activities start, latest first."""
        rows = db.fetchall("SELECT DISTINCT substr(starts_on, 1, 4) AS year FROM calendar_activities ORDER BY year DESC")
        return [int(r["year"]) for r in rows]

    @staticmethod
    def cities(db: Database) -> list[str]:
        return [r["city"] for r in db.fetchall("SELECT city FROM calendar_cities ORDER BY city")]

    @staticmethod
    def get(db: Database, activity_id: object) -> Row | None:
        return db.fetchone("SELECT * FROM calendar_activities WHERE id = ?", (str(activity_id),))

    @staticmethod
    def participations(db: Database, activity_id: object) -> list[Row]:
        return db.fetchall(
            "SELECT * FROM calendar_participations WHERE activity_id = ? "
            "ORDER BY CASE role WHEN 'host' THEN 0 WHEN 'co_organiser' THEN 1 ELSE 2 END, centre_name",
            (str(activity_id),),
        )

    @staticmethod
    def presentations(db: Database, activity_id: object) -> list[Row]:
        return db.fetchall(
            "SELECT * FROM calendar_presentations WHERE activity_id = ? ORDER BY position", (str(activity_id),)
        )

    @staticmethod
    def activity_counts(db: Database, centre_ids: list[str]) -> dict[str, dict[str, int]]:
        """For each centre: how many activities it hosted and how many it joined (as co-organiser or participant)."""
        if not centre_ids:
            return {}
        marks = ", ".join("?" for _ in centre_ids)
        counts = {centre_id: {"hosted": 0, "joined": 0} for centre_id in centre_ids}
        for row in db.fetchall(
            "SELECT centre_id, CASE WHEN role = 'host' THEN 'hosted' ELSE 'joined' END AS part, COUNT(*) AS n "
            f"FROM calendar_participations WHERE centre_id IN ({marks}) GROUP BY centre_id, part",
            centre_ids,
        ):
            counts[row["centre_id"]][row["part"]] = int(row["n"])
        return counts

    @staticmethod
    def hosted_by(db: Database, centre_id: str) -> list[Row]:
        return db.fetchall(
            "SELECT * FROM calendar_activities WHERE host_centre_id = ? ORDER BY starts_on DESC, id",
            (str(centre_id),),
        )

    @staticmethod
    def attended_by(db: Database, centre_id: str) -> list[Row]:
        return db.fetchall(
            "SELECT a.*, p.role, p.expected_participants FROM calendar_participations p "
            "JOIN calendar_activities a ON a.id = p.activity_id "
            "WHERE p.centre_id = ? AND p.role <> 'host' ORDER BY a.starts_on DESC, a.id",
            (str(centre_id),),
        )

    @staticmethod
    def filtered(db: Database, flt: CalendarFilter, today: date) -> list[Row]:
        """Every activity the filter lets through, oldest first: what an export of the calendar's view holds."""
        clauses, params = flt.where(today)
        where = f"WHERE {' AND '.join(clauses)} " if clauses else ""
        return db.fetchall(f"SELECT a.* FROM calendar_activities a {where}ORDER BY a.starts_on, a.id", params)

    @staticmethod
    def participations_filtered(db: Database, flt: CalendarFilter, today: date) -> list[Row]:
        clauses, params = flt.where(today)
        where = f"WHERE {' AND '.join(clauses)} " if clauses else ""
        return db.fetchall(
            "SELECT p.activity_id, a.title, a.starts_on, p.centre_id, p.centre_name, p.role, "
            "p.expected_participants FROM calendar_participations p "
            f"JOIN calendar_activities a ON a.id = p.activity_id {where}ORDER BY a.starts_on, a.id, p.centre_name",
            params,
        )

    @staticmethod
    def for_export(db: Database, centre_id: str = "") -> list[Row]:
        if centre_id:
            return db.fetchall(
                "SELECT a.* FROM calendar_activities a WHERE EXISTS (SELECT 1 FROM calendar_participations p "
                "WHERE p.activity_id = a.id AND p.centre_id = ?) ORDER BY a.starts_on, a.id",
                (centre_id,),
            )
        return db.fetchall("SELECT * FROM calendar_activities ORDER BY starts_on, id")

    @staticmethod
    def participations_for_export(db: Database) -> list[Row]:
        return db.fetchall(
            "SELECT p.activity_id, a.title, a.starts_on, p.centre_id, p.centre_name, p.role, "
            "p.expected_participants FROM calendar_participations p "
            "JOIN calendar_activities a ON a.id = p.activity_id ORDER BY a.starts_on, a.id, p.centre_name"
        )
