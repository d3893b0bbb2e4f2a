"""The projector: one durable pull consumer feeds every read model.

This process fetches from JetStream; a child process (``workers.projection_writer``)
decodes each batch and writes the read models, whose rows and tracking position
commit together, one transaction per read model. The two run on separate cores: the
next batch is fetched while the writer writes this one, and a batch is acknowledged
only once the writer has answered that it is written.

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
import contextlib
import logging
import sys
from typing import Any

import msgspec
from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from infra.bus import connect, ensure_stream
from infra.contract import STREAM, SUBJECT_PREFIX
from projections.base import PositionMoved, Projection
from workers.loops import close_quietly, sleep_or_stop
from workers.projection_writer import HEADER, encode_frame

log = logging.getLogger("mrezha.projector")
CONSUMER = "projector"


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
        self.projections = projections
        self.nats_url = nats_url
        self.batch_size = batch_size

    async def run(self, stop: asyncio.Event) -> None:
        try:
            while not stop.is_set():
                try:
                    await self.writer.start()
                    nc = await connect(self.nats_url, "mrezha-projector")
                except Exception as error:
                    log.warning("cannot project yet (%s); retrying", error)
                    await sleep_or_stop(stop, 1.0)
                    continue
                try:
                    js = nc.jetstream(timeout=5)
                    await ensure_stream(js, self.replicas)
                    subscription, start_seq = await self._subscribe(js)
                    await self._consume(subscription, start_seq, stop)
                except PositionMoved as moved:
                    log.info("%s; resuming from there", moved)
                except Exception as error:
                    log.warning("projecting interrupted (%s); resuming", error)
                    await sleep_or_stop(stop, 0.5)
                finally:
                    await close_quietly(nc)
        finally:
            await self.writer.stop()

    async def _subscribe(self, js: Any) -> tuple[Any, int]:
        done = await self.writer.call({"op": "start"})
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
                max_ack_pending=4 * self.batch_size,
                ack_wait=60,
            ),
        )
        log.info("projector resumes after notification %d (stream seq %d)", lowest, start_seq)
        return await js.pull_subscribe_bind(CONSUMER, stream=STREAM), start_seq

    async def _consume(self, subscription: Any, next_seq: int, stop: asyncio.Event) -> None:
        """Apply messages strictly in stream order; a gap (a message lost in a reconnection,
        waiting for redelivery behind later ones) makes it start over from the positions, and
        so does a position that moved under it (``mrezha rebuild``), checked when idle too.
        The next batch is fetched while the writer writes this one."""
        fetching = asyncio.ensure_future(self._fetch(subscription))
        writing: asyncio.Future[None] | None = None
        try:
            while not stop.is_set():
                messages = await fetching
                fetching = asyncio.ensure_future(self._fetch(subscription))
                if writing is not None:
                    await writing  # acknowledged before anything later is
                    writing = None
                if not messages:
                    await self.writer.call({"op": "check"})
                    continue
                in_order = []
                for message in messages:
                    seq = stream_sequence(message)
                    if seq > next_seq:
                        raise StreamGap(f"expected stream seq {next_seq}, got {seq}")
                    if seq == next_seq:
                        in_order.append([message.headers or {}, message.data])
                        next_seq += 1
                writing = asyncio.ensure_future(self._write(in_order, messages[-1]))
            if writing is not None:
                await writing
        finally:
            for task in (fetching, writing):
                if task is not None and not task.done():
                    task.cancel()
            await asyncio.gather(*(t for t in (fetching, writing) if t is not None), return_exceptions=True)

    async def _write(self, messages: list[list[Any]], last: Any) -> None:
        if messages:
            await self.writer.call({"op": "apply", "messages": messages})
        await last.ack()  # AckPolicy.ALL: the whole batch

    async def _fetch(self, subscription: Any) -> list[Any]:
        try:
            return await subscription.fetch(self.batch_size, timeout=1)
        except (NatsTimeout, asyncio.TimeoutError):
            return []


def stream_sequence(message: Any) -> int:
    """The message's stream sequence, read from its reply subject without building the
    whole metadata: ``$JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.…`` (9 tokens),
    or with a domain and account hash in front of the stream (12 tokens)."""
    tokens = message.reply.split(".")
    if len(tokens) == 9:
        return int(tokens[5])
    if len(tokens) >= 12:
        return int(tokens[7])
    return int(message.metadata.sequence.stream)


class WriterProcess:
    """The child process that writes the read models, and the one request at a time it answers."""

    def __init__(self, database_url: str, projections: tuple[str, ...]) -> None:
        self.database_url = database_url
        self.projections = projections
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        """Start the writer unless it is running; it makes the read models' tables first."""
        if self.process is not None and self.process.returncode is None:
            return
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "workers.projection_writer",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        )
        hello = {"database_url": self.database_url, "projections": list(self.projections)}
        if not (await self._exchange(hello)).get("ready"):
            raise WriterFailed("the writer did not start")

    async def call(self, request: dict[str, Any]) -> dict[str, int]:
        """The read models' positions after the request; ``PositionMoved`` when one was reset."""
        answer = await self._exchange(request)
        if "moved" in answer:
            raise PositionMoved(answer["moved"])
        if "error" in answer:
            raise WriterFailed(answer["error"])
        return dict(answer["positions"])

    async def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.returncode is not None:
            return
        assert process.stdin is not None
        process.stdin.close()  # the writer finishes what it holds and leaves
        try:
            await asyncio.wait_for(process.wait(), timeout=10)
        except asyncio.TimeoutError:
            process.kill()
            await process.wait()

    async def _exchange(self, message: Any) -> dict[str, Any]:
        process = self._running()
        assert process.stdin is not None and process.stdout is not None
        try:
            process.stdin.write(encode_frame(message))
            await process.stdin.drain()
            (size,) = HEADER.unpack(await process.stdout.readexactly(HEADER.size))
            answer: dict[str, Any] = msgspec.msgpack.decode(await process.stdout.readexactly(size))
            return answer
        except (asyncio.IncompleteReadError, ConnectionError) as error:
            self.process = None
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
            raise WriterFailed(f"the writer stopped ({type(error).__name__})") from None

    def _running(self) -> asyncio.subprocess.Process:
        if self.process is None or self.process.returncode is not None:
            raise WriterFailed("the writer is not running")
        return self.process


class WriterFailed(Exception):
    """The writer process failed a request or is gone; the projector starts over."""


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
