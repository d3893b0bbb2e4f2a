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
import fcntl
import logging
import sys
from collections import deque
from typing import Any

import msgspec
from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from infra.bus import connect, ensure_stream
from contract.envelope import STREAM, SUBJECT_PREFIX
from contract.headers import Headers
from projections.base import PositionMoved, Projection
from workers.loops import close_quietly, sleep_or_stop
from workers.projection_writer import HEADER, encode_frame

log = logging.getLogger("mrezha.projector")
CONSUMER = "projector"
FETCH_CHUNK = 1000  # messages a fetch asks for; the writer gets up to a batch of them at once


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

        Fetching never waits for writing: messages are fetched in chunks into a queue (up to
        two batches ahead). A free writer gets everything queued so far, up to a batch, so a
        lone event is written as soon as it is fetched; a busy one gets its next full batch
        before it answers, so in a backlog it never waits. Batches are acknowledged in order,
        each once the writer has answered it."""
        queued: list[tuple[list[Any] | None, Any]] = []  # (what the writer needs, or None if seen; message)
        fetching: asyncio.Future[list[Any]] | None = asyncio.ensure_future(self._fetch(subscription, FETCH_CHUNK))
        shipped: deque[tuple[asyncio.Future[dict[str, Any]], Any]] = deque()  # (answer, last message)
        stopping = asyncio.ensure_future(stop.wait())
        try:
            while not stop.is_set() or shipped:
                waiting = [task for task in (fetching, shipped[0][0] if shipped else None) if task is not None]
                if not stop.is_set():
                    waiting.append(stopping)  # stop at once, not after the fetch's timeout
                await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
                while shipped and shipped[0][0].done():
                    answer, last = shipped.popleft()
                    positions_in(answer.result())  # PositionMoved or WriterFailed: start over
                    await last.ack()  # AckPolicy.ALL: the whole batch, and all before it
                if fetching is not None and fetching.done():
                    messages = fetching.result()
                    fetching = None
                    for message in messages:
                        seq = stream_sequence(message)
                        if seq > next_seq:
                            raise StreamGap(f"expected stream seq {next_seq}, got {seq}")
                        queued.append((wire(message) if seq == next_seq else None, message))
                        next_seq = max(next_seq, seq + 1)
                    if not messages and not queued and not shipped:
                        await self.writer.call({"op": "check"})  # idle: was a read model reset?
                while queued and not stop.is_set() and (
                    not shipped or (len(shipped) == 1 and len(queued) >= self.batch_size)
                ):
                    batch, queued = queued[: self.batch_size], queued[self.batch_size :]
                    request = {"op": "apply", "messages": [w for w, _ in batch if w is not None]}
                    shipped.append((self.writer.submit(request), batch[-1][1]))
                    await self.writer.drain()
                if fetching is None and len(queued) < 2 * self.batch_size and not stop.is_set():
                    fetching = asyncio.ensure_future(self._fetch(subscription, FETCH_CHUNK))
        finally:
            for task in (fetching, stopping):
                if task is not None:
                    task.cancel()
            await asyncio.gather(*(t for t in (fetching, stopping) if t is not None), return_exceptions=True)

    async def _fetch(self, subscription: Any, size: int) -> list[Any]:
        try:
            return await subscription.fetch(size, timeout=1)
        except (NatsTimeout, asyncio.TimeoutError):
            return []


def wire(message: Any) -> list[Any]:
    """What the writer needs of a message: its id, type, who acted, and the body."""
    headers = Headers.read(message.headers or {})
    return [headers.notification_id, headers.type, headers.actor, headers.actorcentre, message.data]


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
    """The child process that writes the read models. Requests may be sent before earlier
    ones are answered; the writer answers them one by one, in the order they were sent."""

    def __init__(self, database_url: str, projections: tuple[str, ...]) -> None:
        self.database_url = database_url
        self.projections = projections
        self.process: asyncio.subprocess.Process | None = None
        self._answers: deque[asyncio.Future[dict[str, Any]]] = deque()
        self._reader: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start the writer unless it is running; it makes the read models' tables first."""
        if self.process is not None and self.process.returncode is None:
            return
        await self.stop()
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "workers.projection_writer",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        )
        _widen(self.process.stdin)
        self._reader = asyncio.ensure_future(self._read_answers(self.process))
        hello = {"database_url": self.database_url, "projections": list(self.projections)}
        answer = await self.submit(hello)
        if not answer.get("ready"):
            raise WriterFailed("the writer did not start")

    def submit(self, request: dict[str, Any]) -> asyncio.Future[dict[str, Any]]:
        """Send a request; the future holds its answer. ``drain`` before sending much more."""
        process = self._running()
        assert process.stdin is not None
        answer: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        answer.add_done_callback(_consumed)  # an abandoned answer (the projector started over) is no error
        self._answers.append(answer)
        process.stdin.write(encode_frame(request))
        return answer

    async def drain(self) -> None:
        process = self._running()
        assert process.stdin is not None
        try:
            await process.stdin.drain()
        except ConnectionError as error:
            raise WriterFailed(f"the writer stopped ({type(error).__name__})") from None

    async def call(self, request: dict[str, Any]) -> dict[str, int]:
        """The read models' positions after the request; ``PositionMoved`` when one was reset."""
        answer = self.submit(request)
        await self.drain()
        return positions_in(await answer)

    async def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.returncode is None:
            assert process.stdin is not None
            process.stdin.close()  # the writer finishes what it holds and leaves
            try:
                await asyncio.wait_for(process.wait(), timeout=10)
            except asyncio.TimeoutError:
                process.kill()
                await process.wait()
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)
            self._reader = None
        self._fail_waiting("the writer stopped")

    async def _read_answers(self, process: asyncio.subprocess.Process) -> None:
        assert process.stdout is not None
        try:
            while True:
                (size,) = HEADER.unpack(await process.stdout.readexactly(HEADER.size))
                answer = msgspec.msgpack.decode(await process.stdout.readexactly(size))
                if self._answers:
                    self._answers.popleft().set_result(answer)
        except (asyncio.IncompleteReadError, ConnectionError) as error:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
            self._fail_waiting(f"the writer stopped ({type(error).__name__})")

    def _fail_waiting(self, why: str) -> None:
        while self._answers:
            answer = self._answers.popleft()
            if not answer.done():
                answer.set_exception(WriterFailed(why))

    def _running(self) -> asyncio.subprocess.Process:
        if self.process is None or self.process.returncode is not None:
            raise WriterFailed("the writer is not running")
        return self.process


def positions_in(answer: dict[str, Any]) -> dict[str, int]:
    """The read models' positions in the writer's answer; its refusal as an exception."""
    if "moved" in answer:
        raise PositionMoved(answer["moved"])
    if "error" in answer:
        raise WriterFailed(answer["error"])
    return dict(answer["positions"])


def _widen(stdin: Any) -> None:
    """A batch is megabytes; with the pipe at its widest (1 MiB on Linux, not 64 KiB), the writer
    reads it in a few gulps instead of waiting on this process's event loop for every 64 KiB."""
    pipe = stdin.transport.get_extra_info("pipe") if stdin is not None else None
    if pipe is not None and hasattr(fcntl, "F_SETPIPE_SZ"):
        with contextlib.suppress(OSError):
            fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)


def _consumed(answer: asyncio.Future[Any]) -> None:
    if not answer.cancelled():
        answer.exception()


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
