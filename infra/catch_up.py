"""Read-your-writes without waiting for the bus: the process that stored a command projects it.

After a command, the read models are a few events behind the store: the command's own, and
whatever other writers stored since the projector last wrote. Waiting for the relay, JetStream and
the projector to carry them over costs five process hops; reading them back from the store's
notification log and applying them here costs one transaction. ``catch_up`` does that, in one
transaction for every read model behind (rows and tracking positions together, as the projector
does), when the gap is small; the projector's batch then finds them done and skips them
(``projections.base.apply_batch``). A larger gap (a read model being rebuilt, a backlog after an
outage) stays the projector's work, and the caller waits for it as before.

The notification log is read up to the command's own id, whose transaction has committed: on
SQLite writes are serial; on PostgreSQL eventsourcing locks the table while it inserts, so every
lower id has committed or been rolled back, and the range read is whole.
"""

from __future__ import annotations

from eventsourcing.application import Application

from projections.base import PositionMoved, Projection, apply_batch_to_each, positions
from projections.sql import Database

MOST_EVENTS = 200  # a larger gap is left to the projector: a rebuild, or a backlog after an outage


def catch_up(
    db: Database, projections: tuple[Projection, ...], store: Application, up_to: int, *, most: int = MOST_EVENTS
) -> bool:
    """Projects every stored event up to ``up_to`` into the read models still behind it. True when every
    read model is at or past it; False when they are too far behind (nothing written)."""
    at = positions(db, [p.name for p in projections])
    behind = [p for p in projections if at[p.name] < up_to]
    if not behind:
        return True
    lowest = min(at[p.name] for p in behind)
    if up_to - lowest > most:
        return False
    notifications = store.recorder.select_notifications(lowest + 1, up_to - lowest, stop=up_to)
    batch = [(n.id, store.mapper.to_domain_event(n)) for n in notifications]
    try:
        apply_batch_to_each(db, behind, batch, expected=at)
    except PositionMoved:  # reset since its position was read (mrezha rebuild): the batch would leave a hole
        return False
    return True
