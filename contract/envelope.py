"""The contract of the event streams: subjects, CloudEvents headers, JSON bodies.

One definition per event: the domain event class. Its body is the event as JSON
(msgspec), its schema is derived from the same class, and an older body is
brought up to date with the class's own ``upcast_vN_vN+1`` methods.

Two streams. ``MREZHA_INTERNAL`` (subjects ``internal.mrezha.<aggregate>.<event>``) holds
every stored event as the store has it, with who acted (``ce-actor``, a user name): the
projector reads it. ``MREZHA`` (subjects ``mrezha.<aggregate>.<event>``) is the public
contract: the network's facts only — no accounts, no internal aggregates, no user names,
no Python class paths. Subscribers' credentials read only ``MREZHA``.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec

from contract.headers import CONTENT_TYPE, PRIVATE_HEADERS, SOURCE, SPEC_VERSION, TYPE_PREFIX, Headers
from domain.actor import metadata_of
from domain.registry import EVENTS_BY_NAME, event_version, public_name

STREAM = "MREZHA"  # the public stream, for subscribers
SUBJECT_PREFIX = "mrezha"
INTERNAL_STREAM = "MREZHA_INTERNAL"  # every event, with the acting user: for the projector
INTERNAL_PREFIX = "internal.mrezha"
# Aggregates whose events never reach the public stream: accounts (user names, roles, reasons
# for disabling, password changes) and the claim on a centre's name (a uniqueness device).
INTERNAL_AGGREGATES = frozenset({"account", "centre_name", "submission"})  # who, and internals: never public
INTERNAL_FIELDS = ("originator_topic",)  # the aggregate's Python class path, kept off the public body
DUPLICATE_WINDOW_SECONDS = 120.0  # JetStream drops a second message with the same Nats-Msg-Id within it


class Envelope(msgspec.Struct, frozen=True):
    """One message as it goes on the stream."""

    subject: str
    headers: dict[str, str]
    body: bytes


def subject_for(name: str) -> str:
    return f"{SUBJECT_PREFIX}.{name}"


def internal_subject_for(name: str) -> str:
    return f"{INTERNAL_PREFIX}.{name}"


def is_public(name: str) -> bool:
    """Whether events of this public name (``activity.planned``) go on the public stream."""
    return name.split(".", 1)[0] not in INTERNAL_AGGREGATES


def cloudevents_type(name: str, version: int) -> str:
    return f"{TYPE_PREFIX}.{name}.v{version}"


def parse_type(ce_type: str) -> tuple[str, int]:
    """``bg.mrezha.activity.planned.v1`` -> (``activity.planned``, 1)."""
    if not ce_type.startswith(TYPE_PREFIX + "."):
        raise ValueError(f"not a Mrezha event type: {ce_type!r}")
    name, _, version = ce_type.removeprefix(TYPE_PREFIX + ".").rpartition(".v")
    return name, int(version)


def envelope(notification_id: int, event: Any, source: str = SOURCE) -> Envelope:
    """The message on the internal stream: the whole event, and who recorded it."""
    cls = type(event)
    name = public_name(cls)
    actor = metadata_of(event)
    headers = Headers(
        msg_id=str(notification_id),
        specversion=SPEC_VERSION,
        id=str(notification_id),
        source=source,
        type=cloudevents_type(name, event_version(cls)),
        time=event.timestamp.isoformat(),
        subject=str(event.originator_id),
        aggregateversion=str(event.originator_version),
        content_type=CONTENT_TYPE,
        actor=actor["user"],
        actorcentre=actor["centre"],
    )
    return Envelope(internal_subject_for(name), headers.as_dict(), msgspec.json.encode(event))


def public_envelope(internal: Envelope) -> Envelope | None:
    """The same event for the public stream, or None when it is not public: the subject under
    ``mrezha.``, no ``ce-actor`` (a user name), no class path in the body."""
    name = internal.subject.removeprefix(INTERNAL_PREFIX + ".")
    if not is_public(name):
        return None
    headers = {key: value for key, value in internal.headers.items() if key not in PRIVATE_HEADERS}
    body = msgspec.json.decode(internal.body)
    for field in INTERNAL_FIELDS:
        body.pop(field, None)
    return Envelope(subject_for(name), headers, msgspec.json.encode(body))


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


STRUCTURED_CONTENT_TYPE = "application/cloudevents+json"


def structured(headers: dict[str, str], body: bytes) -> bytes:
    """A message as a structured-mode CloudEvent (``application/cloudevents+json``): the ``ce-``
    headers as attributes, ``datacontenttype`` and the body as ``data``; for SDKs that read only that."""
    attributes: dict[str, Any] = {key.removeprefix("ce-"): value for key, value in headers.items()
                                  if key.startswith("ce-")}
    attributes["datacontenttype"] = headers.get("content-type", CONTENT_TYPE)
    attributes["data"] = msgspec.Raw(body or b"null")
    return msgspec.json.encode(attributes)
