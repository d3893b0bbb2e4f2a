"""The audit follower: appends newly stored events to the Merkle tree, signs a checkpoint every
``every`` leaves or every ``interval`` seconds when anything is new, and publishes it on the public
stream as ``mrezha.audit.checkpoint`` (``infra.audit_bus``).

It runs beside the relay, and is woken by the same "stored" the relay hears (``woken``, set by
``Relay.also_wakes``); with nothing heard it looks once a second all the same, and reads only when
something was committed since (``infra.sql.CommitWatch``) or a checkpoint is due or unpublished. After a wake-up it
waits a quarter of a second, so that a busy store is appended in batches and not one event at a time
beside the relay's publishing; so it lags the store by that and one batch, or by the safety poll when
a wake-up was lost.
Every checkpoint the store keeps and the bus does not (signed while the bus was away, or lost with a
stream that was made anew) is published once the bus answers, oldest first."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from infra.audit_bus import last_published_size, publish_checkpoint
from infra.audit_log import AuditLog, checkpoints_after
from infra.bus_auth import inbox_prefix
from infra.bus import connect
from infra.wakeups import SAFETY_POLL_SECONDS
from workers.loops import close_quietly, sleep_or_stop, woken_or_stopped

log = logging.getLogger("mrezha.audit")


class Auditor:
    def __init__(self, audit: AuditLog, nats_url: str | None, *, every: int = 1000,
                 interval: float = 60.0, poll: float = SAFETY_POLL_SECONDS, settle: float = 0.25,
                 changed: Callable[[], bool] = lambda: True) -> None:
        """``changed``: whether anything was committed to the store since it was last asked
        (``infra.sql.CommitWatch.changed``); a quiet safety poll reads nothing unless it was."""
        self.audit, self.nats_url, self.changed = audit, nats_url, changed
        self.every, self.interval, self.poll = every, interval, poll
        self.published = 0
        self.settle = settle  # after a wake-up, what else is stored this long after is appended with it
        self.woken = asyncio.Event()  # "something was stored"

    async def run(self, stop: asyncio.Event) -> None:
        nc = None
        on_bus: int | None = None  # the newest checkpoint's size on the bus, once asked
        signed_at = time.monotonic()
        read_all, pending, signed = False, 0, 0  # as the last pass left them
        while not stop.is_set():
            self.woken.clear()  # before looking: a wake-up from now on is not missed
            committed = self.changed()  # before reading: a commit from now on is seen at the next look
            due = pending and time.monotonic() - signed_at >= self.interval
            if read_all and not committed and not due and (not self.nats_url or on_bus == signed):
                await woken_or_stopped(self.woken, stop, self.poll)  # nothing new to append, sign or publish
                if self.woken.is_set():
                    await sleep_or_stop(stop, self.settle)
                continue
            try:
                added = await asyncio.to_thread(self.audit.extend, self.every)
            except Exception as error:  # the database is away: the relay goes on, the tree catches up
                log.warning("audit tree not extended (%s); retrying", error)
                read_all = False  # the watch has moved on: read next time whatever it says
                await sleep_or_stop(stop, 1.0)
                continue
            read_all = added < self.every
            signed = self.audit.last_checkpoint_size()
            pending = self.audit.size - signed
            if pending and (pending >= self.every or time.monotonic() - signed_at >= self.interval):
                await asyncio.to_thread(self.audit.checkpoint)  # signs the tree's current size
                signed_at, signed, pending = time.monotonic(), self.audit.size, 0
            if self.nats_url and signed != on_bus:
                try:
                    nc = nc or await connect(self.nats_url, "mrezha-audit", inbox_prefix=inbox_prefix("relay"))
                    js = nc.jetstream(timeout=5)
                    on_bus = await last_published_size(js) if on_bus is None else on_bus
                    for checkpoint in await asyncio.to_thread(checkpoints_after, self.audit.db, on_bus):
                        on_bus = await publish_checkpoint(js, checkpoint)
                        self.published += 1
                except Exception as error:  # the store keeps the checkpoints; the bus gets them later
                    log.warning("checkpoint not published (%s)", error or type(error).__name__)
                    on_bus = None
            if not added:
                await woken_or_stopped(self.woken, stop, self.poll)
                if self.woken.is_set():  # one append for the commands of the next moment, not one each
                    await sleep_or_stop(stop, self.settle)
        if nc is not None:
            await close_quietly(nc)
