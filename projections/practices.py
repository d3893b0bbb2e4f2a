"""The practice library: each practice as it stands and every earlier version, endorsements, adoptions
with their outcomes, and a full-text index that works on Bulgarian.

Handlers write the same rows on both engines; the text to search is one ``document`` column, folded
to lower case in Python (SQLite's ``lower()`` knows no Cyrillic), and its words' BulStem stems in
``stems`` (``projections.stemming``: no engine's own dictionary knows Bulgarian). The index over the
stems is the engine's own: an FTS5 table kept by triggers on SQLite (``unicode61 remove_diacritics 2``:
Cyrillic and Latin, any case), a GIN index on ``to_tsvector('simple', stems)`` on PostgreSQL; a query
is stemmed the same way and matches stems or their beginnings.
"""

from __future__ import annotations

import json
from functools import singledispatchmethod
from typing import Any

from domain.centre import Centre
from domain.practice import Practice
from domain.practice_content import CONTENT
from projections.base import Projection
from projections.practice_queries import PracticeQueries
from projections.sql import Transaction
from projections.stemming import stems

CONTENT_COLUMNS = """
    title TEXT NOT NULL, problem TEXT NOT NULL, method TEXT NOT NULL, target_groups TEXT NOT NULL,
    tags TEXT NOT NULL, country TEXT NOT NULL, source_project TEXT NOT NULL, links TEXT NOT NULL,
    results TEXT NOT NULL
"""
FTS = "practices_fts"


def document(centre_name: str, content: dict[str, Any]) -> str:
    """What full-text search looks in, case-folded."""
    parts = [content["title"], content["problem"], content["method"], " ".join(content["tags"]),
             content["source_project"], centre_name]
    return "\n".join(part for part in parts if part).casefold()


