"""The projector: a durable pull consumer per read model, one transaction per batch.

Rows and the tracking position commit together, and only then are the
messages acknowledged; a redelivered message is at or below the position and
changes nothing. The position is the only truth about what a read model holds:
on every (re)connection the consumer is recreated from the first message after
it. A consumer kept as it was would still owe the messages it handed to a
process that died before committing them; JetStream redelivers those only after
``ack_wait``, behind later ones, and they would be skipped as already seen.
"""

from __future__ import annotations

import asyncio
import logging
from functools import partial
from typing import Any

from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from workers.loops import close_quietly, sleep_or_stop
from infra.bus import connect, ensure_stream
from infra.contract import STREAM, SUBJECT_PREFIX, decode
from projections.base import PositionMoved, Projection, apply_batch, ensure_tables, position
from projections.sql import Database

log = logging.getLogger("mrezha.projector")


def consumer_name(projection: Projection) -> str:
    return f"projector-{projection.name}"


class Projector:
    def __init__(
        self,
        db: Database,
        projections: tuple[Projection, ...],
        nats_url: str,
        *,
        batch_size: int = 500,
        replicas: int = 1,
    ) -> None:
        self.db = db
        self.replicas = replicas
        self.projections = projections
        self.nats_url = nats_url
        self.batch_size = batch_size

    async def run(self, stop: asyncio.Event) -> None:
        for projection in self.projections:
            await asyncio.to_thread(ensure_tables, self.db, projection)
        await asyncio.gather(*(self._follow(p, stop) for p in self.projections))

    async def _follow(self, projection: Projection, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                nc = await connect(self.nats_url, f"mrezha-{consumer_name(projection)}")
            except Exception as error:
                log.warning("bus unreachable (%s); retrying", error)
                await sleep_or_stop(stop, 1.0)
                continue
            try:
                js = nc.jetstream(timeout=5)
                await ensure_stream(js, self.replicas)
                subscription, start_seq, done = await self._subscribe(js, projection)
                await self._consume(subscription, projection, start_seq, done, stop)
            except PositionMoved as moved:
                log.info("%s; resuming from there", moved)
            except Exception as error:
                log.warning("%s interrupted (%s); resuming", projection.name, error)
                await sleep_or_stop(stop, 0.5)
            finally:
                await close_quietly(nc)

    async def _subscribe(self, js: Any, projection: Projection) -> Any:
        name = consumer_name(projection)
        done = await asyncio.to_thread(position, self.db, projection.name)
        start_seq = await _first_seq_after(js, done)
        try:
            await js.delete_consumer(STREAM, name)
        except NotFoundError:
            pass
        await js.add_consumer(
            STREAM,
            ConsumerConfig(
                durable_name=name,
                ack_policy=AckPolicy.EXPLICIT,
                deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
                opt_start_seq=start_seq,
                filter_subject=f"{SUBJECT_PREFIX}.>",
                max_ack_pending=20_000,
                ack_wait=30,
            ),
        )
        log.info("%s resumes after notification %d (stream seq %d)", projection.name, done, start_seq)
        return await js.pull_subscribe_bind(name, stream=STREAM), start_seq, done

    async def _consume(
        self, subscription: Any, projection: Projection, next_seq: int, done: int, stop: asyncio.Event
    ) -> None:
        """Apply messages strictly in stream order; a gap (a message lost in a reconnection,
        waiting for redelivery behind later ones) makes it start over from the position, and
        so does a position that moved under it (``mrezha rebuild``), checked when idle too."""
        while not stop.is_set():
            try:
                messages = await subscription.fetch(self.batch_size, timeout=1)
            except (NatsTimeout, asyncio.TimeoutError):
                now = await asyncio.to_thread(position, self.db, projection.name)
                if now != done:
                    raise PositionMoved(f"{projection.name} is at {now}, not at {done}") from None
                continue
            in_order = []
            for message in messages:
                seq = message.metadata.sequence.stream
                if seq > next_seq:
                    raise StreamGap(f"{projection.name} expected stream seq {next_seq}, got {seq}")
                if seq == next_seq:
                    in_order.append(message)
                    next_seq += 1
            batch = [decode(dict(m.headers or {}), m.data) for m in in_order]
            done = await asyncio.to_thread(partial(apply_batch, expected=done), self.db, projection, batch)
            for message in messages:
                await message.ack()


class StreamGap(Exception):
    """A message arrived before one that should precede it."""


async def _first_seq_after(js: Any, notification_id: int) -> int:
    """The stream sequence of the first message whose notification id is above the given one."""
    info = await js.stream_info(STREAM)
    low, high = info.state.first_seq or 1, info.state.last_seq
    if notification_id == 0 or high == 0:
        return low
    answer = high + 1
    while low <= high:
        middle = (low + high) // 2
        message = await js.get_msg(STREAM, seq=middle)
        if int((message.headers or {})["Nats-Msg-Id"]) > notification_id:
            answer, high = middle, middle - 1
        else:
            low = middle + 1
    return answer

