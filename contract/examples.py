"""One example message per event type for the AsyncAPI document, made from the body's own
JSON Schema (so it validates by construction, and a test checks that it does)."""

from __future__ import annotations

from typing import Any

EXAMPLE_ID = "0b7c2f3e-5d1a-4c8e-9f6a-2e4d6b8a1c3f"
_FORMATS = {"uuid": EXAMPLE_ID, "date": "2026-05-14", "date-time": "2026-05-14T09:30:15.123456+00:00"}


def example(spec: dict[str, Any], definitions: dict[str, Any], name: str = "") -> Any:
    """A value the schema accepts: the first choice, a plausible format, one item of each list."""
    if "$ref" in spec:
        return example(definitions[spec["$ref"].rsplit("/", 1)[-1]], definitions, name)
    if "const" in spec:
        return spec["const"]
    if "enum" in spec:
        return spec["enum"][0]
    if "anyOf" in spec:
        options = [option for option in spec["anyOf"] if option.get("type") != "null"]
        links = [option for option in options if option.get("format") == "uri"]
        return "https://mrezha.example.org/materials" if links else example(options[0], definitions, name)
    kind = spec.get("type")
    if kind == "object":
        if "propertyNames" in spec:
            return {spec["propertyNames"]["enum"][0]: 150}
        return {field: example(sub, definitions, field) for field, sub in spec.get("properties", {}).items()}
    if kind == "array":
        return [example(spec.get("items", {}), definitions, name)]
    if kind == "integer":
        return max(int(spec.get("minimum", 1)), 1)
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    if spec.get("format") in _FORMATS:
        return _FORMATS[spec["format"]]
    return f"Младежка работа ({name})" if name else "Младежка работа"
