"""The projector: one durable pull consumer feeds every read model, one transaction per
read model per batch.

Each message is fetched and decoded once, then applied to each read model, whose
rows and tracking position commit together; only then is the batch acknowledged.
A message at or below a read model's position changes nothing there, so read
models at different positions (one just rebuilt) share the consumer, which starts
after the lowest of them. The positions are the only truth about what the read
models hold: on every (re)connection the consumer is recreated from the first
message after the lowest. A consumer kept as it was would still owe the messages it
handed to a process that died before committing them; JetStream redelivers those
only after ``ack_wait``, behind later ones, and they would be skipped as seen.
"""

from __future__ import annotations

import asyncio
import logging
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
CONSUMER = "projector"


def consumer_name(projection: Projection) -> str:
    """The consumer each read model had before they shared one; removed when found."""
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
        while not stop.is_set():
            try:
                nc = await connect(self.nats_url, "mrezha-projector")
            except Exception as error:
                log.warning("bus unreachable (%s); retrying", error)
                await sleep_or_stop(stop, 1.0)
                continue
            try:
                js = nc.jetstream(timeout=5)
                await ensure_stream(js, self.replicas)
                subscription, start_seq, done = await self._subscribe(js)
                await self._consume(subscription, start_seq, done, stop)
            except PositionMoved as moved:
                log.info("%s; resuming from there", moved)
            except Exception as error:
                log.warning("projecting interrupted (%s); resuming", error)
                await sleep_or_stop(stop, 0.5)
            finally:
                await close_quietly(nc)

    def _positions(self) -> dict[str, int]:
        return {p.name: position(self.db, p.name) for p in self.projections}

    async def _subscribe(self, js: Any) -> tuple[Any, int, dict[str, int]]:
        done = await asyncio.to_thread(self._positions)
        lowest = min(done.values(), default=0)
        start_seq = await _first_seq_after(js, lowest)
        for name in [CONSUMER, *(consumer_name(p) for p in self.projections)]:
            try:
                await js.delete_consumer(STREAM, name)
            except NotFoundError:
                pass
        await js.add_consumer(
            STREAM,
            ConsumerConfig(
                durable_name=CONSUMER,
                ack_policy=AckPolicy.ALL,
                deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
                opt_start_seq=start_seq,
                filter_subject=f"{SUBJECT_PREFIX}.>",
                max_ack_pending=20_000,
                ack_wait=30,
            ),
        )
        log.info("projector resumes after notification %d (stream seq %d)", lowest, start_seq)
        return await js.pull_subscribe_bind(CONSUMER, stream=STREAM), start_seq, done

    async def _consume(self, subscription: Any, next_seq: int, done: dict[str, int], stop: asyncio.Event) -> None:
        """Apply messages strictly in stream order; a gap (a message lost in a reconnection,
        waiting for redelivery behind later ones) makes it start over from the positions, and
        so does a position that moved under it (``mrezha rebuild``), checked when idle too.
        The next batch is fetched while this one is written."""
        fetching = asyncio.ensure_future(self._fetch(subscription))
        try:
            while not stop.is_set():
                messages = await fetching
                fetching = asyncio.ensure_future(self._fetch(subscription))
                if not messages:
                    now = await asyncio.to_thread(self._positions)
                    moved = [name for name in now if now[name] != done[name]]
                    if moved:
                        raise PositionMoved(f"{moved[0]} is at {now[moved[0]]}, not at {done[moved[0]]}")
                    continue
                in_order = []
                for message in messages:
                    seq = message.metadata.sequence.stream
                    if seq > next_seq:
                        raise StreamGap(f"expected stream seq {next_seq}, got {seq}")
                    if seq == next_seq:
                        in_order.append(message)
                        next_seq += 1
                batch = [decode(dict(m.headers or {}), m.data) for m in in_order]
                done = await asyncio.to_thread(self._apply, batch, done)
                await messages[-1].ack()  # AckPolicy.ALL: the whole batch
        finally:
            fetching.cancel()
            await asyncio.gather(fetching, return_exceptions=True)

    async def _fetch(self, subscription: Any) -> list[Any]:
        try:
            return await subscription.fetch(self.batch_size, timeout=1)
        except (NatsTimeout, asyncio.TimeoutError):
            return []

    def _apply(self, batch: list[tuple[int, Any]], done: dict[str, int]) -> dict[str, int]:
        """Each read model in its own transaction, each checking it is still where it was left."""
        return {p.name: apply_batch(self.db, p, batch, expected=done[p.name]) for p in self.projections}


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
