"""The relay: follows the store's notification log and publishes each event to JetStream.

Every event goes on the internal stream (``MREZHA_INTERNAL``, what the projector reads),
and the public ones also on the public stream (``MREZHA``, what subscribers read), in
the public form ``contract.envelope.public_envelope`` makes. It resumes after the newest
message already on the internal stream (that message's ``Nats-Msg-Id`` is the
notification id), publishes strictly in order there (each message expects its
predecessor as the stream's last message id), and lets JetStream absorb a duplicate by
``Nats-Msg-Id``. The public stream is first brought up to the internal one (a relay
stopped between the two publications). A stream that was deleted or purged is made anew
and filled again from the store. The write path never waits for it: when the bus is down
the relay retries, and catches up later.

It does not poll the store: a process that stored something says so on the bus
(``infra.wakeups.STORED``); with nothing said it looks once a second all the same (reading the
store only when something was committed since its last read: ``infra.sql.CommitWatch``), and
every five seconds of quiet checks that both streams are still whole.

A command after a quiet moment is published at once; commands that follow within
``GATHER_SECONDS`` of a publication wait for the end of that moment and go out together
(at most 100 batches a second). Publishing each command of a busy store on its own cost the
relay, nats-server and the projector some 4 ms of CPU per command, competing on two cores
with the web answering the next one; gathered, about half of that (``make bench``, commands).
The moment is short because every command waits for its end: at 100 commands/s a 25 ms moment
put the p99 of commit -> projected at 46-62 ms on a slow day of this machine, 10 ms at 30-39 ms,
for 0.2-1 ms more of the bus's CPU per command (8 clients were as fast: the web bounds them).
The web projects its own commands (``infra.catch_up``), so only what others read from the
bus waits, by at most that moment.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import Notification

from workers.loops import close_quietly, sleep_or_stop
from infra.bus import StreamEmptied, connect, ensure_stream, last_published_id, remake_stream, stream_whole
from infra.bus_auth import inbox_prefix
from infra.wakeups import SAFETY_POLL_SECONDS, STORED, wait_or_timeout
from contract.envelope import INTERNAL_STREAM, STREAM, envelope, public_envelope
from contract.headers import SOURCE

log = logging.getLogger("mrezha.relay")
WHOLE_CHECK_SECONDS = 5.0  # when idle, how often both streams are checked to be whole (one request each)
GATHER_SECONDS = 0.010  # a publication within this long of the last waits for the rest of the moment


class Relay:
    def __init__(
        self,
        store: Application,
        nats_url: str,
        *,
        batch_size: int = 500,
        poll_interval: float = SAFETY_POLL_SECONDS,
        gather: float = GATHER_SECONDS,
        replicas: int = 1,
        source: str = SOURCE,
        changed: Callable[[], bool] = lambda: True,
    ) -> None:
        """``changed``: whether anything was committed to the store since it was last asked
        (``infra.sql.CommitWatch.changed``); the safety poll reads the store only then."""
        self.source = source  # ce-source: the installation's public URL
        self.changed = changed
        self.store = store
        self.nats_url = nats_url
        self.replicas = replicas
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.gather = gather
        self.published = 0
        self.batches = 0  # publications to the internal stream (each one batch of commands)
        self.public_last = 0  # the newest event on the public stream when publishing resumed
        self._also_woken: list[asyncio.Event] = []

    def also_wakes(self, woken: asyncio.Event) -> None:
        """Sets the event too whenever "stored" is heard (the audit follower beside it follows the store too)."""
        self._also_woken.append(woken)

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                nc = await connect(self.nats_url, "mrezha-relay", inbox_prefix=inbox_prefix("relay"))
            except Exception as error:  # the bus is down: the store keeps everything
                log.warning("bus unreachable (%s); retrying", error)
                await sleep_or_stop(stop, 1.0)
                continue
            try:
                woken = asyncio.Event()

                async def wake(_: Any) -> None:
                    woken.set()
                    for other in self._also_woken:
                        other.set()

                await nc.subscribe(STORED, cb=wake)
                await self._publish_loop(nc.jetstream(timeout=5), stop, woken)
            except Exception as error:
                log.warning("publishing interrupted (%s); resuming from the stream's end", error)
                await sleep_or_stop(stop, 0.5)
            finally:
                await close_quietly(nc)

    async def _publish_loop(self, js: Any, stop: asyncio.Event, woken: asyncio.Event) -> None:
        await ensure_stream(js, self.replicas)
        last = await self._resume_on(js, INTERNAL_STREAM)
        self.public_last = await self._resume_on(js, STREAM)
        await self._catch_up_public(js, self.public_last, last)
        log.info("relay resumes after notification %d", last)
        stopping = asyncio.ensure_future(stop.wait())
        checked_at = time.monotonic()
        moment_ends = 0.0  # what is stored before then waits and goes out with the rest of the moment
        read_all = False  # the last read found everything committed before the look that preceded it
        try:
            while not stop.is_set():
                pause = moment_ends - time.monotonic()
                if pause > 0:  # what is stored meanwhile goes out with it
                    await sleep_or_stop(stop, pause)
                woken.clear()  # before looking: a wake-up from now on is not missed
                committed = self.changed()  # before reading: a commit from now on is seen at the next look
                notifications: Sequence[Notification] = []
                if committed or not read_all:
                    notifications = await asyncio.to_thread(
                        self.store.recorder.select_notifications, last + 1, self.batch_size
                    )
                read_all = len(notifications) < self.batch_size
                if not notifications:
                    waking = asyncio.ensure_future(wait_or_timeout(woken, self.poll_interval))
                    await asyncio.wait([stopping, waking], return_when=asyncio.FIRST_COMPLETED)
                    waking.cancel()
                    idle = not woken.is_set() and not stop.is_set()
                    if idle and time.monotonic() - checked_at >= WHOLE_CHECK_SECONDS:  # are both streams still whole?
                        await stream_whole(js, INTERNAL_STREAM)  # StreamEmptied if not: start over
                        await stream_whole(js, STREAM)
                        checked_at = time.monotonic()
                    continue
                last = await self._publish_batch(js, notifications, last)
                # a full batch means a backlog: the next at once
                moment_ends = time.monotonic() + self.gather if len(notifications) < self.batch_size else 0.0
        finally:
            stopping.cancel()

    async def _resume_on(self, js: Any, stream: str) -> int:
        """The newest event on the stream; a stream that lost messages is made anew (from 0)."""
        try:
            return await last_published_id(js, stream)
        except StreamEmptied as emptied:
            log.warning("%s: making it anew and publishing the stored events again", emptied)
            await remake_stream(js, self.replicas, stream)
            return 0

    async def _catch_up_public(self, js: Any, public: int, last: int) -> None:
        """Publish on the public stream what the internal one has beyond it."""
        while public < last:
            notifications = await asyncio.to_thread(
                self.store.recorder.select_notifications, public + 1, self.batch_size, last
            )
            if not notifications:
                return
            acks = []
            for notification in notifications:
                shown = public_envelope(envelope(notification.id, self.store.mapper.to_domain_event(notification),
                                                 self.source))
                if shown is not None:
                    acks.append(await js.publish_async(shown.subject, shown.body, headers=dict(shown.headers)))
            for future in acks:
                await asyncio.wait_for(future, timeout=10)
            public = notifications[-1].id
            log.info("public stream caught up to notification %d", public)

    async def _publish_batch(self, js: Any, notifications: Sequence[Notification], last: int) -> int:
        acks, public = [], []
        previous = last
        for notification in notifications:
            event = self.store.mapper.to_domain_event(notification)
            message = envelope(notification.id, event, self.source)
            headers = dict(message.headers)
            if previous:
                headers["Nats-Expected-Last-Msg-Id"] = str(previous)
            acks.append(await js.publish_async(message.subject, message.body, headers=headers))
            shown = public_envelope(message) if notification.id > self.public_last else None
            if shown is not None:  # (a public stream already ahead, from before an upgrade, gets no copies)
                public.append(await js.publish_async(shown.subject, shown.body, headers=dict(shown.headers)))
            previous = notification.id
        for future in acks:
            ack = await asyncio.wait_for(future, timeout=10)
            if not ack.duplicate:
                self.published += 1
        self.batches += 1
        for future in public:
            await asyncio.wait_for(future, timeout=10)
        return previous

