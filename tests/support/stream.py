"""Reading the streams back to check what is on them: the internal one (``MREZHA_INTERNAL``,
every stored event) unless the public one (``MREZHA``, what subscribers read) is asked for."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from dataclasses import dataclass

import nats

from contract.envelope import INTERNAL_PREFIX, INTERNAL_STREAM, STREAM
from infra.nats_server import NatsServer

# A test server's address -> the same with its admin's credentials: the checks read the whole
# stream as the operator would, while the relay, the projector and subscribers have their own users.
_ADMIN_URLS: dict[str, str] = {}


def started_with_auth(server: NatsServer) -> NatsServer:
    """Remember how to inspect a server that lets in only its users (``infra.bus_auth``)."""
    _ADMIN_URLS[server.url] = server.url_as("admin")
    return server


def as_admin(url: str) -> str:
    return ",".join(_ADMIN_URLS.get(one, one) for one in url.split(","))

# What asking the bus raises while it is down, restarting or electing a leader: nats-py's own
# errors (no servers, no responders, timeouts, JetStream unavailable) and refused connections.
BUS_UNAVAILABLE = (nats.errors.Error, OSError)


def run_apart(coroutine: Any) -> Any:
    """Run a coroutine on its own loop in its own thread: the browser tests' Playwright keeps a
    loop running in the main thread for the whole session, where ``asyncio.run`` is refused."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def quiet(error: Exception) -> None:
    """A node of a cluster may be down on purpose: the connection tries the next one."""


@dataclass(frozen=True)
class StreamMessage:
    seq: int
    subject: str
    headers: dict[str, str]
    data: bytes


async def _read_all(url: str, stream: str = INTERNAL_STREAM) -> list[StreamMessage]:
    nc = await nats.connect(servers=as_admin(url).split(","), error_cb=quiet)
    try:
        js = nc.jetstream()
        try:
            info = await js.stream_info(stream)
        except nats.js.errors.NotFoundError:
            return []
        if not info.state.messages:
            return []
        messages = []
        for seq in range(info.state.first_seq, info.state.last_seq + 1):
            try:
                raw = await js.get_msg(stream, seq=seq)
            except nats.js.errors.NotFoundError:  # purged or made anew while read (the relay's recovery): again
                return await _read_all(url, stream)
            messages.append(StreamMessage(seq, raw.subject, dict(raw.headers or {}), raw.data or b""))
        return messages
    finally:
        await nc.close()


def stream_messages(url: str) -> list[StreamMessage]:
    """Every message of the internal stream: every stored event."""
    return run_apart(_read_all(url))


def public_stream_messages(url: str) -> list[StreamMessage]:
    """Every message of the public stream, as a subscriber receives them."""
    return run_apart(_read_all(url, STREAM))


async def _length(url: str) -> int:
    nc = await nats.connect(servers=as_admin(url).split(","), error_cb=quiet)
    try:
        try:
            info = await nc.jetstream().stream_info(INTERNAL_STREAM)
        except nats.js.errors.NotFoundError:
            return 0
        return int(info.state.messages)
    finally:
        await nc.close()


def stream_length(url: str) -> int:
    """How many messages the internal stream holds now (0 before it exists): one per stored event."""
    return run_apart(_length(url))


async def _fetch_all(url: str) -> list[StreamMessage]:
    """Every message, fetched in large batches by a short-lived consumer (a get per message is slow)."""
    from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

    nc = await nats.connect(servers=as_admin(url).split(","), error_cb=quiet)
    try:
        js = nc.jetstream(timeout=10)
        info = await js.stream_info(INTERNAL_STREAM)
        config = ConsumerConfig(deliver_policy=DeliverPolicy.ALL, ack_policy=AckPolicy.NONE,
                                inactive_threshold=30.0, mem_storage=True)
        subscription = await js.pull_subscribe(f"{INTERNAL_PREFIX}.>", stream=INTERNAL_STREAM, config=config)
        messages: list[StreamMessage] = []
        while len(messages) < info.state.messages:
            for raw in await subscription.fetch(1000, timeout=10):
                messages.append(StreamMessage(raw.metadata.sequence.stream, raw.subject,
                                              dict(raw.headers or {}), raw.data or b""))
        return messages
    finally:
        await nc.close()


def all_stream_messages(url: str) -> list[StreamMessage]:
    """The whole stream, in order, for checks over thousands of messages."""
    return run_apart(_fetch_all(url))


def public_ids(store: Any) -> list[int]:
    """The notification ids of the store's events that belong on the public stream (not accounts,
    not name claims), in order."""
    from contract.envelope import is_public
    from domain.registry import public_name

    notifications = store.recorder.select_notifications(1, 1_000_000)
    return [n.id for n in notifications if is_public(public_name(type(store.mapper.to_domain_event(n))))]


def public_events_stored(store: Any) -> int:
    """How many of the store's events belong on the public stream."""
    return len(public_ids(store))


def public_stream_length(url: str) -> int:
    return len(public_stream_messages(url))
