"""The projector: one durable pull consumer of the internal stream feeds every read model.

This process fetches from JetStream and checks the stream order; its writer process
(``workers.projection_writer``) decodes each batch and writes the read models, rows and
tracking position in one transaction per read model. The two run on separate cores:
the next batch is fetched while the writer writes this one, and a batch is
acknowledged only once the writer has answered that it is written.

A message at or below a read model's position changes nothing there, so read models
at different positions (one just rebuilt) share the consumer, which starts after the
lowest of them. The positions are the only truth about what the read models hold: on
every (re)connection the consumer is recreated from the first message after the
lowest. A consumer kept as it was would still owe the messages it handed to a process
that died before committing them; JetStream redelivers those only after ``ack_wait``,
behind later ones, and they would be skipped as seen.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from concurrent.futures.process import BrokenProcessPool
from collections.abc import Awaitable, Callable
from typing import Any

from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.client import JetStreamContext
from nats.js.errors import NotFoundError

from contract.envelope import INTERNAL_PREFIX, INTERNAL_STREAM as STREAM
from contract.headers import Headers
from infra.bus import connect, require_stream
from infra.bus_auth import PROJECTOR_CONSUMER, inbox_prefix
from infra.wakeups import PROJECTED

INBOX_PREFIX = inbox_prefix("projector")  # nobody else may listen to what it fetches
from projections.base import PositionMoved, Projection
from workers.loops import close_quietly, sleep_or_stop
from workers.projection_writer import Wire, WriterProcess

log = logging.getLogger("mrezha.projector")
CONSUMER = PROJECTOR_CONSUMER
FETCH_CHUNK = 1000  # messages a fetch asks for; the writer gets up to a batch of them at once
# A fetch waits on the server for the next message (it comes at once); when none came for this long, the
# projector checks whether a read model was reset (``mrezha rebuild``) and asks again.
IDLE_SECONDS = 5.0


def consumer_name(projection: Projection) -> str:
    """The consumer each read model had before they shared one; removed when found."""
    return f"projector-{projection.name}"


class Projector:
    def __init__(
        self,
        database_url: str,
        projections: tuple[Projection, ...],
        nats_url: str,
        *,
        batch_size: int = 5000,
        replicas: int = 1,
    ) -> None:
        self.writer = WriterProcess(database_url, tuple(p.name for p in projections))
        self.replicas = replicas
        self._legacy_consumers = [consumer_name(p) for p in projections]
        self.nats_url = nats_url
        self.batch_size = batch_size

    async def run(self, stop: asyncio.Event) -> None:
        try:
            while not stop.is_set():
                try:
                    nc = await connect(self.nats_url, "mrezha-projector", inbox_prefix=INBOX_PREFIX)
                except Exception as error:
                    log.warning("cannot project yet (%s); retrying", error)
                    await sleep_or_stop(stop, 1.0)
                    continue
                try:
                    js = nc.jetstream(timeout=5)
                    await require_stream(js)  # the relay makes it: the projector may only read
                    subscription, start_seq = await self._subscribe(js)
                    await self._consume(subscription, start_seq, stop, lambda: nc.publish(PROJECTED, b""))
                except PositionMoved as moved:
                    log.info("%s; resuming from there", moved)
                except Exception as error:
                    log.warning("projecting interrupted (%s); resuming", error)
                    await self._replace_dead_writer(error)
                    await sleep_or_stop(stop, 0.5)
                finally:
                    await close_quietly(nc)
        finally:
            await self.writer.stop()

    async def _replace_dead_writer(self, error: Exception) -> None:
        """A writer process that died (killed, out of memory) is replaced by a new one."""
        if isinstance(error, BrokenProcessPool):
            log.warning("the writer process stopped; starting a new one")
            await self.writer.stop()

    async def _subscribe(self, js: JetStreamContext) -> tuple[JetStreamContext.PullSubscription, int]:
        done = await self.writer.start()
        lowest = min(done.values(), default=0)
        start_seq = await _first_seq_after(js, lowest)
        for name in [CONSUMER, *self._legacy_consumers]:
            try:
                await js.delete_consumer(STREAM, name)
            except NotFoundError:
                pass
        self._legacy_consumers = []  # looked for once a process; gone for good after that
        await js.add_consumer(
            STREAM,
            ConsumerConfig(
                durable_name=CONSUMER,
                ack_policy=AckPolicy.ALL,
                deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
                opt_start_seq=start_seq,
                filter_subject=f"{INTERNAL_PREFIX}.>",
                max_ack_pending=4 * self.batch_size,
                ack_wait=60,
            ),
        )
        log.info("projector resumes after notification %d (stream seq %d)", lowest, start_seq)
        return await js.pull_subscribe_bind(CONSUMER, stream=STREAM), start_seq

    async def _consume(
        self,
        subscription: JetStreamContext.PullSubscription,
        next_seq: int,
        stop: asyncio.Event,
        announce: Callable[[], Awaitable[None]],
    ) -> None:
        """Apply messages strictly in stream order; a gap (a message lost in a reconnection,
        waiting for redelivery behind later ones) makes it start over from the positions, and
        so does a position that moved under it (``mrezha rebuild``), checked when idle too.

        Fetching never waits for writing: messages are fetched in chunks into a queue (up to
        two batches ahead). A free writer gets everything queued so far, up to a batch, so a
        lone event is written as soon as it is fetched; a busy one gets its next full batch
        before it answers, so in a backlog it never waits. Batches are acknowledged in order,
        each once the writer has answered it, and announced (``infra.wakeups.PROJECTED``) to
        whoever waits to read what it wrote."""
        queued: list[tuple[Wire | None, Msg]] = []  # (what the writer needs, or None if seen; message)
        fetching: asyncio.Future[list[Msg]] | None = asyncio.ensure_future(self._fetch(subscription))
        shipped: deque[tuple[asyncio.Future[dict[str, int]], Msg]] = deque()  # (positions, last message)
        stopping = asyncio.ensure_future(stop.wait())
        try:
            while not stop.is_set() or shipped:
                waiting: list[asyncio.Future[Any]] = [
                    task for task in (fetching, shipped[0][0] if shipped else None) if task is not None
                ]
                if not stop.is_set():
                    waiting.append(stopping)  # stop at once, not after the fetch's timeout
                await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
                while shipped and shipped[0][0].done():
                    written, last = shipped.popleft()
                    written.result()  # PositionMoved, or the writer failed: start over
                    await last.ack()  # AckPolicy.ALL: the whole batch, and all before it
                    await announce()
                if fetching is not None and fetching.done():
                    messages = fetching.result()
                    fetching = None
                    for message in messages:
                        seq = message.metadata.sequence.stream
                        if seq > next_seq:
                            raise StreamGap(f"expected stream seq {next_seq}, got {seq}")
                        queued.append((wire(message) if seq == next_seq else None, message))
                        next_seq = max(next_seq, seq + 1)
                    if not messages and not queued and not shipped:
                        await self.writer.idle()  # was a read model reset?
                while queued and not stop.is_set() and (
                    not shipped or (len(shipped) == 1 and len(queued) >= self.batch_size)
                ):
                    batch, queued = queued[: self.batch_size], queued[self.batch_size :]
                    shipped.append((self.writer.write([w for w, _ in batch if w is not None]), batch[-1][1]))
                if fetching is None and len(queued) < 2 * self.batch_size and not stop.is_set():
                    fetching = asyncio.ensure_future(self._fetch(subscription))
        finally:
            for task in (fetching, stopping):
                if task is not None:
                    task.cancel()
            # Batches already submitted are written or refused before anything reads the positions again.
            await asyncio.gather(
                *(t for t in (fetching, stopping) if t is not None), *(w for w, _ in shipped), return_exceptions=True
            )

    async def _fetch(self, subscription: JetStreamContext.PullSubscription) -> list[Msg]:
        try:
            return await subscription.fetch(FETCH_CHUNK, timeout=IDLE_SECONDS)
        except (NatsTimeout, asyncio.TimeoutError):
            return []


def wire(message: Msg) -> Wire:
    """What the writer needs of a message: its id, type, who acted, and the body."""
    headers = Headers.read(message.headers or {})
    return headers.notification_id, headers.type, headers.actor, headers.actorcentre, message.data


class StreamGap(Exception):
    """A message arrived before one that should precede it."""


async def _first_seq_after(js: JetStreamContext, notification_id: int) -> int:
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
