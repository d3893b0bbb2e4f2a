"""The subscribers' contract as documents, derived from the event classes, never written twice.

Each event class gives a JSON Schema of its body (msgspec reads the class's fields)
and a message of the AsyncAPI 3.0 document of the ``MREZHA`` stream. ``mrezha
schema`` writes them into ``docs/events/`` (``<name>.v<N>.schema.json`` each and
``asyncapi.yaml``); the web serves the same text; a test fails when the committed
files differ. The output depends on the code only, so it is byte-for-byte stable.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import msgspec
import yaml

from domain.registry import PUBLIC_NAMES, event_version
from contract.envelope import (
    DUPLICATE_WINDOW_SECONDS, INTERNAL_FIELDS, STREAM, SUBJECT_PREFIX, cloudevents_type, is_public, subject_for,
)
from contract.examples import EXAMPLE_ID, example
from contract.headers import CONTENT_TYPE, headers_schema
from contract.values import with_value_sets

CONTRACT_VERSION = "2.0.0"  # 2: accounts, name claims, ce-actor and class paths left the public stream
DIALECT = "https://json-schema.org/draft/2020-12/schema"
ASYNCAPI_FILE = "asyncapi.yaml"
SCHEMA_FILE = re.compile(r"^(?P<name>[a-z0-9_]+\.[a-z0-9_]+)\.v(?P<version>[0-9]+)\.schema\.json$")
DOCS_DIR = Path(__file__).resolve().parents[1] / "docs" / "events"

# Fields every body has, from eventsourcing's base event. ``originator_id`` is typed by a
# TypeVar there, so msgspec cannot tell it is a UUID; the timestamp is always UTC.
ENVELOPE_FIELDS: dict[str, dict[str, Any]] = {
    "originator_id": {
        "type": "string", "format": "uuid", "description": "The aggregate's id; also the ce-subject header.",
    },
    "originator_version": {
        "type": "integer", "minimum": 1,
        "description": "The aggregate's version after this event; also the ce-aggregateversion header.",
    },
    "timestamp": {
        "type": "string", "format": "date-time", "description": "When the event was recorded (UTC); also ce-time.",
    },
}

def file_name(name: str, version: int) -> str:
    return f"{name}.v{version}.schema.json"


def _plain_description(cls: type) -> str | None:
    """The class's own docstring; not the signature ``dataclasses`` writes when there is none."""
    doc = vars(cls).get("__doc__") or ""
    if not doc or doc.startswith(f"{cls.__name__}("):
        return None
    return " ".join(doc.split())


def body_schema(cls: type) -> dict[str, Any]:
    """The JSON Schema of one event class's body, without ``$schema``: for files and for AsyncAPI."""
    generated = msgspec.json.schema(cls)
    definitions = generated.pop("$defs", {})
    own = definitions.pop(generated["$ref"].rsplit("/", 1)[-1])
    name, version = PUBLIC_NAMES[cls], event_version(cls)
    properties = {
        field: dict(ENVELOPE_FIELDS[field]) if field in ENVELOPE_FIELDS else spec
        for field, spec in own["properties"].items() if field not in INTERNAL_FIELDS
    }
    schema: dict[str, Any] = {
        "title": cloudevents_type(name, version),
        "description": _plain_description(cls)
        or f"The body of a {subject_for(name)} message, version {version}.",
        "type": "object",
        "properties": with_value_sets(properties, name),
        "required": [field for field in own.get("required", []) if field not in INTERNAL_FIELDS],
        "additionalProperties": False,
    }
    if definitions:
        schema["$defs"] = definitions
    return schema


def event_schema(cls: type) -> dict[str, Any]:
    """The standalone JSON Schema (2020-12) file of one event class."""
    name, version = PUBLIC_NAMES[cls], event_version(cls)
    return {"$schema": DIALECT, "$id": f"urn:bg:mrezha:events:{name}.v{version}", **body_schema(cls)}


def _events() -> list[tuple[str, int, type]]:
    """The events of the public stream (accounts and name claims stay on the internal one)."""
    return sorted((name, event_version(cls), cls) for cls, name in PUBLIC_NAMES.items() if is_public(name))


def _local_refs(schema: Any, prefix: str) -> Any:
    """Point ``#/$defs/...`` references at the schema's new home inside the AsyncAPI document."""
    if isinstance(schema, dict):
        return {
            key: (prefix + value[1:] if key == "$ref" and isinstance(value, str) and value.startswith("#/")
                  else _local_refs(value, prefix))
            for key, value in schema.items()
        }
    if isinstance(schema, list):
        return [_local_refs(item, prefix) for item in schema]
    return schema


