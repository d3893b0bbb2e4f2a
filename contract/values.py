"""The value sets of the events' fields, taken from the domain's own tuples so the schemas
cannot drift from what the aggregates accept: ``enum`` for choices, ``format: uri`` for links."""

from __future__ import annotations

from typing import Any

from domain.activity import FORMATS, KINDS, LANGUAGES
from domain.centre import STAFF_ROLES
from domain.project import CURRENCIES, FUNDERS, REPORT_KINDS
from domain.practice_content import CONTENT, COUNTRIES, FIGURES, TARGET_GROUPS

# field name -> its choices; a list field's items are checked, an object field's keys.
CHOICES: dict[str, tuple[str, ...]] = {
    "kind": KINDS,
    "format": FORMATS,
    "language": LANGUAGES,
    "role": STAFF_ROLES,  # the only public event with a role is a centre's staff member
    "target_groups": TARGET_GROUPS,
    "country": COUNTRIES,
    "changed": CONTENT,
    "results": FIGURES,
}
# Where one event's field of a common name holds another set (None: free text there).
EVENT_CHOICES: dict[str, dict[str, tuple[str, ...] | None]] = {
    "project.registered": {"funder": FUNDERS, "currency": CURRENCIES},
    "project.report_submitted": {"kind": REPORT_KINDS},
    "project.deliverable_added": {"kind": None},
    "project.activity_linked": {"role": None},
    "project.partner_added": {"country": None},  # a partner's country as named ("Полша"), not a practice's code
}
# Optional http(s) links (domain.checks.check_link): empty, or an absolute URI.
LINKS = ("website", "online_link", "materials_link", "stream_link", "links")
_LINK: dict[str, Any] = {"anyOf": [{"maxLength": 0}, {"format": "uri", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://"}]}

# One example value per field name, for the AsyncAPI messages' examples.
EXAMPLES: dict[str, Any] = {
    "kind": "exchange", "format": "live", "language": "bg", "role": "youth_worker", "target_groups": ["neets"], "country": "BG",
    "changed": ["title"], "results": {"reached": 150}, "funder": "eea_norway", "currency": "EUR",
}


def _narrowed(spec: dict[str, Any], choices: tuple[str, ...]) -> dict[str, Any]:
    if spec.get("type") == "array":
        return {**spec, "items": {**spec.get("items", {}), "enum": list(choices)}}
    if spec.get("type") == "object":
        return {**spec, "propertyNames": {"enum": list(choices)}}
    return {**spec, "enum": list(choices)}


def with_value_sets(properties: dict[str, Any], event: str = "") -> dict[str, Any]:
    """The body's properties with the domain's choices and links made explicit."""
    choices = {**CHOICES, **EVENT_CHOICES.get(event, {})}
    narrowed = {}
    for field, spec in properties.items():
        if choices.get(field) and spec.get("type") in ("string", "array", "object"):
            spec = _narrowed(spec, choices[field])  # type: ignore[arg-type]
        elif field in LINKS and spec.get("type") == "array":
            spec = {**spec, "items": {**spec.get("items", {}), **_LINK}}
        elif field in LINKS and spec.get("type") == "string":
            spec = {**spec, **_LINK}
        narrowed[field] = spec
    return narrowed
