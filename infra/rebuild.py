"""``mrezha rebuild``: one read model emptied, for the running projector to project it again."""

from __future__ import annotations

from projections.base import Projection, mark_rebuilding
from projections.sql import Database


def reset_projection(db: Database, projection: Projection, target: int = 0) -> None:
    """``mrezha rebuild``: drop one read model's tables, make them anew and forget its position,
    in one transaction. The running projector notices its position moved (it checks before
    every batch, and every five seconds when idle) and projects the read model again from the
    stream's first message; the store's events are all on the stream, in order."""
    with db.transaction() as tx:
        projection.drop_tables(tx)
        projection.create_tables(tx, db.dialect)
        mark_rebuilding(tx, projection.name, target)  # /readyz: rebuilding, stale until it reaches the target
