"""Read-your-writes: wait, bounded, until the read models have projected a notification.

The wait is woken by the projector's "projected" (``web.wakeups``); without it, it looks again
after a pause that grows to the safety poll's.
"""

from __future__ import annotations

import time

from infra.wakeups import SAFETY_POLL_SECONDS, Signal
from projections.base import Projection, positions
from projections.sql import Database


def wait_until_projected(
    db: Database,
    projections: tuple[Projection, ...],
    notification_id: int,
    timeout: float,
    projected: Signal | None = None,
) -> bool:
    """True once every read model is at or past the id; False when the time ran out."""
    deadline = time.monotonic() + timeout
    names = [p.name for p in projections]
    pause = 0.005
    while True:
        generation = projected.generation if projected is not None else 0
        if all(at >= notification_id for at in positions(db, names).values()):
            return True
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        if projected is not None:
            projected.wait(generation, min(remaining, SAFETY_POLL_SECONDS))
        else:
            time.sleep(min(pause, remaining))
            pause = min(pause * 1.5, 0.05)
