"""Where each part of the pipeline stands: the store, the stream, every read model.

``read_positions`` asks the databases: the store's last notification id, each
read model's tracking position, and when the oldest event not yet in every read
model was recorded. ``PipelineMonitor`` refreshes that in the background, with
the stream's state from NATS, so a page or ``/metrics`` reads a snapshot and a
request never waits on the bus.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from contract.envelope import INTERNAL_STREAM as STREAM  # the complete one: every published event
from infra.bus_auth import inbox_prefix
from eventsourcing.application import Application
from projections.base import Projection, positions
from projections.sql import Database

log = logging.getLogger("mrezha.monitor")


@dataclass(frozen=True)
class Positions:
    stored: int  # the store's last notification id
    projected: dict[str, int]  # read model -> its tracking position
    oldest_unprojected_at: datetime | None  # when the first event some read model lacks was recorded
    measured_at: datetime

    def lag(self, projection: str | None = None) -> int:
        """Notifications stored but not yet projected (by one read model, or by the slowest)."""
        done = self.projected[projection] if projection else min(self.projected.values(), default=self.stored)
        return max(0, self.stored - done)

    @property
    def lag_seconds(self) -> float:
        """How long the oldest event some read model lacks has been waiting (0 when none)."""
        if self.oldest_unprojected_at is None:
            return 0.0
        return max(0.0, (self.measured_at - self.oldest_unprojected_at).total_seconds())


def read_positions(store: Application, db: Database, projections: tuple[Projection, ...]) -> Positions:
    projected = positions(db, [projection.name for projection in projections])
    stored = store.recorder.max_notification_id() or 0
    oldest = None
    slowest = min(projected.values(), default=stored)
    if slowest < stored:
        waiting = store.recorder.select_notifications(slowest + 1, 1)
        if waiting:
            oldest = store.mapper.to_domain_event(waiting[0]).timestamp
    return Positions(stored, projected, oldest, datetime.now(timezone.utc))


@dataclass
class StreamState:
    reachable: bool = False
    messages: int = 0  # messages on the stream: one per published event
    last_seq: int = 0
    checked_at: float = 0.0  # time.monotonic() of the last answer


@dataclass
class PipelineMonitor:
    """Refreshes ``positions`` and ``stream`` every ``interval`` seconds; never blocks a request."""

    store: Application
    db: Database
    projections: tuple[Projection, ...]
    nats_url: str | None
    interval: float = 1.0
    positions: Positions | None = None
    stream: StreamState = field(default_factory=StreamState)

    async def run(self, stop: asyncio.Event) -> None:
        nc = None
        try:
            while not stop.is_set():
                try:
                    self.positions = await asyncio.to_thread(read_positions, self.store, self.db, self.projections)
                except Exception as error:  # the database is away: /readyz says so on its own
                    log.warning("positions unreadable: %s", error)
                if self.nats_url:
                    nc = await self._check_stream(nc)
                try:
                    await asyncio.wait_for(stop.wait(), timeout=self.interval)
                except asyncio.TimeoutError:
                    pass
        finally:
            if nc is not None:
                await _close(nc)

    async def _check_stream(self, nc: Any) -> Any:
        import nats

        try:
            if nc is None or nc.is_closed:
                nc = await nats.connect(
                    servers=self.nats_url.split(","), name="mrezha-web-monitor", connect_timeout=1,
                    max_reconnect_attempts=-1, reconnect_time_wait=1, allow_reconnect=True,
                    error_cb=_quiet, disconnected_cb=_quiet_event, reconnected_cb=_quiet_event,
                    inbox_prefix=inbox_prefix("monitor"),
                )
            info = await nc.jetstream(timeout=1).stream_info(STREAM)
            self.stream = StreamState(True, int(info.state.messages), int(info.state.last_seq), time.monotonic())
        except Exception:
            self.stream = StreamState(False, self.stream.messages, self.stream.last_seq, self.stream.checked_at)
            if nc is not None and not nc.is_connected and not nc.is_reconnecting:
                await _close(nc)
                nc = None
        return nc


async def _quiet(error: Exception) -> None:
    return None


async def _quiet_event() -> None:
    return None


async def _close(nc: Any) -> None:
    try:
        await nc.close()
    except Exception:
        pass
