"""Form bodies parsed with msgspec into typed structs, every bad field reported at once, and the
few forms every feature sends. Each feature's own forms are in its ``forms.py``.

A browser sends strings; each field is converted on its own (non-strict msgspec
conversion: "12" -> 12, "2026-05-14" -> date, a UUID string -> UUID) so that
all malformed fields come back together, as field errors, before any command runs.
"""

from __future__ import annotations

import types
import typing
from functools import lru_cache
from datetime import date
from typing import Annotated, Any, Union
from uuid import UUID

import msgspec
from litestar.enums import RequestEncodingType
from litestar.params import Body

from domain import activity as _activity
from domain.checks import DATE_MAX, DATE_MIN
from domain.errors import DomainError, InvalidField, InvalidFields

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
"""A posted form as litestar hands it to a handler: field name -> text (a list when a name repeats)."""

MAX_FIELD = 10_000  # a hard cap before the domain's own limits, against oversized posts
_CODES = {int: "invalid_number", date: "invalid_date"}


def _error_code(name: str, target: Any) -> str:
    if target is UUID:
        return "unknown_centre" if name.endswith("centre_id") else "not_found"
    return _CODES.get(target, "invalid")


def _base_type(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (Union, types.UnionType):
        return next(a for a in typing.get_args(annotation) if a is not type(None))
    return annotation


@lru_cache(maxsize=None)
def _fields(form_type: type[msgspec.Struct]) -> tuple[tuple[msgspec.structs.FieldInfo, Any], ...]:
    """Each field of a form and the type its text converts to: worked out once per form (resolving
    the annotations is most of the cost of parsing a small form)."""
    hints = typing.get_type_hints(form_type)
    return tuple((field, _base_type(hints[field.name])) for field in msgspec.structs.fields(form_type))


def parse_form(data: Any, form_type: type[msgspec.Struct]) -> Any:
    """The typed form, or an ``InvalidField``/``InvalidFields`` naming every bad field."""
    values, errors = parse_fields(data, form_type)
    if errors:
        raise errors[0] if len(errors) == 1 else InvalidFields(errors)
    return form_type(**values)


def parse_fields(data: Any, form_type: type[msgspec.Struct]) -> tuple[dict[str, Any], list[DomainError]]:
    """The fields that could be read, typed, and an error for each one that could not."""
    values: dict[str, Any] = {}
    errors: list[DomainError] = []
    for field, target in _fields(form_type):
        raw = data.get(field.name) if hasattr(data, "get") else None
        if raw is None and not field.required:
            continue  # absent: the field's default
        raw = raw if isinstance(raw, str) else ""
        if len(raw) > MAX_FIELD:
            errors.append(InvalidField(field.name, "too_long", max_length=MAX_FIELD))
            continue
        if target is str:
            values[field.name] = raw
            continue
        if not raw.strip():
            if field.required:
                errors.append(InvalidField(field.name, "required"))
            continue
        try:
            value = msgspec.convert(raw.strip(), type=target, strict=False)
        except msgspec.ValidationError:
            errors.append(InvalidField(field.name, _error_code(field.name, target)))
            continue
        if target is date and not DATE_MIN <= value <= DATE_MAX:
            errors.append(InvalidField(field.name, "date_out_of_range"))
            continue
        values[field.name] = value
    return values, errors


def fields_as_far_as_read(data: Any, form_type: type[msgspec.Struct]) -> dict[str, Any]:
    """Every field of the form: as read, its default when absent, None when it could not be read."""
    values, _ = parse_fields(data, form_type)
    return {
        field.name: values.get(field.name, None if field.required or field.name in data else field.default)
        for field in msgspec.structs.fields(form_type)
    }


def typed_values(data: Any) -> dict[str, str]:
    """What the person typed, to show again beside the errors."""
    if not hasattr(data, "items"):
        return {}
    return {k: v[:MAX_FIELD] for k, v in data.items() if isinstance(v, str) and not k.startswith("_")}


def command_fields(form: msgspec.Struct) -> dict[str, Any]:
    return msgspec.structs.asdict(form)


def lines(text: str) -> list[str]:
    """A list typed one item per line."""
    return [line for line in text.splitlines() if line.strip()]


def commas(text: str) -> list[str]:
    """A list typed comma-separated."""
    return [part for part in text.split(",") if part.strip()]


# The forms every feature sends ---------------------------------------------------------------


class ReasonForm(msgspec.Struct):
    reason: str = ""


class NoFields(msgspec.Struct):
    pass


def centres_to_act_for(options: list[tuple[str, str]], user: Any) -> list[tuple[str, str]]:
    """The (id, name) choices of a centre select that this user may act for: a centre's own users act only
    for their centre, the secretariat for any."""
    if user is not None and user.role != "secretariat":
        return [option for option in options if option[0] == str(user.centre_id)]
    return options


# The domain's limits, shown beside the fields that have them (the counters of web/static/forms.js) ------

LIMITS = {
    "activity_title": _activity.TITLE_MAX,
    "activity_text": _activity.TEXT_MAX,
    "activity_description": _activity.DESCRIPTION_MAX,
    "activity_reason": _activity.REASON_MAX,
}
"""For the templates as ``limits``: a field's maxlength is the domain's, never a number of its own."""