def _example_headers(ce_type: str) -> dict[str, str]:
    return {
        "Nats-Msg-Id": "42", "ce-specversion": "1.0", "ce-id": "42", "ce-source": "https://mrezha.example.org",
        "ce-type": ce_type, "ce-time": "2026-05-14T09:30:15.123456+00:00", "ce-subject": EXAMPLE_ID,
        "ce-aggregateversion": "1", "content-type": CONTENT_TYPE, "ce-actorcentre": EXAMPLE_ID,
    }


def _title(name: str) -> str:
    aggregate, event = name.split(".")
    return f"{aggregate.replace('_', ' ').capitalize()} {event.replace('_', ' ')}"


def asyncapi_document() -> dict[str, Any]:
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    schemas: dict[str, Any] = {"CloudEventsHeaders": headers_schema()}
    for name, version, cls in _events():
        key = f"{name}.v{version}"
        ce_type = cloudevents_type(name, version)
        schemas[key] = _local_refs(body_schema(cls), f"#/components/schemas/{key}")
        messages[key] = {
            "name": name,
            "title": f"{_title(name)} (v{version})",
            "summary": schemas[key]["description"],
            "contentType": CONTENT_TYPE,
            "headers": {"allOf": [
                {"$ref": "#/components/schemas/CloudEventsHeaders"},
                {"type": "object", "properties": {"ce-type": {"const": ce_type}}, "required": ["ce-type"]},
            ]},
            "payload": {"$ref": f"#/components/schemas/{key}"},
            "examples": [{
                "name": key,
                "summary": f"A {subject_for(name)} message",
                "headers": _example_headers(ce_type),
                "payload": example(body_schema(cls), body_schema(cls).get("$defs", {})),
            }],
            "x-schema-file": file_name(name, version),
        }
        channels[name] = {
            "address": subject_for(name),
            "title": _title(name),
            "messages": {key: {"$ref": f"#/components/messages/{key}"}},
        }
        operations[f"receive.{name}"] = {
            "action": "receive",
            "title": f"Receive {name}",
            "channel": {"$ref": f"#/channels/{name}"},
            "messages": [{"$ref": f"#/channels/{name}/messages/{key}"}],
        }
    _add_checkpoint(channels, operations, messages, schemas)
    return {
        "asyncapi": "3.0.0",
        "id": "urn:bg:mrezha:events",
        "info": {
            "title": "Mrezha domain events",
            "version": CONTRACT_VERSION,
            "description": DESCRIPTION,
        },
        "defaultContentType": CONTENT_TYPE,
        "servers": {
            "embedded": {
                "host": "127.0.0.1:4222",
                "protocol": "nats",
                "description": "The nats-server `make run` starts (JetStream on); "
                "a deployment names its own in MREZHA_NATS_URL.",
            },
        },
        "channels": channels,
        "operations": operations,
        "components": {"schemas": schemas, "messages": messages},
        "x-jetstream": {
            "stream": STREAM,
            "subjects": [f"{SUBJECT_PREFIX}.>"],
            "retention": "limits",
            "storage": "file",
            "duplicateWindowSeconds": int(DUPLICATE_WINDOW_SECONDS),
        },
    }


def _add_checkpoint(channels: dict[str, Any], operations: dict[str, Any], messages: dict[str, Any],
                    schemas: dict[str, Any]) -> None:
    """The audit's signed checkpoints, on the same stream (``contract.checkpoint``)."""
    from contract import checkpoint

    key, name = f"{checkpoint.CHECKPOINT_NAME}.v1", checkpoint.CHECKPOINT_NAME
    sample = checkpoint.example()
    schemas[key] = checkpoint.body_schema()
    schemas["CheckpointHeaders"] = checkpoint.headers_schema()
    messages[key] = {
        "name": name,
        "title": "Audit checkpoint (v1)",
        "summary": "A signed checkpoint of the event log's Merkle tree: no event (no ce-id), the outside "
        "witness that the record was not rewritten nor its tail cut off.",
        "contentType": CONTENT_TYPE,
        "headers": {"allOf": [{"$ref": "#/components/schemas/CheckpointHeaders"}]},
        "payload": {"$ref": f"#/components/schemas/{key}"},
        "examples": [{"name": key, "summary": f"A {checkpoint.CHECKPOINT_SUBJECT} message",
                      "headers": sample["headers"], "payload": sample["payload"]}],
    }
    channels[name] = {
        "address": checkpoint.CHECKPOINT_SUBJECT,
        "title": "Audit checkpoint",
        "description": "Every signed checkpoint of the event log (RFC 9162 tree, C2SP checkpoint), at least "
        "every 1,000 events or every minute while events are stored. Keep the newest: it lets you show that "
        "the record you saw was later rewritten or cut. The verifier key is served at /audit/key.",
        "messages": {key: {"$ref": f"#/components/messages/{key}"}},
    }
    operations[f"receive.{name}"] = {
        "action": "receive",
        "title": f"Receive {name}",
        "channel": {"$ref": f"#/channels/{name}"},
        "messages": [{"$ref": f"#/channels/{name}/messages/{key}"}],
    }


