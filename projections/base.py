"""A projection: tables, one handler per event type, and its tracking position.

``apply_batch`` writes the rows and the tracking position in one transaction;
an event at or below the recorded position is skipped, so a redelivered event
changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any, ClassVar

from projections.sql import Database, Transaction

TRACKING_TABLE = """
CREATE TABLE IF NOT EXISTS projection_tracking (
    projection TEXT PRIMARY KEY,
    position BIGINT NOT NULL
)
"""
REBUILDS_TABLE = """
CREATE TABLE IF NOT EXISTS projection_rebuilds (
    projection TEXT PRIMARY KEY,
    target BIGINT NOT NULL
)
"""
SCHEMA_TABLE = """
CREATE TABLE IF NOT EXISTS projection_schemas (
    projection TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL
)
"""


class Projection:
    """Base class: subclasses name themselves, create their tables and register handlers."""

    name: ClassVar[str]
    tables: ClassVar[tuple[str, ...]] = ()
    schema: ClassVar[tuple[str, ...]] = ()
    # Statements only one engine understands (full-text indexes), by ``Database.dialect``.
    dialect_schema: ClassVar[dict[str, tuple[str, ...]]] = {}

    @classmethod
    def fingerprint(cls) -> str:
        """Changes whenever the tables' definitions change."""
        statements = [*cls.schema] + [
            f"{dialect}: {statement}" for dialect in sorted(cls.dialect_schema) for statement in cls.dialect_schema[dialect]
        ]
        text = "\n".join(" ".join(statement.split()) for statement in statements)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def create_tables(self, tx: Transaction, dialect: str = "") -> None:
        tx.execute(TRACKING_TABLE)
        tx.execute(REBUILDS_TABLE)
        for statement in (*self.schema, *self.dialect_schema.get(dialect, ())):
            tx.execute(statement)

    def apply(self, event: Any, tx: Transaction) -> None:
        """Each subclass dispatches on the event type with its own ``singledispatchmethod``;
        events a read model does not show are passed over (the position still moves)."""
        raise NotImplementedError

    def handles(self, event_class: type) -> bool:
        """Whether events of this class may change the read model: the audit's replay does not even
        decode an event no read model handles. A ``singledispatchmethod`` ``apply`` says it by its
        handlers; another ``apply`` says it here (all classes unless it is overridden)."""
        return True

    def drop_tables(self, tx: Transaction) -> None:
        for table in self.tables:
            tx.execute(f"DROP TABLE IF EXISTS {table}")
        tx.execute(TRACKING_TABLE)
        tx.execute("DELETE FROM projection_tracking WHERE projection = ?", (self.name,))
        mark_rebuilding(tx, self.name)


def mark_rebuilding(tx: Transaction, projection: str, target: int = 0) -> None:
    """The read model starts again from nothing: until it reaches ``target`` (0: the store's end)
    it is rebuilding, and its pages are stale rather than broken."""
    tx.execute(REBUILDS_TABLE)
    tx.execute(
        "INSERT INTO projection_rebuilds (projection, target) VALUES (?, ?) "
        "ON CONFLICT (projection) DO UPDATE SET target = excluded.target",
        (projection, target),
    )


def rebuilds(db: Database) -> dict[str, int]:
    """Read models rebuilt at some point -> the notification id their rebuild aims at (0: the store's end)."""
    return {row["projection"]: int(row["target"]) for row in db.fetchall("SELECT projection, target FROM projection_rebuilds")}


