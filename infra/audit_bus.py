"""Checkpoints on the bus: ``mrezha.audit.checkpoint``, on the public stream ``MREZHA``.

The public stream captures ``mrezha.>`` and the relay's user may publish there, so the
checkpoints go on it (``contract.checkpoint``): every subscriber reading the stream sees them and
may keep the last one, an outside witness. They are no events: without ``ce-id`` the relay's
resume steps over them (``infra.bus.last_published_id``), and ``Nats-Msg-Id`` =
``checkpoint.<size>`` makes a second publication of the same checkpoint a duplicate.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from audit import note
from contract.checkpoint import CHECKPOINT_SUBJECT, checkpoint_message, decode_checkpoint
from contract.envelope import STREAM

log = logging.getLogger("mrezha.audit")

FETCH = 500


async def publish_checkpoint(js: Any, signed: str) -> int:
    """Publish one signed checkpoint on the public stream; its tree size."""
    cp = note.parse_body(signed)
    subject, headers, body = checkpoint_message(cp.origin, cp.size, cp.root, signed)
    await js.publish(subject, body, headers=headers, stream=STREAM)
    return cp.size


async def last_published_size(js: Any) -> int:
    """The tree size of the newest checkpoint on the bus (0 when it has none)."""
    try:
        message = await js.get_last_msg(STREAM, CHECKPOINT_SUBJECT)
    except NotFoundError:
        return 0
    return decode_checkpoint(message.data).tree_size


async def read_subject(js: Any, stream: str, subject: str) -> list[Any]:
    """Every message of a stream on a subject (a wildcard too), in stream order, through an
    ephemeral consumer of one's own (what a subscriber may make)."""
    try:
        info = await js.stream_info(stream)
    except NotFoundError:
        return []
    if not info.state.messages:
        return []
    config = ConsumerConfig(deliver_policy=DeliverPolicy.ALL, ack_policy=AckPolicy.NONE,
                            filter_subject=subject, inactive_threshold=30.0)
    subscription = await js.pull_subscribe(subject, stream=stream, config=config)
    found: list[Any] = []
    try:
        while True:
            try:
                messages = await subscription.fetch(FETCH, timeout=2)
            except (NatsTimeout, asyncio.TimeoutError):
                break
            found += messages
            if not messages or messages[-1].metadata.num_pending == 0:
                break
    finally:
        await subscription.unsubscribe()
    return found


async def published_checkpoints(js: Any) -> list[str]:
    """Every checkpoint the bus keeps, as signed notes (the outside witness `mrezha audit verify` checks)."""
    return [decode_checkpoint(m.data).note for m in await read_subject(js, STREAM, CHECKPOINT_SUBJECT)]


async def published_ids(js: Any, stream: str | None = None) -> list[int]:
    """The notification id (``ce-id``) of every event on a stream (the internal one unless named), in
    stream order; messages that are no events (the checkpoints) are left out."""
    from contract.envelope import INTERNAL_PREFIX, INTERNAL_STREAM, SUBJECT_PREFIX

    stream = stream or INTERNAL_STREAM
    subject = f"{INTERNAL_PREFIX}.>" if stream == INTERNAL_STREAM else f"{SUBJECT_PREFIX}.>"
    return [int(m.headers["ce-id"]) for m in await read_subject(js, stream, subject)
            if m.headers and "ce-id" in m.headers]


def stream_differences(stored: list[int], published: list[int]) -> list[str]:
    """Every way the stream departs from the store: each stored event published once, in order."""
    differences = []
    seen: set[int] = set()
    previous = 0
    for nid in published:
        if nid in seen:
            differences.append(f"notification {nid} published more than once")
        elif nid < previous:
            differences.append(f"notification {nid} published after {previous} (out of order)")
        seen.add(nid)
        previous = max(previous, nid)
    stored_set = set(stored)
    differences += [f"notification {nid} stored but not published" for nid in stored if nid not in seen]
    differences += [f"notification {nid} published but not stored" for nid in sorted(seen - stored_set)]
    return differences


def public_ids(recorder: Any, upto: int | None = None) -> list[int]:
    """The stored events the public stream should carry (accounts and other internal ones stay off)."""
    from eventsourcing.utils import resolve_topic

    from contract.envelope import is_public
    from domain.registry import PUBLIC_NAMES

    found, start = [], 1
    while True:
        batch = recorder.select_notifications(start, 5000, upto)
        if not batch:
            return found
        for n in batch:
            name = PUBLIC_NAMES.get(resolve_topic(n.topic))
            if name is not None and is_public(name):
                found.append(n.id)
        start = batch[-1].id + 1


def both_streams_differences(stored: list[int], public: list[int], internal_on_bus: list[int],
                             public_on_bus: list[int]) -> list[str]:
    """The internal stream against every stored event, the public one against the public events; the
    events stored after the last one published are the relay's lag, not a difference."""
    differences = []
    for name, expected, found in (("internal", stored, internal_on_bus), ("public", public, public_on_bus)):
        last = max(found, default=0)
        differences += [f"{name} stream: {d}" for d in stream_differences([i for i in expected if i <= last], found)]
    return differences
