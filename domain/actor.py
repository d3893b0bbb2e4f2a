"""Who did it: the acting user and centre ride with every stored event, outside its fields.

They are not one of the event's fields, so its schema and its JSON body stay as
they are; the application's mapper keeps them as the event's ``metadata``.
"""

from __future__ import annotations

from typing import Any

SYSTEM = {"user": "system", "centre": ""}


def metadata_of(event: Any) -> dict[str, str]:
    """The acting user and centre of an event ("system" when nobody acted)."""
    return dict(getattr(event, "metadata", None) or SYSTEM)
