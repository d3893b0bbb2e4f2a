"""Reading the practice library: full-text search with filters, one practice's versions and its path."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from projections.sql import Database, Row
from projections.stemming import stem

JSON_COLUMNS = ("target_groups", "tags", "links", "results", "changed")
SORTS = {
    "adoptions": "p.adoptions DESC, p.endorsements DESC, p.title, p.id",
    "recent": "p.revised_at DESC, p.id",
    "title": "p.title, p.id",
}
MAX_WORDS = 8


def words(query: str) -> list[str]:
    """The query's words, case-folded: letters and digits only, so nothing in them is syntax to either engine."""
    return re.findall(r"[^\W_]+", query.casefold())[:MAX_WORDS]


def query_stems(query: str) -> list[str]:
    """The stems the index is searched for, one per word of the query, in its order, without repeats."""
    return list(dict.fromkeys(stem(word) for word in words(query)))


def fulltext_condition(dialect: str, query: str) -> tuple[str, list[Any]]:
    """Every word must occur in one of its forms: its stem, as a stem or the start of one (a word half
    typed still finds: „младе“ finds „младежи“), looked up in the index of stems."""
    found = query_stems(query)
    if not found:
        return "", []
    if dialect == "postgresql":
        return "to_tsvector('simple', p.stems) @@ to_tsquery('simple', ?)", [
            " & ".join(f"'{word}':*" for word in found)
        ]
    return "p.rowid IN (SELECT rowid FROM practices_fts WHERE practices_fts MATCH ?)", [
        " ".join(f'"{word}"*' for word in found)
    ]


def _decoded(row: Row) -> Row:
    for column in JSON_COLUMNS:
        if column in row and isinstance(row[column], str):
            row[column] = json.loads(row[column])
    return row


@dataclass(frozen=True)
class PracticeFilter:
    q: str = ""
    tag: str = ""
    group: str = ""
    country: str = ""
    centre_id: str = ""
    sort: str = "adoptions"

    def where(self, dialect: str) -> tuple[list[str], list[Any]]:
        clauses, params = [], []
        condition, values = fulltext_condition(dialect, self.q)
        if condition:
            clauses.append(condition)
            params += values
        if self.tag:
            clauses.append("EXISTS (SELECT 1 FROM practice_tags t WHERE t.practice_id = p.id AND t.tag = ?)")
            params.append(self.tag.casefold())
        if self.group:
            clauses.append(
                "EXISTS (SELECT 1 FROM practice_groups g WHERE g.practice_id = p.id AND g.target_group = ?)"
            )
            params.append(self.group)
        if self.country:
            clauses.append("p.country = ?")
            params.append(self.country)
        if self.centre_id:
            clauses.append(
                "(p.centre_id = ? OR EXISTS (SELECT 1 FROM practice_adoptions a "
                "WHERE a.practice_id = p.id AND a.centre_id = ?))"
            )
            params += [self.centre_id, self.centre_id]
        return clauses, params


class PracticeQueries:
    @staticmethod
    def search(db: Database, flt: PracticeFilter, limit: int = 100) -> list[Row]:
        clauses, params = flt.where(db.dialect)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        order = SORTS.get(flt.sort, SORTS["adoptions"])
        rows = db.fetchall(f"SELECT p.* FROM practices p {where} ORDER BY {order} LIMIT ?", (*params, limit))
        return [_decoded(row) for row in rows]

    @staticmethod
    def get(db: Database, practice_id: str) -> Row | None:
        row = db.fetchone("SELECT * FROM practices WHERE id = ?", (practice_id,))
        return _decoded(row) if row is not None else None

    @staticmethod
    def versions(db: Database, practice_id: str) -> list[Row]:
        """Every version, oldest first, each with what it changed against the one before: field -> (old, new)."""
        rows = [
            _decoded(row)
            for row in db.fetchall(
                "SELECT * FROM practice_versions WHERE practice_id = ? ORDER BY version", (practice_id,)
            )
        ]
        previous: list[Row | None] = [None, *rows]
        for before, row in zip(previous, rows):
            row["changes"] = {
                field: (before[field] if before else None, row[field]) for field in row["changed"]
            }
        return rows

    @staticmethod
    def endorsements(db: Database, practice_id: str) -> list[Row]:
        return db.fetchall(
            "SELECT * FROM practice_endorsements WHERE practice_id = ? ORDER BY endorsed_at, centre_id", (practice_id,)
        )

    @staticmethod
    def adoptions(db: Database, practice_id: str) -> list[Row]:
        rows = db.fetchall(
            "SELECT * FROM practice_adoptions WHERE practice_id = ? ORDER BY adopted_on, centre_id", (practice_id,)
        )
        return [_decoded(row) for row in rows]

    @staticmethod
    def transfer_path(practice: Row, adoptions: list[Row]) -> list[dict[str, str]]:
        """From where the practice came, through the centre that shared it, to each centre that adopted it."""
        path = []
        if practice["country"] != "BG":
            path.append({"kind": "country", "country": practice["country"], "name": "", "on": ""})
        path.append(
            {"kind": "shared", "centre_id": practice["centre_id"], "name": practice["centre_name"],
             "on": practice["shared_at"][:10]}
        )
        path += [
            {"kind": "adopted", "centre_id": a["centre_id"], "name": a["centre_name"], "on": a["adopted_on"]}
            for a in adoptions
        ]
        return path

    @staticmethod
    def tags(db: Database) -> list[Row]:
        return db.fetchall("SELECT tag, COUNT(*) AS practices FROM practice_tags GROUP BY tag ORDER BY tag")

    @staticmethod
    def countries(db: Database) -> list[str]:
        return [r["country"] for r in db.fetchall("SELECT DISTINCT country FROM practices ORDER BY country")]

    @staticmethod
    def sharing_centres(db: Database) -> list[Row]:
        return db.fetchall(
            "SELECT c.id, c.name FROM practice_centres c WHERE EXISTS (SELECT 1 FROM practices p "
            "WHERE p.centre_id = c.id) OR EXISTS (SELECT 1 FROM practice_adoptions a WHERE a.centre_id = c.id) "
            "ORDER BY c.name"
        )
