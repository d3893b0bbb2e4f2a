"""The public contract of the event stream: subjects, CloudEvents headers, JSON bodies.

One definition per event: the domain event class. Its body is the event as JSON
(msgspec), its schema is derived from the same class, and an older body is
brought up to date with the class's own ``upcast_vN_vN+1`` methods.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec

from contract.headers import CONTENT_TYPE, SOURCE, SPEC_VERSION, TYPE_PREFIX, Headers
from domain.actor import metadata_of
from domain.registry import EVENTS_BY_NAME, event_version, public_name

STREAM = "MREZHA"
SUBJECT_PREFIX = "mrezha"
DUPLICATE_WINDOW_SECONDS = 120.0  # JetStream drops a second message with the same Nats-Msg-Id within it


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
    actor = metadata_of(event)
    headers = Headers(
        msg_id=str(notification_id),
        specversion=SPEC_VERSION,
        id=str(notification_id),
        source=SOURCE,
        type=cloudevents_type(name, event_version(cls)),
        time=event.timestamp.isoformat(),
        subject=str(event.originator_id),
        aggregateversion=str(event.originator_version),
        content_type=CONTENT_TYPE,
        actor=actor["user"],
        actorcentre=actor["centre"],
    )
    return Envelope(subject_for(name), headers.as_dict(), msgspec.json.encode(event))


def decode_event(notification_id: int, ce_type: str, actor: str, actor_centre: str, body: bytes) -> tuple[int, Any]:
    """(notification id, domain event) from a message's body and the headers it needs: the id, the
    type and who acted; older versions are upcast."""
    name, version = parse_type(ce_type)
    cls = EVENTS_BY_NAME[name]
    current = event_version(cls)
    state = msgspec.json.decode(body)
    while version < current:
        state = getattr(cls, f"upcast_v{version}_v{version + 1}")(state) or state
        version += 1
    # The aggregate id is typed by a TypeVar in eventsourcing, so msgspec cannot know it is a UUID.
    state["originator_id"] = UUID(state["originator_id"])
    event: Any = msgspec.convert(state, type=cls)
    object.__setattr__(event, "metadata", {"user": actor, "centre": actor_centre})
    return notification_id, event