def ensure_tables(db: Database, projection: Projection) -> bool:
    """Create the tables; when their definitions changed since they were made, drop and
    recreate them at position 0, so the projector rebuilds the read model from the stream.
    True when the read model starts afresh."""
    with db.transaction() as tx:
        tx.execute(SCHEMA_TABLE)
        row = tx.fetchone("SELECT fingerprint FROM projection_schemas WHERE projection = ?", (projection.name,))
        fingerprint = projection.fingerprint()
        stale = row is not None and row["fingerprint"] != fingerprint
        if stale:
            projection.drop_tables(tx)
        projection.create_tables(tx, db.dialect)
        tx.execute(
            "INSERT INTO projection_schemas (projection, fingerprint) VALUES (?, ?) "
            "ON CONFLICT (projection) DO UPDATE SET fingerprint = excluded.fingerprint",
            (projection.name, fingerprint),
        )
    return stale


def position(db: Database, projection_name: str) -> int:
    row = db.fetchone(
        "SELECT position FROM projection_tracking WHERE projection = ?", (projection_name,)
    )
    return int(row["position"]) if row else 0


def positions(db: Database, names: list[str]) -> dict[str, int]:
    """Each named read model's position, in one query (0 for one not yet tracked)."""
    placeholders = ", ".join("?" for _ in names)
    rows = db.fetchall(
        f"SELECT projection, position FROM projection_tracking WHERE projection IN ({placeholders})", names
    )
    return {name: 0 for name in names} | {row["projection"]: int(row["position"]) for row in rows}


class PositionMoved(Exception):
    """The read model is not where its projector left it (``mrezha rebuild`` reset it)."""


def apply_batch(
    db: Database, projection: Projection, batch: Iterable[tuple[int, Any]], *, expected: int | None = None
) -> int:
    """Apply (notification id, event) pairs in order, in one transaction; return the new position.

    With ``expected``, the position may not be behind that one (a reset: ``mrezha rebuild``), or nothing is
    written (``PositionMoved``); a position ahead of it is another writer's work (the web catching the read
    models up to its own command, ``infra.catch_up``), and only what lies beyond it is applied.
    PostgreSQL locks the tracking row so a concurrent reset or writer waits or wins.
    """
    with db.transaction() as tx:
        return _apply_in(tx, db.dialect, projection, batch, expected)


def apply_batch_to_each(
    db: Database, projections: Iterable[Projection], batch: list[tuple[int, Any]], expected: dict[str, int]
) -> dict[str, int]:
    """``apply_batch`` for several read models in one transaction: the new position of each. Their tracking
    rows are locked in the order of their names, so two such writers never wait for each other in a circle.
    Each read model must still be at least where ``expected`` says (the batch starts there), or nothing is
    written (``PositionMoved``)."""
    with db.transaction() as tx:
        return {
            projection.name: _apply_in(tx, db.dialect, projection, batch, expected[projection.name])
            for projection in sorted(projections, key=lambda p: p.name)
        }


def _apply_in(
    tx: Transaction, dialect: str, projection: Projection, batch: Iterable[tuple[int, Any]], expected: int | None
) -> int:
    lock = ""  # SQLite transactions hold the whole file
    if dialect == "postgresql":
        # A row to lock, also for a read model not yet tracked (new, or just rebuilt): a second writer's insert
        # waits here until the first commits, then reads where it left the read model.
        tx.execute(
            "INSERT INTO projection_tracking (projection, position) VALUES (?, 0) ON CONFLICT (projection) DO NOTHING",
            (projection.name,),
        )
        lock = " FOR UPDATE"
    row = tx.fetchone(f"SELECT position FROM projection_tracking WHERE projection = ?{lock}", (projection.name,))
    current = int(row["position"]) if row else 0
    if expected is not None and current < expected:
        raise PositionMoved(f"{projection.name} is at {current}, not at {expected}")
    start = current
    apply = projection.apply  # a singledispatchmethod builds its wrapper on each lookup: once a batch
    for notification_id, event in batch:
        if notification_id <= current:
            continue
        apply(event, tx)
        current = notification_id
    if current != start:
        tx.execute(
            "INSERT INTO projection_tracking (projection, position) VALUES (?, ?) "
            "ON CONFLICT (projection) DO UPDATE SET position = excluded.position",
            (projection.name, current),
        )
    return current
