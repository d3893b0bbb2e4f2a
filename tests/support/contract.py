"""Checking messages against the published contract, as a subscriber would: JSON Schema with formats."""

from __future__ import annotations

import types
import typing
from dataclasses import fields
from datetime import date, datetime, timezone
from typing import Any
from uuid import UUID, uuid4

import jsonschema

from contract.envelope import decode_event
from contract.headers import Headers
from contract.values import EXAMPLES, LINKS

FORMATS = jsonschema.FormatChecker()
assert {"uuid", "date", "date-time"} <= set(FORMATS.checkers), "jsonschema cannot check the formats we use"


def errors(schema: dict[str, Any], instance: Any, registry: Any = None) -> list[str]:
    """Every way the instance breaks the schema (formats checked), as readable lines; ``registry``
    resolves references into other documents (the AsyncAPI document)."""
    options = {"registry": registry} if registry is not None else {}
    validator = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)(
        schema, format_checker=FORMATS, **options
    )
    return [f"{'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message}"
            for error in validator.iter_errors(instance)]


def decode(headers: dict[str, str], body: bytes) -> tuple[int, Any]:
    """(notification id, domain event) from a whole message, as a subscriber reads it."""
    read = Headers.read(headers)
    return decode_event(read.notification_id, read.type, read.actor, read.actorcentre, body)


def sample_value(hint: Any, name: str = "") -> Any:
    """A plausible value of a field's type, Bulgarian where it is text."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return sample_value(next(arg for arg in typing.get_args(hint) if arg is not type(None)), name)
    if origin in (list, tuple, set, frozenset):
        return origin([sample_value(typing.get_args(hint)[0], name)])
    if origin is dict:
        key, value = typing.get_args(hint)
        return {sample_value(key, name): sample_value(value, name)}
    if origin is typing.Literal:
        return typing.get_args(hint)[0]
    samples: dict[Any, Any] = {
        str: f"Предизвикателствата на младежката работа ({name})",
        int: 17,
        float: 1.5,
        bool: True,
        UUID: uuid4(),
        date: date(2026, 5, 14),
        datetime: datetime(2026, 5, 14, 9, 30, tzinfo=timezone.utc),
    }
    if hint in samples:
        return samples[hint]
    raise TypeError(f"no sample for {hint!r}: teach tests/support/contract.py this type")


def sample_event(cls: type) -> Any:
    """An instance of a domain event class with every field filled in."""
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {
        "originator_id": uuid4(),
        "originator_version": 3,
        "timestamp": datetime(2026, 5, 14, 9, 30, 15, 123456, tzinfo=timezone.utc),
    }
    from contract.values import EVENT_CHOICES
    from domain.registry import PUBLIC_NAMES

    own = EVENT_CHOICES.get(PUBLIC_NAMES.get(cls, ""), {})  # this event's own value sets
    for field in fields(cls):
        if field.name in own:
            choices = own[field.name]
            values[field.name] = choices[0] if choices else sample_value(hints[field.name], field.name)
        elif field.name in EXAMPLES:  # a field with a value set (contract.values): one of its values
            values[field.name] = EXAMPLES[field.name]
        elif field.name in LINKS:
            link = "https://mrezha.example.org/materials"
            values[field.name] = [link] if typing.get_origin(hints[field.name]) is list else link
        elif field.name not in values:
            values[field.name] = (
                "domain.activity:Activity" if field.name == "originator_topic" else sample_value(hints[field.name], field.name)
            )
    return cls(**values)
