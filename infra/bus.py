"""The NATS JetStream bus: connecting, and the ``MREZHA`` stream's configuration."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import Any

import nats
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from contract.envelope import DUPLICATE_WINDOW_SECONDS, STREAM, SUBJECT_PREFIX

log = logging.getLogger("mrezha.bus")


async def _log_error(error: Exception) -> None:
    log.warning("bus: %s", error or type(error).__name__)


async def connect(url: str, name: str, **options: Any) -> nats.NATS:
    """Connect, retrying for ever in the background once connected (the bus may come and go)."""
    options.setdefault("error_cb", _log_error)
    return await nats.connect(
        servers=url.split(","),
        name=name,
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.5,
        connect_timeout=2,
        allow_reconnect=True,
        **options,
    )


def stream_config(replicas: int = 1) -> StreamConfig:
    return StreamConfig(
        name=STREAM,
        subjects=[f"{SUBJECT_PREFIX}.>"],
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        discard=DiscardPolicy.OLD,
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
        num_replicas=replicas,
        description="Mrezha domain events, one message per stored event, in notification order",
    )


async def ensure_stream(js: Any, replicas: int = 1) -> None:
    """Create the stream, or bring an existing one to the configured number of copies (a
    network that grows from one server to a cluster raises MREZHA_STREAM_REPLICAS)."""
    try:
        info = await js.stream_info(STREAM)
    except NotFoundError:
        await js.add_stream(stream_config(replicas))
        return
    if info.config.num_replicas != replicas:
        log.info("stream %s: %s copies -> %s", STREAM, info.config.num_replicas, replicas)
        await js.update_stream(replace(info.config, num_replicas=replicas))


HEALTH_STREAM = "MREZHA_HEALTH"
HEALTH_SUBJECT = "_MREZHA.health"


async def ensure_health_stream(js: Any) -> None:
    """A one-message stream, stored on disk like the events', that the monitor writes to so that
    "the bus is up" means "the bus takes writes"."""
    try:
        await js.stream_info(HEALTH_STREAM)
    except NotFoundError:
        await js.add_stream(
            StreamConfig(
                name=HEALTH_STREAM, subjects=[HEALTH_SUBJECT], storage=StorageType.FILE, max_msgs=1,
                discard=DiscardPolicy.OLD, description="Mrezha's health writes: one message, overwritten",
            )
        )


async def takes_writes(js: Any) -> bool:
    """Whether JetStream takes a write now: one small message to the health stream, file-stored
    like the events' (a full disk refuses it, and keeps refusing until the server restarts)."""
    try:
        await ensure_health_stream(js)
        await js.publish(HEALTH_SUBJECT, b"", timeout=2)
        return True
    except Exception as error:
        log.warning("the bus does not take writes: %s", error or type(error).__name__)
        return False


async def newest_published(url: str) -> int | None:
    """The notification id of the stream's newest message, over a connection of its own (for the
    supervisor, which has none); None when the bus does not answer."""
    try:
        nc = await nats.connect(servers=url.split(","), connect_timeout=2, max_reconnect_attempts=0,
                                allow_reconnect=False, error_cb=_quiet)
    except Exception:
        return None
    try:
        return await last_published_id(nc.jetstream(timeout=2))
    except Exception:
        return None
    finally:
        await nc.close()


class StallWatch:
    """Whether the stream has stopped taking the store's events: the store is ahead of the stream's
    newest message, and that message has not changed for ``after_seconds``. A full disk does this
    (and a nats-server keeps refusing writes after the disk is freed, until it restarts)."""

    def __init__(self, after_seconds: float = 15.0) -> None:
        self.after_seconds = after_seconds
        self._published: int | None = None
        self._since = 0.0

    def stalled(self, stored: int, published: int, now: float) -> bool:
        if published != self._published or stored <= published:
            self._published, self._since = published, now
            return False
        return now - self._since >= self.after_seconds


async def _quiet(error: Exception) -> None:
    return None


class StreamEmptied(Exception):
    """The stream lost its newest messages (purged): what was published is no longer known from it."""


async def last_published_id(js: Any) -> int:
    """The notification id of the newest message on the stream, 0 when it never had one; raises
    ``StreamEmptied`` when it had some and they are gone."""
    info = await js.stream_info(STREAM)
    last_seq = info.state.last_seq
    if not last_seq:
        return 0
    if info.state.messages != last_seq or info.state.first_seq > 1:  # the relay's stream keeps every message
        raise StreamEmptied(
            f"stream {STREAM} holds {info.state.messages} of its {last_seq} messages (purged)"
        )
    try:
        message = await js.get_msg(STREAM, seq=last_seq)
    except NotFoundError:
        raise StreamEmptied(f"the newest message of stream {STREAM} (sequence {last_seq}) was removed") from None
    return int((message.headers or {})["Nats-Msg-Id"])


async def remake_stream(js: Any, replicas: int = 1) -> None:
    """Delete the stream and make it anew, empty, to be filled again from the store. A purge keeps
    the stream's memory of message ids for the duplicate window, which would drop the events
    published again as duplicates; a new stream has none. Durable consumers go with it: the
    projector makes its own again, and subscribers resume by ``Nats-Msg-Id``."""
    try:
        await js.delete_stream(STREAM)
    except NotFoundError:
        pass
    await js.add_stream(stream_config(replicas))


async def wait_until_reachable(url: str, timeout: float) -> bool:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            nc = await nats.connect(servers=url.split(","), connect_timeout=1, max_reconnect_attempts=0, allow_reconnect=False)
        except Exception:
            if asyncio.get_running_loop().time() > deadline:
                return False
            await asyncio.sleep(0.1)
            continue
        await nc.close()
        return True
