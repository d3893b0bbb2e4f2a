"""The process's one watcher of the read models' positions, for the live pages.

The projector says "projected" after each batch (``infra.wakeups.PROJECTED``, delivered by
``web.wakeups.Wakeups``); the feed then reads every read model's position once, in one query,
and wakes every open stream if one moved. However many pages are open, a batch costs one query
here. While streams are open and no wake-up comes (the bus away, a wake-up lost), it looks again
at the safety poll's pace, as the read-your-writes wait does: wake-ups make pages faster, never
correct.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

from litestar import Litestar

from infra.wakeups import SAFETY_POLL_SECONDS, wait_or_timeout
from projections.base import positions
from projections.sql import Database

log = logging.getLogger("mrezha.web")


def position_of(db: Database, reads: Iterable[str]) -> int:
    """How far the read models a page shows are projected: the least of their positions (a page is
    current up to the notification its slowest read model has reached)."""
    return min(positions(db, list(reads)).values())


class LiveFeed:
    def __init__(self, db: Database, names: list[str]) -> None:
        self.db = db
        self.names = names
        self.positions: dict[str, int] = {}
        self.streams = 0
        self._moved = asyncio.Event()  # replaced by a fresh one each time positions move
        self._woken = asyncio.Event()
        self._wanted = asyncio.Event()  # set while at least one stream is open

    def position(self, reads: Iterable[str]) -> int:
        return min(self.positions.get(name, 0) for name in reads)

    def moved(self) -> asyncio.Event:
        """An event set the next time the positions move; take it before looking at them."""
        return self._moved

    def wake(self) -> None:
        """The projector projected a batch (called on the event loop, by ``Wakeups``)."""
        self._woken.set()

    def opened(self) -> None:
        self.streams += 1
        self._wanted.set()
        self._woken.set()  # a new stream wants current positions at once

    def closed(self) -> None:
        self.streams -= 1
        if self.streams == 0:
            self._wanted.clear()

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            if not self._wanted.is_set():
                await wait_or_timeout(self._wanted, SAFETY_POLL_SECONDS)
                continue
            await wait_or_timeout(self._woken, SAFETY_POLL_SECONDS)
            self._woken.clear()
            try:
                current = await asyncio.to_thread(positions, self.db, self.names)
            except Exception as error:  # a database hiccup: the streams keep what they have; look again
                log.warning("live pages: reading the read models' positions failed: %s", error)
                continue
            if current != self.positions:
                self.positions = current
                moved, self._moved = self._moved, asyncio.Event()
                moved.set()


@asynccontextmanager
async def live_feed(app: Litestar) -> AsyncIterator[None]:
    """A lifespan: runs after the ones that wire ``app.state.services`` and the wake-ups."""
    services = app.state.services
    feed = LiveFeed(services.db, [projection.name for projection in services.projections])
    services.wakeups.listeners.append(feed.wake)
    app.state.live_feed = feed
    stop = asyncio.Event()
    task = asyncio.create_task(feed.run(stop))
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=5)
