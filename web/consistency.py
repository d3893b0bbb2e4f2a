"""Read-your-writes: wait, bounded, until the read models have projected a notification."""

from __future__ import annotations

import time

from projections.base import Projection, position
from projections.sql import Database


def wait_until_projected(
    db: Database, projections: tuple[Projection, ...], notification_id: int, timeout: float
) -> bool:
    """True once every read model is at or past the id; False when the time ran out."""
    deadline = time.monotonic() + timeout
    pause = 0.005
    while True:
        if all(position(db, p.name) >= notification_id for p in projections):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(pause)
        pause = min(pause * 1.5, 0.05)
