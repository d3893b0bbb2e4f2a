"""The public contract of the event stream: subjects, CloudEvents headers, JSON bodies.

One definition per event: the domain event class. Its body is the event as JSON
(msgspec), its schema is derived from the same class, and an older body is
brought up to date with the class's own ``upcast_vN_vN+1`` methods.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec

from domain.registry import EVENTS_BY_NAME, event_version, public_name
from infra.metadata import metadata_of

STREAM = "MREZHA"
SUBJECT_PREFIX = "mrezha"
SOURCE = "/mrezha"
TYPE_PREFIX = "bg.mrezha"
CONTENT_TYPE = "application/json"


class Envelope(msgspec.Struct, frozen=True):
    """One message as it goes on the stream."""

    subject: str
    headers: dict[str, str]
    body: bytes


def subject_for(name: str) -> str:
    return f"{SUBJECT_PREFIX}.{name}"


def cloudevents_type(name: str, version: int) -> str:
    return f"{TYPE_PREFIX}.{name}.v{version}"


def parse_type(ce_type: str) -> tuple[str, int]:
    """``bg.mrezha.activity.planned.v1`` -> (``activity.planned``, 1)."""
    if not ce_type.startswith(TYPE_PREFIX + "."):
        raise ValueError(f"not a Mrezha event type: {ce_type!r}")
    name, _, version = ce_type.removeprefix(TYPE_PREFIX + ".").rpartition(".v")
    return name, int(version)


def envelope(notification_id: int, event: Any) -> Envelope:
    cls = type(event)
    name = public_name(cls)
    version = event_version(cls)
    headers = {
        "Nats-Msg-Id": str(notification_id),
        "ce-specversion": "1.0",
        "ce-id": str(notification_id),
        "ce-source": SOURCE,
        "ce-type": cloudevents_type(name, version),
        "ce-time": event.timestamp.isoformat(),
        "ce-subject": str(event.originator_id),
        "ce-aggregateversion": str(event.originator_version),
        "content-type": CONTENT_TYPE,
    }
    actor = metadata_of(event)
    headers["ce-actor"] = actor["user"]
    if actor["centre"]:
        headers["ce-actorcentre"] = actor["centre"]
    return Envelope(subject_for(name), headers, msgspec.json.encode(event))


def decode(headers: dict[str, str], body: bytes) -> tuple[int, Any]:
    """(notification id, domain event) from a message; older versions are upcast."""
    return decode_event(*headers_read(headers), body)


def headers_read(headers: dict[str, str]) -> tuple[int, str, str, str]:
    """What decoding reads of the headers: the notification id, the type, who acted and for which centre."""
    return int(headers["ce-id"]), headers["ce-type"], headers.get("ce-actor", "system"), headers.get("ce-actorcentre", "")


def decode_event(notification_id: int, ce_type: str, actor: str, actor_centre: str, body: bytes) -> tuple[int, Any]:
    """``decode`` from just the headers it reads: the id, the type and who acted."""
    name, version = parse_type(ce_type)
    cls = EVENTS_BY_NAME[name]
    current = event_version(cls)
    state = msgspec.json.decode(body)
    while version < current:
        state = getattr(cls, f"upcast_v{version}_v{version + 1}")(state) or state
        version += 1
    # The aggregate id is typed by a TypeVar in eventsourcing, so msgspec cannot know it is a UUID.
    state["originator_id"] = UUID(state["originator_id"])
    event = msgspec.convert(state, type=cls)
    object.__setattr__(event, "metadata", {"user": actor, "centre": actor_centre})
    return notification_id, event


def aggregate_id(headers: dict[str, str]) -> UUID:
    return UUID(headers["ce-subject"])