def _searched(centre_name: str, content: dict[str, Any]) -> tuple[str, str]:
    """The ``document`` and ``stems`` columns."""
    text = document(centre_name, content)
    return text, stems(text)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class PracticeLibrary(PracticeQueries, Projection):
    name = "practices"
    tables = (
        "practice_centres", "practices", "practice_versions", "practice_tags", "practice_groups",
        "practice_endorsements", "practice_adoptions",
    )
    schema = (
        "CREATE TABLE IF NOT EXISTS practice_centres (id TEXT PRIMARY KEY, name TEXT NOT NULL)",
        f"""
        CREATE TABLE IF NOT EXISTS practices (
            id TEXT PRIMARY KEY, centre_id TEXT NOT NULL, centre_name TEXT NOT NULL, {CONTENT_COLUMNS},
            version INTEGER NOT NULL, status TEXT NOT NULL, retire_reason TEXT NOT NULL DEFAULT '',
            shared_at TEXT NOT NULL, revised_at TEXT NOT NULL,
            endorsements INTEGER NOT NULL DEFAULT 0, adoptions INTEGER NOT NULL DEFAULT 0,
            document TEXT NOT NULL,
            stems TEXT NOT NULL DEFAULT ''
        )
        """,
        "CREATE INDEX IF NOT EXISTS practices_by_adoptions ON practices (adoptions, endorsements, id)",
        "CREATE INDEX IF NOT EXISTS practices_by_centre ON practices (centre_id)",
        "CREATE INDEX IF NOT EXISTS practices_by_country ON practices (country)",
        "CREATE INDEX IF NOT EXISTS practices_by_revision ON practices (status, revised_at)",  # the newest to endorse
        f"""
        CREATE TABLE IF NOT EXISTS practice_versions (
            practice_id TEXT NOT NULL, version INTEGER NOT NULL, {CONTENT_COLUMNS},
            changed TEXT NOT NULL, note TEXT NOT NULL, recorded_at TEXT NOT NULL,
            PRIMARY KEY (practice_id, version)
        )
        """,
        "CREATE TABLE IF NOT EXISTS practice_tags (tag TEXT NOT NULL, practice_id TEXT NOT NULL, "
        "PRIMARY KEY (tag, practice_id))",
        "CREATE TABLE IF NOT EXISTS practice_groups (target_group TEXT NOT NULL, practice_id TEXT NOT NULL, "
        "PRIMARY KEY (target_group, practice_id))",
        """
        CREATE TABLE IF NOT EXISTS practice_endorsements (
            practice_id TEXT NOT NULL, centre_id TEXT NOT NULL, centre_name TEXT NOT NULL,
            comment TEXT NOT NULL, endorsed_at TEXT NOT NULL, PRIMARY KEY (practice_id, centre_id)
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS practice_adoptions (
            practice_id TEXT NOT NULL, centre_id TEXT NOT NULL, centre_name TEXT NOT NULL,
            adopted_on TEXT NOT NULL, adaptation_notes TEXT NOT NULL, context TEXT NOT NULL,
            results TEXT NOT NULL DEFAULT '{}', outcome_note TEXT NOT NULL DEFAULT '',
            outcome_recorded_at TEXT, outcomes_recorded INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (practice_id, centre_id)
        )
        """,
    )
    dialect_schema = {
        "sqlite": (
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(stems, content='practices', "
            "content_rowid='rowid', tokenize=\"unicode61 remove_diacritics 2\")",
            f"CREATE TRIGGER IF NOT EXISTS practices_fts_insert AFTER INSERT ON practices BEGIN "
            f"INSERT INTO {FTS} (rowid, stems) VALUES (new.rowid, new.stems); END",
            f"CREATE TRIGGER IF NOT EXISTS practices_fts_delete AFTER DELETE ON practices BEGIN "
            f"INSERT INTO {FTS} ({FTS}, rowid, stems) VALUES ('delete', old.rowid, old.stems); END",
            f"CREATE TRIGGER IF NOT EXISTS practices_fts_update AFTER UPDATE OF stems ON practices BEGIN "
            f"INSERT INTO {FTS} ({FTS}, rowid, stems) VALUES ('delete', old.rowid, old.stems); "
            f"INSERT INTO {FTS} (rowid, stems) VALUES (new.rowid, new.stems); END",
        ),
        "postgresql": (
            "CREATE INDEX IF NOT EXISTS practices_stems ON practices USING GIN (to_tsvector('simple', stems))",
        ),
    }

    def drop_tables(self, tx: Transaction) -> None:
        super().drop_tables(tx)
        tx.execute(f"DROP TABLE IF EXISTS {FTS}")  # SQLite's index table; nothing on PostgreSQL

    @singledispatchmethod
    def apply(self, event: Any, tx: Transaction) -> None:
        """Other events do not change this read model."""

    @apply.register
    def _(self, event: Centre.Registered, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO practice_centres (id, name) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
            (str(event.originator_id), event.name),
        )

    @apply.register
    def _(self, event: Practice.Shared, tx: Transaction) -> None:
        practice_id, centre_name = str(event.originator_id), _name(tx, event.centre_id)
        content = {name: getattr(event, name) for name in CONTENT}
        at = event.timestamp.isoformat()
        tx.execute(
            "INSERT INTO practices (id, centre_id, centre_name, title, problem, method, target_groups, tags, country, "
            "source_project, links, results, version, status, shared_at, revised_at, document, stems) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 'active', ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            (practice_id, str(event.centre_id), centre_name, *_content_values(content), at, at,
             *_searched(centre_name, content)),
        )
        self._version(tx, practice_id, 1, content, [], "", at)
        self._labels(tx, practice_id, content)

    @apply.register
    def _(self, event: Practice.Revised, tx: Transaction) -> None:
        practice_id = str(event.originator_id)
        row = tx.fetchone("SELECT centre_name FROM practices WHERE id = ?", (practice_id,))
        content = {name: getattr(event, name) for name in CONTENT}
        at = event.timestamp.isoformat()
        tx.execute(
            "UPDATE practices SET title = ?, problem = ?, method = ?, target_groups = ?, tags = ?, country = ?, "
            "source_project = ?, links = ?, results = ?, version = ?, revised_at = ?, document = ?, stems = ? "
            "WHERE id = ?",
            (*_content_values(content), event.version, at, *_searched(row["centre_name"] if row else "", content),
             practice_id),
        )
        self._version(tx, practice_id, event.version, content, event.changed, event.note, at)
        self._labels(tx, practice_id, content)

    @apply.register
    def _(self, event: Practice.Endorsed, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO practice_endorsements (practice_id, centre_id, centre_name, comment, endorsed_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (practice_id, centre_id) DO NOTHING",
            (str(event.originator_id), str(event.centre_id), _name(tx, event.centre_id), event.comment,
             event.timestamp.isoformat()),
        )
        self._count(tx, event.originator_id, "endorsements", "practice_endorsements")

    @apply.register
    def _(self, event: Practice.Adopted, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO practice_adoptions (practice_id, centre_id, centre_name, adopted_on, adaptation_notes, "
            "context) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (practice_id, centre_id) DO NOTHING",
            (str(event.originator_id), str(event.centre_id), _name(tx, event.centre_id),
             event.adopted_on.isoformat(), event.adaptation_notes, event.context),
        )
        self._count(tx, event.originator_id, "adoptions", "practice_adoptions")

    @apply.register
    def _(self, event: Practice.AdoptionOutcomeRecorded, tx: Transaction) -> None:
        tx.execute(
            "UPDATE practice_adoptions SET results = ?, outcome_note = ?, outcome_recorded_at = ?, "
            "outcomes_recorded = outcomes_recorded + 1 WHERE practice_id = ? AND centre_id = ?",
            (_json(event.results), event.note, event.timestamp.isoformat(), str(event.originator_id),
             str(event.centre_id)),
        )

    @apply.register
    def _(self, event: Practice.Retired, tx: Transaction) -> None:
        tx.execute(
            "UPDATE practices SET status = 'retired', retire_reason = ? WHERE id = ?",
            (event.reason, str(event.originator_id)),
        )

    # Helpers ------------------------------------------------------------------

    @staticmethod
    def _version(
        tx: Transaction, practice_id: str, version: int, content: dict[str, Any], changed: list[str], note: str, at: str
    ) -> None:
        tx.execute(
            "INSERT INTO practice_versions (practice_id, version, title, problem, method, target_groups, tags, "
            "country, source_project, links, results, changed, note, recorded_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (practice_id, version) DO NOTHING",
            (practice_id, version, *_content_values(content), _json(changed), note, at),
        )

    @staticmethod
    def _labels(tx: Transaction, practice_id: str, content: dict[str, Any]) -> None:
        tx.execute("DELETE FROM practice_tags WHERE practice_id = ?", (practice_id,))
        tx.execute("DELETE FROM practice_groups WHERE practice_id = ?", (practice_id,))
        for tag in content["tags"]:
            tx.execute("INSERT INTO practice_tags (tag, practice_id) VALUES (?, ?)", (tag, practice_id))
        for group in content["target_groups"]:
            tx.execute("INSERT INTO practice_groups (target_group, practice_id) VALUES (?, ?)", (group, practice_id))

    @staticmethod
    def _count(tx: Transaction, practice_id: Any, column: str, table: str) -> None:
        tx.execute(
            f"UPDATE practices SET {column} = (SELECT COUNT(*) FROM {table} WHERE practice_id = ?) WHERE id = ?",
            (str(practice_id), str(practice_id)),
        )


def _content_values(content: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(
        _json(content[name]) if name in ("target_groups", "tags", "links", "results") else content[name]
        for name in CONTENT
    )


def _name(tx: Transaction, centre_id: Any) -> str:
    row = tx.fetchone("SELECT name FROM practice_centres WHERE id = ?", (str(centre_id),))
    return row["name"] if row else ""
