"""Read models rebuilt straight from the event store, bypassing the bus, and their rows to compare.

The store is the source of truth: whatever the relay and the projector did, the
read models must equal the ones ``rebuild_from_store`` builds by applying every
stored notification, in order, with the projector's own ``apply_batch``;
``table_contents`` gives the rows to compare two databases with.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.application import Application

from projections.base import Projection, apply_batch, ensure_tables, position
from projections.sql import Database, Row

TRACKING = "projection_tracking"


def rebuild_from_store(
    store: Application,
    db: Database,
    projections: Sequence[Projection],
    *,
    batch_size: int = 500,
) -> int:
    """Apply every stored event to the projections in ``db``, a batch per transaction.

    Meant for a fresh database; on one that already holds the projections it reads
    from the lowest of their positions and ``apply_batch`` skips what each one has,
    so it only catches up. Returns the notification id the read models are now at
    (the store's last one; 0 for an empty store).
    """
    for projection in projections:
        ensure_tables(db, projection)
    last = min((position(db, projection.name) for projection in projections), default=0)
    while True:
        notifications = store.recorder.select_notifications(last + 1, batch_size)
        if not notifications:
            return last
        batch = [(n.id, store.mapper.to_domain_event(n)) for n in notifications]
        for projection in projections:
            apply_batch(db, projection, batch)
        last = notifications[-1].id


def table_contents(db: Database, projections: Sequence[Projection]) -> dict[str, list[Row]]:
    """Every row of the projections' tables and of their tracking rows, in a stable order.

    Columns are listed by name and rows sorted by their values, so two databases
    of the same engine holding the same read models give equal results whatever
    order the rows were written in.
    """
    contents = {
        table: _sorted_rows(db.fetchall(f"SELECT * FROM {table}"))
        for projection in projections
        for table in projection.tables
    }
    names = [projection.name for projection in projections]
    placeholders = ", ".join("?" for _ in names)
    contents[TRACKING] = _sorted_rows(
        db.fetchall(f"SELECT * FROM {TRACKING} WHERE projection IN ({placeholders})", names)
    )
    return contents


def _sorted_rows(rows: list[Row]) -> list[Row]:
    ordered = [{column: row[column] for column in sorted(row)} for row in rows]
    return sorted(ordered, key=_sort_key)


def _sort_key(row: Row) -> tuple[tuple[bool, str, Any], ...]:
    # None sorts first and values of different types never meet in a comparison.
    return tuple((value is not None, type(value).__name__, value) for value in row.values())
