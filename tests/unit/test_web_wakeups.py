"""The web says "stored" to the relay after each command (web.wakeups): commands that end while one is still
waiting for the event loop share it, and one stored after it was sent says it again."""

from __future__ import annotations

import asyncio
import threading
import time

from web.wakeups import Wakeups


class FakeBus:
    """What Wakeups uses of a NATS connection: connected, and what was published."""

    is_connected = True

    def __init__(self) -> None:
        self.published: list[str] = []

    async def publish(self, subject: str, payload: bytes) -> None:
        self.published.append(subject)


def test_commands_ending_while_a_stored_waits_share_it_and_a_later_one_says_it_again():
    loop = asyncio.new_event_loop()
    running = threading.Thread(target=loop.run_forever)
    running.start()
    bus, wakeups = FakeBus(), Wakeups(None)
    wakeups._loop, wakeups._nc = loop, bus
    try:
        # Given the event loop busy for a moment
        busy = threading.Event()
        loop.call_soon_threadsafe(busy.wait, 5)
        # When five commands end meanwhile, then one more after the loop is free again
        for _ in range(5):
            wakeups.stored()
        busy.set()
        eventually(lambda: len(bus.published) >= 1)
        time.sleep(0.1)
        shared = len(bus.published)
        wakeups.stored()
        eventually(lambda: len(bus.published) > shared)
        time.sleep(0.1)
        # Then the five shared one "stored", and the later one said it again
        assert (shared, len(bus.published)) == (1, 2)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        running.join(5)
        loop.close()


def eventually(condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "never happened"
        time.sleep(0.01)
