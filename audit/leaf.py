"""The canonical leaf bytes of one stored event (documented in the README, section "Audit").

    b"mrezha-event-v1\\x00"
    position      8 bytes, big-endian (the notification id)
    aggregate id  2-byte big-endian length, then the id as text (UTF-8)
    version       8 bytes, big-endian
    topic         2-byte big-endian length, then UTF-8
    state         4-byte big-endian length, then the stored bytes as they are
"""

from __future__ import annotations

import struct

MAGIC = b"mrezha-event-v1\x00"


def leaf_bytes(position: int, aggregate_id: object, version: int, topic: str, state: bytes) -> bytes:
    aid = str(aggregate_id).encode()
    name = topic.encode()
    return b"".join((
        MAGIC,
        struct.pack(">Q", position),
        struct.pack(">H", len(aid)), aid,
        struct.pack(">Q", version),
        struct.pack(">H", len(name)), name,
        struct.pack(">I", len(state)), bytes(state),
    ))
