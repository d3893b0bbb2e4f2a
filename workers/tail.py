"""``mrezha tail``: follow the ``MREZHA`` stream as a subscriber would, one JSON line per event.

From now (the default), from a stream sequence, or from the first message, filtered
by subject. Each line is ``{"seq", "subject", "headers", "body"}``, the body being
the event's JSON as published; with ``cloudevents`` each line is the event as a
structured-mode CloudEvent instead. Without ``--durable`` the tail keeps its place in
memory and, after a bus outage, starts a new consumer after the last line it
printed. With ``--durable NAME`` the place is kept by JetStream: each message is
acknowledged once its line is written, so a second run resumes after it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from dataclasses import dataclass
from typing import Any, BinaryIO

import msgspec
from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from infra.bus import connect
from contract.envelope import STREAM, structured
from workers.loops import close_quietly, sleep_or_stop

BATCH = 256
ACK_WAIT_SECONDS = 10.0


@dataclass(frozen=True)
class Start:
    """Where a new tail begins: ``now`` (after the stream's last message), ``first``, or ``seq``."""

    where: str
    seq: int = 0

    @classmethod
    def now(cls) -> Start:
        return cls("now")

    @classmethod
    def first(cls) -> Start:
        return cls("first")

    @classmethod
    def at(cls, seq: int) -> Start:
        return cls("seq", seq)


class Line(msgspec.Struct):
    seq: int
    subject: str
    headers: dict[str, str]
    body: msgspec.Raw


class Tail:
    def __init__(
        self, url: str, start: Start, *, subject: str, durable: str | None, count: int | None, out: BinaryIO,
        cloudevents: bool = False,
    ) -> None:
        self.cloudevents = cloudevents
        self.url, self.start, self.subject, self.durable, self.count, self.out = (
            url, start, subject, durable, count, out
        )
        self.printed = 0
        self.next_seq: int | None = None  # without a durable consumer: the next stream sequence wanted
        self._encoder = msgspec.json.Encoder()

    def done(self) -> bool:
        return self.count is not None and self.printed >= self.count

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set() and not self.done():
            try:
                nc = await connect(self.url, "mrezha-tail")
            except Exception as error:
                _say(f"bus unreachable ({error or type(error).__name__}); retrying")
                await sleep_or_stop(stop, 1.0)
                continue
            try:
                js = nc.jetstream(timeout=5)
                subscription = await (self._durable(js) if self.durable else self._ephemeral(js))
                await self._follow(subscription, stop)
                await nc.flush(timeout=5)  # the last acknowledgements
            except BrokenPipeError:
                raise
            except Exception as error:
                _say(f"interrupted ({error or type(error).__name__}); resuming")
                await sleep_or_stop(stop, 0.5)
            finally:
                await close_quietly(nc)

    async def _ephemeral(self, js: Any) -> Any:
        if self.next_seq is None:
            info = await js.stream_info(STREAM)
            self.next_seq = {"first": info.state.first_seq or 1, "seq": self.start.seq}.get(
                self.start.where, info.state.last_seq + 1
            )
        config = ConsumerConfig(
            deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
            opt_start_seq=self.next_seq,
            ack_policy=AckPolicy.NONE,
            filter_subject=self.subject,
            inactive_threshold=30.0,
            mem_storage=True,
        )
        subscription = await js.pull_subscribe(self.subject, stream=STREAM, config=config)
        _say(f"following {STREAM} {self.subject} from stream seq {self.next_seq}")
        return subscription

    async def _durable(self, js: Any) -> Any:
        assert self.durable is not None
        try:
            info = await js.consumer_info(STREAM, self.durable)
        except NotFoundError:
            policy = {"first": DeliverPolicy.ALL, "seq": DeliverPolicy.BY_START_SEQUENCE}.get(
                self.start.where, DeliverPolicy.NEW
            )
            config = ConsumerConfig(
                durable_name=self.durable,
                deliver_policy=policy,
                opt_start_seq=self.start.seq if self.start.where == "seq" else None,
                ack_policy=AckPolicy.EXPLICIT,
                ack_wait=ACK_WAIT_SECONDS,
                max_ack_pending=BATCH * 4,
                filter_subject=self.subject,
            )
            await js.add_consumer(STREAM, config)
            _say(f"following {STREAM} {self.subject} as new durable consumer {self.durable!r}")
        else:
            if info.config.filter_subject != self.subject:
                raise SystemExit(f"mrezha tail: durable {self.durable!r} follows {info.config.filter_subject}, "
                                 f"not {self.subject}; choose another name")
            _say(f"resuming durable consumer {self.durable!r} ({info.num_pending} waiting)")
        return await js.pull_subscribe_bind(self.durable, stream=STREAM)

    async def _follow(self, subscription: Any, stop: asyncio.Event) -> None:
        while not stop.is_set() and not self.done():
            wanted = BATCH if self.count is None else min(BATCH, self.count - self.printed)
            try:
                messages = await subscription.fetch(wanted, timeout=1)
            except (NatsTimeout, asyncio.TimeoutError):
                continue
            lines = []
            for message in messages:
                seq = message.metadata.sequence.stream
                if self.next_seq is not None and seq < self.next_seq:
                    continue  # already printed before a reconnection
                if self.cloudevents:
                    lines.append(structured(dict(message.headers or {}), message.data))
                else:
                    lines.append(self._encoder.encode(
                        Line(seq, message.subject, dict(message.headers or {}), msgspec.Raw(message.data or b"null"))
                    ))
                if self.next_seq is not None:
                    self.next_seq = seq + 1
            self.out.write(b"\n".join(lines) + b"\n" if lines else b"")
            self.out.flush()
            self.printed += len(lines)
            if self.durable:
                for message in messages:
                    await message.ack()


def _say(text: str) -> None:
    print(f"mrezha tail: {text}", file=sys.stderr, flush=True)


def run_tail(
    url: str, start: Start, *, subject: str, durable: str | None, count: int | None, cloudevents: bool = False
) -> int:
    """The ``mrezha tail`` process: until Ctrl-C, or until ``count`` events were printed."""
    logging.basicConfig(level=logging.ERROR, format="%(name)s: %(message)s")
    tail = Tail(url, start, subject=subject, durable=durable, count=count, out=sys.stdout.buffer,
                cloudevents=cloudevents)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await tail.run(stop)

    try:
        asyncio.run(main())
    except BrokenPipeError:  # `mrezha tail | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
