"""The CloudEvents headers of every message, defined once: the relay writes them from this
struct, the projector and ``mrezha tail`` read them with it, and the AsyncAPI document's
``CloudEventsHeaders`` schema is derived from it."""

from __future__ import annotations

from typing import Annotated

import msgspec

SPEC_VERSION = "1.0"
SOURCE = "/mrezha"  # only where no installation's address is known (unit tests)
TYPE_PREFIX = "bg.mrezha"
CONTENT_TYPE = "application/json"
# Headers only the internal stream carries: who acted (a user name) and the relay's ordering guard.
PRIVATE_HEADERS = ("ce-actor", "Nats-Expected-Last-Msg-Id")

_UINT = "^[1-9][0-9]*$"
_UUID = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
_TYPE = r"^bg\.mrezha\.[a-z0-9_]+\.[a-z0-9_]+\.v[0-9]+$"

NotificationId = Annotated[str, msgspec.Meta(pattern=_UINT)]


class Headers(
    msgspec.Struct,
    frozen=True,
    omit_defaults=True,
    rename={
        "msg_id": "Nats-Msg-Id", "expected_last_msg_id": "Nats-Expected-Last-Msg-Id",
        "specversion": "ce-specversion", "id": "ce-id", "source": "ce-source", "type": "ce-type",
        "time": "ce-time", "subject": "ce-subject", "aggregateversion": "ce-aggregateversion",
        "actor": "ce-actor", "actorcentre": "ce-actorcentre", "content_type": "content-type",
    },
):
    """The NATS headers of one message: CloudEvents 1.0 attributes in binary content mode."""

    msg_id: Annotated[NotificationId, msgspec.Meta(
        description="Equals ce-id; JetStream drops a second message with the same id within the duplicate window.")]
    specversion: Annotated[str, msgspec.Meta(description="CloudEvents version.")]
    id: Annotated[NotificationId, msgspec.Meta(
        description="The event's notification id in the store: unique, and increasing in stream order. "
        "Deduplicate on it.")]
    source: Annotated[str, msgspec.Meta(
        extra_json_schema={"format": "uri"},
        description="The installation that recorded the event: its public URL (MREZHA_PUBLIC_URL). "
        "ce-source and ce-id together are unique across installations.")]
    type: Annotated[str, msgspec.Meta(
        pattern=_TYPE, description="bg.mrezha.<aggregate>.<event>.v<version>: names the body's schema.")]
    time: Annotated[str, msgspec.Meta(
        extra_json_schema={"format": "date-time"}, description="When the event was recorded.")]
    subject: Annotated[str, msgspec.Meta(
        pattern=_UUID, extra_json_schema={"format": "uuid"}, description="The aggregate's id.")]
    aggregateversion: Annotated[NotificationId, msgspec.Meta(
        description="The aggregate's version after this event: 1, 2, 3… per aggregate, without gaps.")]
    content_type: Annotated[str, msgspec.Meta(description="The body is JSON.")]
    actor: Annotated[str, msgspec.Meta(description="Who recorded the event: a user name, or system.")] = "system"
    actorcentre: Annotated[str, msgspec.Meta(
        extra_json_schema={"format": "uuid"}, description="The centre the actor acted for, when any.")] = ""
    expected_last_msg_id: Annotated[str, msgspec.Meta(
        pattern=_UINT, description="The ce-id of the message before this one when it was published "
        "(the relay's ordering guard).")] = ""

    def as_dict(self) -> dict[str, str]:
        """The headers as NATS sends them (optional ones left out when empty)."""
        return msgspec.to_builtins(self)

    @classmethod
    def read(cls, headers: dict[str, str]) -> Headers:
        """The headers of a received message; extra headers are ignored."""
        return msgspec.convert(headers, cls)

    @property
    def notification_id(self) -> int:
        return int(self.id)


CONSTANTS = {"ce-specversion": SPEC_VERSION, "content-type": CONTENT_TYPE}


def source_for(site_url: str) -> str:
    """ce-source of an installation: where people reach it (``https://mrezha.example.org``)."""
    return site_url.rstrip("/")


def headers_schema(ce_type: str | None = None) -> dict[str, object]:
    """The JSON Schema of the headers, derived from ``Headers``; ``ce-type`` pinned when given."""
    (_, components) = msgspec.json.schema_components([Headers])
    schema = components["Headers"]
    properties = {name: value for name, value in schema["properties"].items() if name not in PRIVATE_HEADERS}
    for name in properties:
        properties[name] = {key: value for key, value in properties[name].items() if key != "default"}
    for name, value in CONSTANTS.items():
        properties[name] = {**properties[name], "const": value}
    if ce_type is not None:
        properties["ce-type"] = {**properties["ce-type"], "const": ce_type}
    required = [name for name in schema.get("required", []) if name not in PRIVATE_HEADERS]
    return {"type": "object", "properties": properties, "required": required}
