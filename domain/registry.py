"""The public names of the domain's events: named once, forever.

A public name is ``<aggregate>.<event>`` in snake case (``activity.planned``).
A class that is renamed or moved keeps its public name here; a reshaped event
gets a new ``class_version`` and an upcaster, never a new name.
"""

from __future__ import annotations

import re

from domain.activity import Activity
from domain.centre import Centre, CentreName

_EVENT_CLASSES: tuple[tuple[str, type], ...] = (
    ("centre", Centre.Registered),
    ("centre_name", CentreName.Claimed),
    ("activity", Activity.Planned),
)


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


PUBLIC_NAMES: dict[type, str] = {
    cls: f"{aggregate}.{_snake(cls.__name__)}" for aggregate, cls in _EVENT_CLASSES
}
EVENTS_BY_NAME: dict[str, type] = {name: cls for cls, name in PUBLIC_NAMES.items()}


def public_name(event_class: type) -> str:
    return PUBLIC_NAMES[event_class]


def event_version(event_class: type) -> int:
    return int(getattr(event_class, "class_version", 1))
