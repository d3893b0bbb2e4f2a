"""Wake-ups instead of polling: core NATS messages (never stored, never on the stream) that say
"something was stored" (the web, after a command, to the relay) and "something was projected"
(the projector, after a batch, to the web's read-your-writes wait). A lost wake-up costs at
most the safety poll (``SAFETY_POLL_SECONDS``): they make things faster, never correct.
"""

from __future__ import annotations

import asyncio
import threading

STORED = "_MREZHA.wake.stored"
PROJECTED = "_MREZHA.wake.projected"
HEALTH_STREAM = "MREZHA_HEALTH"  # one message, overwritten: "the bus takes writes" (infra.bus.takes_writes)
HEALTH_SUBJECT = "_MREZHA.health"
SAFETY_POLL_SECONDS = 1.0


class Signal:
    """A wake-up that threads wait for: each ``fire`` starts a new generation, so a waiter that
    read the generation before checking its condition cannot miss a fire that came in between."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._generation = 0

    @property
    def generation(self) -> int:
        return self._generation

    def fire(self) -> None:
        with self._condition:
            self._generation += 1
            self._condition.notify_all()

    def wait(self, since: int, timeout: float) -> None:
        with self._condition:
            self._condition.wait_for(lambda: self._generation != since, timeout)


async def wait_or_timeout(event: asyncio.Event, timeout: float = SAFETY_POLL_SECONDS) -> None:
    """Until the event is set, or the safety poll is due."""
    try:
        await asyncio.wait_for(event.wait(), timeout)
    except asyncio.TimeoutError:
        pass


class StoredAnnouncer:
    """Says "stored" on the bus for a process without an event loop of its own (a command line, a
    bench): a thread runs one, connected for as long as the announcer is open."""

    def __init__(self, nats_url: str, inbox_prefix: str = "_INBOX") -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="wakeups", daemon=True)
        self._thread.start()
        from infra.bus import connect

        self._nc = asyncio.run_coroutine_threadsafe(connect(nats_url, "mrezha-announcer", inbox_prefix=inbox_prefix), self._loop).result(10)

    def stored(self) -> None:
        asyncio.run_coroutine_threadsafe(self._nc.publish(STORED, b""), self._loop)

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self._nc.close(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
