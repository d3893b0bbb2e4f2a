"""Reading the MREZHA stream back, as a subscriber would, to check what is on it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import nats

from infra.contract import STREAM


@dataclass(frozen=True)
class StreamMessage:
    seq: int
    subject: str
    headers: dict[str, str]
    data: bytes


async def _read_all(url: str) -> list[StreamMessage]:
    nc = await nats.connect(url)
    try:
        js = nc.jetstream()
        try:
            info = await js.stream_info(STREAM)
        except nats.js.errors.NotFoundError:
            return []
        messages = []
        for seq in range(info.state.first_seq, info.state.last_seq + 1):
            raw = await js.get_msg(STREAM, seq=seq)
            messages.append(StreamMessage(seq, raw.subject, dict(raw.headers or {}), raw.data or b""))
        return messages
    finally:
        await nc.close()


def stream_messages(url: str) -> list[StreamMessage]:
    return asyncio.run(_read_all(url))
