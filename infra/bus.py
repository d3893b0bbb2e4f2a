"""The NATS JetStream bus: connecting, and the ``MREZHA`` stream's configuration."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import Any

import nats
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NoStreamResponseError, NotFoundError

from infra.wakeups import HEALTH_STREAM, HEALTH_SUBJECT
from contract.envelope import DUPLICATE_WINDOW_SECONDS, INTERNAL_PREFIX, INTERNAL_STREAM, STREAM, SUBJECT_PREFIX

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


DESCRIPTIONS = {
    STREAM: "Mrezha's public events: the network's facts, one message per stored event, in notification order",
    INTERNAL_STREAM: "Every stored Mrezha event with who recorded it, in notification order: for the projector",
}
SUBJECTS = {STREAM: f"{SUBJECT_PREFIX}.>", INTERNAL_STREAM: f"{INTERNAL_PREFIX}.>"}


def stream_config(replicas: int = 1, name: str = STREAM) -> StreamConfig:
    return StreamConfig(
        name=name,
        subjects=[SUBJECTS[name]],
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        discard=DiscardPolicy.OLD,
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
        num_replicas=replicas,
        description=DESCRIPTIONS[name],
    )


async def ensure_stream(js: Any, replicas: int = 1) -> None:
    """Create both streams, or bring existing ones to the configured number of copies (a
    network that grows from one server to a cluster raises MREZHA_STREAM_REPLICAS)."""
    for name in (INTERNAL_STREAM, STREAM):
        try:
            info = await js.stream_info(name)
        except NotFoundError:
            await js.add_stream(stream_config(replicas, name))
            continue
        if info.config.num_replicas != replicas:
            log.info("stream %s: %s copies -> %s", name, info.config.num_replicas, replicas)
            await js.update_stream(replace(info.config, num_replicas=replicas))




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
        try:
            await js.publish(HEALTH_SUBJECT, b"", timeout=2)
        except NoStreamResponseError:  # made once, on the first write (or again, if it was deleted)
            await ensure_health_stream(js)
            await js.publish(HEALTH_SUBJECT, b"", timeout=2)
        return True
    except Exception as error:
        log.warning("the bus does not take writes: %s", error or type(error).__name__)
        return False


async def newest_published(url: str, inbox_prefix: str = "_INBOX") -> int | None:
    """The notification id of the internal stream's newest message, over a connection of its own
    (for the supervisor, which has none); None when the bus does not answer."""
    try:
        nc = await nats.connect(servers=url.split(","), connect_timeout=2, max_reconnect_attempts=0,
                                allow_reconnect=False, error_cb=_quiet, inbox_prefix=inbox_prefix)
    except Exception:
        return None
    try:
        return await last_published_id(nc.jetstream(timeout=2))
    except Exception:  # not answering, or emptied: the relay deals with that
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


async def require_stream(js: Any, name: str = INTERNAL_STREAM) -> None:
    """Fails (NotFoundError) until the relay has made the stream: a reader may not make it."""
    await js.stream_info(name)


async def last_published_id(js: Any, stream: str = INTERNAL_STREAM) -> int:
    """The notification id of the newest event on a stream, 0 when it never held one. Messages that
    are no events (no ``ce-id``: the audit's checkpoints on the public stream) are stepped over.
    Raises ``StreamEmptied`` when the stream lost messages (purged): the relay's streams keep every
    message they took, so its messages always number its last sequence."""
    info = await stream_whole(js, stream)
    last_seq = info.state.last_seq
    if not last_seq:
        return 0
    for seq in range(last_seq, info.state.first_seq - 1, -1):
        try:
            headers = (await js.get_msg(stream, seq=seq)).headers or {}
        except NotFoundError:
            raise StreamEmptied(f"message {seq} of stream {stream} was removed") from None
        if "ce-id" in headers:
            return int(headers["ce-id"])
    return 0


async def stream_whole(js: Any, stream: str = INTERNAL_STREAM) -> Any:
    """The stream's info, in one request; ``StreamEmptied`` when it lost messages (purged), as
    ``last_published_id`` says, without reading its newest message (the relay's check when idle)."""
    info = await js.stream_info(stream)
    last_seq = info.state.last_seq
    if last_seq and (info.state.messages != last_seq or info.state.first_seq > 1):
        raise StreamEmptied(f"stream {stream} holds {info.state.messages} of its {last_seq} messages (purged)")
    return info


async def remake_stream(js: Any, replicas: int = 1, name: str = INTERNAL_STREAM) -> None:
    """Delete the stream and make it anew, empty, to be filled again from the store. A purge keeps
    the stream's memory of message ids for the duplicate window, which would drop the events
    published again as duplicates; a new stream has none. Durable consumers go with it: the
    projector makes its own again, and subscribers resume by ``Nats-Msg-Id``."""
    try:
        await js.delete_stream(name)
    except NotFoundError:
        pass
    await js.add_stream(stream_config(replicas, name))


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
