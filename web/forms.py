"""Form bodies parsed with msgspec; text stays text until the domain checks it.

Dates and ids are parsed here because a browser sends them as strings; a
malformed one is a field error, like any other.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import msgspec

from domain.errors import DomainError, InvalidField, InvalidFields

MAX_FIELD = 10_000  # a hard cap before the domain's own limits, against oversized posts


class CentreForm(msgspec.Struct, kw_only=True):
    name: str = ""
    city: str = ""
    region: str = ""
    website: str = ""
    description: str = ""

    def command(self) -> dict[str, Any]:
        return msgspec.structs.asdict(self)


class ActivityForm(msgspec.Struct, kw_only=True):
    title: str = ""
    kind: str = ""
    format: str = "live"
    host_centre_id: str = ""
    starts_on: str = ""
    ends_on: str = ""
    city: str = ""

    def command(self) -> dict[str, Any]:
        errors: list[DomainError] = []
        fields = msgspec.structs.asdict(self)
        fields["host_centre_id"] = _parse(UUID, "host_centre_id", self.host_centre_id, "unknown_centre", errors)
        fields["starts_on"] = _parse(date.fromisoformat, "starts_on", self.starts_on, "invalid_date", errors)
        fields["ends_on"] = _parse(date.fromisoformat, "ends_on", self.ends_on, "invalid_date", errors)
        if errors:
            raise errors[0] if len(errors) == 1 else InvalidFields(errors)
        return fields


def _parse(parser: Any, field: str, raw: str, code: str, errors: list[DomainError]) -> Any:
    if not raw.strip():
        errors.append(InvalidField(field, "required"))
        return None
    try:
        return parser(raw.strip())
    except ValueError:
        errors.append(InvalidField(field, code))
        return None


def parse_form(data: Any, form_type: type[msgspec.Struct]) -> Any:
    """Build the form from a multi-dict of strings: the last value of each known field wins."""
    fields = {}
    for name in form_type.__struct_fields__:
        value = data.get(name, "")
        if not isinstance(value, str):
            value = ""
        if len(value) > MAX_FIELD:
            raise InvalidField(name, "too_long", max_length=MAX_FIELD)
        fields[name] = value
    return msgspec.convert(fields, type=form_type)


def form_as_typed(data: Any, form_type: type[msgspec.Struct]) -> Any:
    """The form as the person typed it, to show again beside its errors."""
    fields = {}
    for name in form_type.__struct_fields__:
        value = data.get(name, "")
        fields[name] = value[:MAX_FIELD] if isinstance(value, str) else ""
    return msgspec.convert(fields, type=form_type)


FormData = dict[str, Any]
