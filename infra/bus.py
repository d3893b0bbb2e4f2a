"""The NATS JetStream bus: connecting, and the ``MREZHA`` stream's configuration."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import Any

import nats
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

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


async def require_stream(js: Any, name: str = INTERNAL_STREAM) -> None:
    """Fails (NotFoundError) until the relay has made the stream: a reader may not make it."""
    await js.stream_info(name)


async def last_published_id(js: Any, stream: str = INTERNAL_STREAM) -> int:
    """The notification id of the newest event on a stream, 0 when it holds none. Messages that
    are no events (no ``ce-id``: the audit's checkpoints on the public stream) are stepped over."""
    info = await js.stream_info(stream)
    if not info.state.last_seq or not info.state.messages:  # empty, or purged (its last_seq stays)
        return 0
    for seq in range(info.state.last_seq, info.state.first_seq - 1, -1):
        try:
            headers = (await js.get_msg(stream, seq=seq)).headers or {}
        except NotFoundError:  # deleted on its own
            continue
        if "ce-id" in headers:
            return int(headers["ce-id"])
    return 0


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
