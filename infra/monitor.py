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
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

from contract.envelope import INTERNAL_STREAM as STREAM  # the complete one: every published event
from infra.bus import StallWatch, StreamEmptied, last_published_id, takes_writes
from infra.bus_auth import inbox_prefix
from infra.store import events_after
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
    writable: bool = False  # JetStream took the last health write (a full disk or a limit refuses it)
    messages: int = 0  # messages on the stream now (fewer after a purge)
    last_seq: int = 0
    checked_at: float = 0.0  # time.monotonic() of the last answer


CATCHING_UP_SECONDS = 10.0  # a read model that moved this recently is catching up (a rebuild), not stuck
HEALTH_EVERY_SECONDS = 5.0  # how often the bus is asked to take a health write
QUIET_STREAM_SECONDS = 5.0  # how often the stream is asked about while nothing is stored or projected


@dataclass
class PipelineMonitor:
    """Refreshes ``positions`` every ``interval`` seconds (reading the databases only when something
    was committed since), and ``stream`` with them while anything moves (every ``QUIET_STREAM_SECONDS``
    while nothing does); never blocks a request."""

    store: Application
    db: Database
    projections: tuple[Projection, ...]
    nats_url: str | None
    interval: float = 1.0
    # whether anything was committed since it was last asked (``infra.sql.CommitWatch.changed``): a quiet
    # second reads nothing, and only the age of the lag moves
    changed: Callable[[], bool] = lambda: True
    positions: Positions | None = None
    stream: StreamState = field(default_factory=StreamState)
    events_stored: int = 0  # counted, so it only goes up (notification ids have gaps on PostgreSQL)
    events_published: int = 0  # messages the stream took since first seen: it does not fall on a purge
    moved_at: dict[str, float] = field(default_factory=dict)  # read model -> when its position last moved
    _counted_to: int = 0
    _seen_seq: int | None = None
    _newest_at: tuple[int, int] | None = None  # (the stream's last sequence, its newest notification id)
    _health_at: float = 0.0
    _unread: bool = True  # no read yet, or the last one failed
    _stall: StallWatch = field(default_factory=StallWatch)

    def catching_up(self, projection: str) -> bool:
        """The read model is behind but moving: rebuilt or catching up, stale for a while, not broken."""
        moved = self.moved_at.get(projection)
        return moved is not None and time.monotonic() - moved < CATCHING_UP_SECONDS

    def _count(self) -> None:
        count, self._counted_to = events_after(self.store, self._counted_to)
        self.events_stored += count

    def _note_moves(self, before: Positions | None, now: Positions) -> None:
        for name, at in now.projected.items():
            if before is None or before.projected.get(name) != at:
                self.moved_at[name] = time.monotonic()

    async def run(self, stop: asyncio.Event) -> None:
        nc = None
        try:
            while not stop.is_set():
                before = self.positions
                try:
                    if self.changed() or self._unread:
                        self.positions = await asyncio.to_thread(self._read)
                        self._unread = False
                        self._note_moves(before, self.positions)
                    else:  # nothing stored or projected since: the same positions, measured now
                        self.positions = replace(before, measured_at=datetime.now(timezone.utc))
                except Exception as error:  # the database is away: /readyz says so on its own
                    log.warning("positions unreadable: %s", error)
                    self._unread = True  # the watch has moved on: read next time, whatever it says
                if self.nats_url and (not _same(before, self.positions) or self._stream_check_due()):
                    nc = await self._check_stream(nc)
                try:
                    await asyncio.wait_for(stop.wait(), timeout=self.interval)
                except asyncio.TimeoutError:
                    pass
        finally:
            if nc is not None:
                await _close(nc)

    def _read(self) -> Positions:
        positions = read_positions(self.store, self.db, self.projections)
        self._count()
        return positions

    def _stream_check_due(self) -> bool:
        """While nothing moves, the stream is asked every ``QUIET_STREAM_SECONDS``; at once after a failure."""
        stream = self.stream
        return not stream.writable or time.monotonic() - stream.checked_at >= QUIET_STREAM_SECONDS

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
            js = nc.jetstream(timeout=1)
            info = await js.stream_info(STREAM)
            writable = self.stream.writable
            if time.monotonic() - self._health_at >= HEALTH_EVERY_SECONDS or not writable:
                writable = await takes_writes(js)
                self._health_at = time.monotonic()
            if self.positions is not None and info.state.messages:
                newest = await self._newest(js, int(info.state.last_seq))
                if self._stall.stalled(self.positions.stored, newest, time.monotonic()):
                    writable = False  # the stream has stopped taking the store's events
            self._count_published(int(info.state.messages), int(info.state.last_seq))
            self.stream = StreamState(True, writable, int(info.state.messages), int(info.state.last_seq), time.monotonic())
        except Exception:
            self.stream = StreamState(False, False, self.stream.messages, self.stream.last_seq, self.stream.checked_at)
            if nc is not None and not nc.is_connected and not nc.is_reconnecting:
                await _close(nc)
                nc = None
        return nc


    async def _newest(self, js: Any, last_seq: int) -> int:
        """The stream's newest notification id, read again only when its last sequence moved."""
        if self._newest_at is None or self._newest_at[0] != last_seq:
            try:
                self._newest_at = (last_seq, await last_published_id(js))
            except StreamEmptied:
                self._newest_at = None
                return 0
        return self._newest_at[1]

    def _count_published(self, messages: int, last_seq: int) -> None:
        if self._seen_seq is None:
            self.events_published = messages  # what the stream holds when first seen
        elif last_seq >= self._seen_seq:
            self.events_published += last_seq - self._seen_seq
        else:  # the stream was deleted and made again: its sequence starts over
            self.events_published += last_seq
        self._seen_seq = last_seq


def _same(before: Positions | None, now: Positions | None) -> bool:
    """Nothing stored or projected between two readings."""
    return before is not None and now is not None and (before.stored, before.projected) == (now.stored, now.projected)


async def _quiet(error: Exception) -> None:
    return None


async def _quiet_event() -> None:
    return None


async def _close(nc: Any) -> None:
    try:
        await nc.close()
    except Exception:
        pass