DESCRIPTION = f"""\
Every fact Mrezha stores is published once, in the order it was stored, on the
JetStream stream `{STREAM}`, subject `{SUBJECT_PREFIX}.<aggregate>.<event>`.

The stream carries the network's facts: centres, memberships, activities, the chair,
plans and practices. Accounts and other internal records are not on it, nor who acted
(beyond the centre, `ce-actorcentre`). Subscribers connect with read-only credentials.

Each message is a CloudEvents 1.0 event in binary content mode: the attributes are
NATS headers (`ce-specversion`, `ce-id`, `ce-source`, `ce-type`, `ce-time`,
`ce-subject`, `ce-aggregateversion`, `content-type`) and the body is the event as
JSON, described by the schema that `ce-type` names
(`bg.mrezha.<aggregate>.<event>.v<N>` -> `<aggregate>.<event>.v<N>.schema.json`).
This follows the CloudEvents NATS protocol binding, which is still a work in progress
for headers (binary mode). `ce-source` is the installation's public URL, so `ce-source`
and `ce-id` together are unique across installations.

Delivery is at least once: deduplicate on `ce-id` (also `Nats-Msg-Id`), which is
unique and increases along the stream (with gaps: internal events are not on it). Follow the stream with a durable consumer
to resume after downtime, or start at sequence 1 to replay it from the beginning.
A changed event gets a new version (`.v2`); messages already on the stream keep
the version they were published with, and their schema files stay published.

The same stream carries the audit's signed checkpoints, subject `{SUBJECT_PREFIX}.audit.checkpoint`:
no events (no `ce-id`; skip them when you deduplicate), each the tree size and root hash of the
event log's Merkle tree signed as a C2SP checkpoint note (the key is at `/audit/key`).
"""


def _json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


class _Dumper(yaml.SafeDumper):
    """Multi-line strings as literal blocks, so the description reads as written."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _yaml(document: dict[str, Any]) -> str:
    return yaml.dump(
        document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )


@cache
def documents() -> dict[str, str]:
    """File name -> text of every document the code generates: the schemas, then ``asyncapi.yaml``."""
    files = {file_name(name, version): _json(event_schema(cls)) for name, version, cls in _events()}
    files[ASYNCAPI_FILE] = _yaml(asyncapi_document())
    return files


def kept_from_earlier(file: str, generated: dict[str, str]) -> bool:
    """A schema of an older version of an event that still exists: kept, messages of it stay on the stream."""
    match = SCHEMA_FILE.match(file)
    if not match:
        return False
    current = {m["name"]: int(m["version"]) for m in map(SCHEMA_FILE.match, generated) if m}
    return match["name"] in current and int(match["version"]) < current[match["name"]]


def differences(directory: Path = DOCS_DIR) -> list[str]:
    """What in ``directory`` is not what the code generates (empty when it is)."""
    generated = documents()
    problems = []
    for file, text in generated.items():
        path = directory / file
        if not path.exists():
            problems.append(f"{file} is missing")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"{file} differs from what the code generates")
    if directory.is_dir():
        for path in sorted(directory.iterdir()):
            if path.name not in generated and not kept_from_earlier(path.name, generated):
                problems.append(f"{path.name} is no longer generated")
    return problems


def write(directory: Path = DOCS_DIR) -> list[str]:
    """Write every document; remove stale ones (older versions of existing events stay). The changed files."""
    directory.mkdir(parents=True, exist_ok=True)
    generated = documents()
    changed = []
    for file, text in generated.items():
        path = directory / file
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(file)
    for path in sorted(directory.iterdir()):
        if path.is_file() and path.name not in generated and not kept_from_earlier(path.name, generated):
            path.unlink()
            changed.append(path.name)
    return changed
