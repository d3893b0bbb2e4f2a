"""The web's side of the wake-ups (``infra.wakeups``): it says "stored" after each command, so the
relay publishes at once, and wakes the requests that wait to read their own write as soon as the
projector says "projected". With the bus away, both fall back to the safety poll."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar

from infra.bus import connect
from infra.bus_auth import inbox_prefix
from infra.wakeups import PROJECTED, STORED, Signal, wait_or_timeout

log = logging.getLogger("mrezha.web")


class Wakeups:
    def __init__(self, nats_url: str | None) -> None:
        self.nats_url = nats_url
        self.projected = Signal()
        self.listeners: list[Callable[[], None]] = []  # also told "projected", on the event loop (web.live)
        self._nc: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._saying = False  # a "stored" is scheduled on the event loop and not yet sent

    def stored(self) -> None:
        """Say "stored" from any thread; never waits, never fails the command. Commands that end while a
        "stored" is still waiting for the event loop share it: it is said after all of them were stored."""
        if self._loop is not None and self._nc is not None and self._nc.is_connected and not self._saying:
            self._saying = True
            self._loop.call_soon_threadsafe(self._say_stored)

    def _say_stored(self) -> None:
        self._saying = False  # before publishing: a command stored from now on says it again
        asyncio.ensure_future(self._publish())

    async def _publish(self) -> None:
        try:
            await self._nc.publish(STORED, b"")
        except Exception as error:  # the relay's safety poll covers a lost wake-up
            log.debug("wake-up not sent: %s", error)

    async def run(self, stop: asyncio.Event) -> None:
        self._loop = asyncio.get_running_loop()
        while not stop.is_set() and self.nats_url:
            try:
                self._nc = await connect(self.nats_url, "mrezha-web", inbox_prefix=inbox_prefix("monitor"))
            except Exception:
                await wait_or_timeout(stop, 1.0)  # the bus is away: try again in a second, or stop
                continue

            async def woken(_: Any) -> None:
                self.projected.fire()
                for listener in self.listeners:
                    listener()

            try:
                await self._nc.subscribe(PROJECTED, cb=woken)
                await stop.wait()
            finally:
                nc, self._nc = self._nc, None
                try:
                    await nc.close()
                except Exception as error:
                    log.debug("closing the wake-up connection: %s", error)


@asynccontextmanager
async def bus_wakeups(app: Litestar) -> AsyncIterator[None]:
    """A lifespan: runs after the one that wires ``app.state.services``."""
    wakeups: Wakeups = app.state.services.wakeups
    stop = asyncio.Event()
    task = asyncio.create_task(wakeups.run(stop))
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=5)
