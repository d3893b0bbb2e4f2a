"""Checkpoints on the bus: ``mrezha.audit.checkpoint``, kept by the ``MREZHA_AUDIT`` stream.

Kept small on purpose: the stream's subjects and the bus's authentication change elsewhere.
While the ``MREZHA`` stream itself captures ``mrezha.>``, a checkpoint published there would be
the stream's last message without a ``Nats-Msg-Id`` (the relay resumes from it) and a message
the projector does not know: then nothing is published and the checkpoints stay in the store.
"""

from __future__ import annotations

import logging
from typing import Any

from nats.js.api import StreamConfig
from nats.js.errors import NotFoundError

from contract.envelope import STREAM

log = logging.getLogger("mrezha.audit")

CHECKPOINT_SUBJECT = "mrezha.audit.checkpoint"
AUDIT_STREAM = "MREZHA_AUDIT"


async def checkpoint_stream_ready(js: Any) -> bool:
    """True when the checkpoints' own stream keeps the subject (made beside the event stream when
    missing, and only when the event stream leaves the subject free)."""
    try:
        return bool(await js.find_stream_name_by_subject(CHECKPOINT_SUBJECT) == AUDIT_STREAM)
    except NotFoundError:
        pass
    try:  # only beside the event stream, once it exists: made first, it would keep the relay's out
        await js.stream_info(STREAM)
    except NotFoundError:
        return False
    try:
        await js.add_stream(StreamConfig(name=AUDIT_STREAM, subjects=[CHECKPOINT_SUBJECT],
                                         description="Mrezha's signed checkpoints of the event log"))
    except Exception as error:  # the subject overlaps another stream's: publish nothing
        log.warning("checkpoints not published: %s", error)
        return False
    return True


async def publish_checkpoint(js: Any, note: str) -> bool:
    if not await checkpoint_stream_ready(js):
        return False
    await js.publish(CHECKPOINT_SUBJECT, note.encode())
    return True


async def published_checkpoints(js: Any) -> list[str]:
    """Every checkpoint the bus keeps (the outside witness `mrezha audit verify` also checks)."""
    try:
        info = await js.stream_info(AUDIT_STREAM)
    except NotFoundError:
        return []
    notes = []
    for seq in range(info.state.first_seq or 1, (info.state.last_seq or 0) + 1):
        try:
            notes.append((await js.get_msg(AUDIT_STREAM, seq=seq)).data.decode())
        except NotFoundError:
            continue
    return notes


async def published_ids(js: Any) -> list[int]:
    """The notification id (``Nats-Msg-Id``) of every message on the internal stream (every stored
    event's), in stream order."""
    from contract.envelope import INTERNAL_STREAM as STREAM

    try:
        info = await js.stream_info(STREAM)
    except NotFoundError:
        return []
    ids = []
    for seq in range(info.state.first_seq or 1, (info.state.last_seq or 0) + 1):
        try:
            message = await js.get_msg(STREAM, seq=seq)
        except NotFoundError:
            continue
        ids.append(int((message.headers or {}).get("Nats-Msg-Id", 0)))
    return ids


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
