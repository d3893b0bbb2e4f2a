"""The audit's signed checkpoints on the public stream: subject ``mrezha.audit.checkpoint``.

The relay's process (``workers.auditor``) publishes every checkpoint of the event log's Merkle
tree on the ``MREZHA`` stream, which captures ``mrezha.>``: so every subscriber that reads the
stream also sees, and may keep, the checkpoints (the outside witnesses). A checkpoint message is
no event: it has no ``ce-id`` (the relay's resume steps over it, ``infra.bus.last_published_id``),
its ``Nats-Msg-Id`` is ``checkpoint.<tree size>`` (a checkpoint published twice is dropped) and
its body is JSON: the tree size, the root hash and the C2SP signed note itself, which alone is
authoritative (check it with the key at ``/audit/key``).
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from contract.envelope import SUBJECT_PREFIX
from contract.headers import CONTENT_TYPE

CHECKPOINT_NAME = "audit.checkpoint"
CHECKPOINT_SUBJECT = f"{SUBJECT_PREFIX}.{CHECKPOINT_NAME}"
MSG_ID_PREFIX = "checkpoint."


class CheckpointBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A signed checkpoint of Mrezha's event log (RFC 9162 Merkle tree, C2SP tlog-checkpoint)."""

    origin: Annotated[str, msgspec.Meta(description="The log's origin line, `<public host>/mrezha`.")]
    tree_size: Annotated[int, msgspec.Meta(ge=1, description="How many stored events the tree holds.")]
    root_hash: Annotated[str, msgspec.Meta(
        pattern="^[0-9a-f]{64}$", description="The tree's root hash (SHA-256), hex.")]
    note: Annotated[str, msgspec.Meta(
        description="The checkpoint as a C2SP signed note: origin, size and base64 root lines, a blank "
        "line, then `— <name> base64(key id ‖ Ed25519 signature)`. Verify it with the key at /audit/key.")]


def checkpoint_headers(tree_size: int) -> dict[str, str]:
    return {"Nats-Msg-Id": f"{MSG_ID_PREFIX}{tree_size}", "content-type": CONTENT_TYPE}


def checkpoint_message(origin: str, tree_size: int, root: bytes, note: str) -> tuple[str, dict[str, str], bytes]:
    """(subject, headers, body) of one checkpoint on the public stream."""
    body = msgspec.json.encode(CheckpointBody(origin, tree_size, root.hex(), note))
    return CHECKPOINT_SUBJECT, checkpoint_headers(tree_size), body


def decode_checkpoint(body: bytes) -> CheckpointBody:
    return msgspec.json.decode(body, type=CheckpointBody)


def body_schema() -> dict[str, Any]:
    generated = msgspec.json.schema(CheckpointBody)
    own: dict[str, Any] = generated["$defs"][generated["$ref"].rsplit("/", 1)[-1]]
    return {"title": "bg.mrezha.audit.checkpoint", **{k: v for k, v in own.items() if k != "title"}}


def headers_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "Nats-Msg-Id": {"type": "string", "pattern": r"^checkpoint\.[1-9][0-9]*$",
                            "description": "checkpoint.<tree size>: a checkpoint published again is dropped."},
            "content-type": {"const": CONTENT_TYPE, "description": "The body is JSON."},
        },
        "required": ["Nats-Msg-Id", "content-type"],
        "additionalProperties": False,
    }


EXAMPLE_NOTE = ("mrezha.example.org/mrezha\n42\nQ1nqA0QlJ1BIR9oWR7sU6X+NTbfSSvvQKtTJmVKcC0A=\n\n"
                "\u2014 mrezha.example.org/mrezha GGe1LYXtDYnrIhgfhEOnO9nKZZHcfp7pW+2uAY2TFQDlRrBVSJgFqHl/Etlt4lzE"
                "gHE9R7dBoJxW5DfgVCVR8Cn7Rws=\n")


def example() -> dict[str, Any]:
    return {"headers": checkpoint_headers(42), "payload": {
        "origin": "mrezha.example.org/mrezha", "tree_size": 42,
        "root_hash": "ab59ea03442527504847da1647bb14e97f8d4db7d24afbd02ad4c999529c0b40", "note": EXAMPLE_NOTE}}
