"""The public names of the domain's events: named once, forever.

A public name is ``<aggregate>.<event>`` in snake case (``activity.planned``),
derived from the aggregate and event class names. A class that is renamed or
moved keeps its old public name through ``KEPT_NAMES``; a reshaped event gets
a new ``class_version`` and an upcaster, never a new name.
"""

from __future__ import annotations

import re

from eventsourcing.domain import Aggregate

from domain.account import Account
from domain.activity import Activity
from domain.centre import Centre, CentreName
from domain.network import Network
from domain.plan import AnnualPlan
from domain.practice import Practice
from domain.project import Project
from domain.submission import Submission

AGGREGATES: tuple[type[Aggregate], ...] = (
    Centre, CentreName, Activity, Account, Network, AnnualPlan, Practice, Project, Submission
)

# event class -> the public name it had before a rename (none yet)
KEPT_NAMES: dict[type, str] = {}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _event_classes(aggregate: type[Aggregate]) -> list[type]:
    return [
        value
        for value in vars(aggregate).values()
        if isinstance(value, type) and issubclass(value, Aggregate.Event) and value.__qualname__.startswith(aggregate.__name__ + ".")
        and value.__name__ not in ("Event", "Created")
    ]


PUBLIC_NAMES: dict[type, str] = {
    cls: KEPT_NAMES.get(cls, f"{_snake(aggregate.__name__)}.{_snake(cls.__name__)}")
    for aggregate in AGGREGATES
    for cls in _event_classes(aggregate)
}
EVENTS_BY_NAME: dict[str, type] = {name: cls for cls, name in PUBLIC_NAMES.items()}


def public_name(event_class: type) -> str:
    return PUBLIC_NAMES[event_class]


def event_version(event_class: type) -> int:
    return int(getattr(event_class, "class_version", 1))
