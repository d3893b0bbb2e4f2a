"""Who acts: a command runs inside ``acting_as(...)``; the mapper writes the actor into the
stored state under ``metadata`` and gives it back as the event's ``metadata`` attribute when read.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Mapper, StoredEvent

from domain.actor import SYSTEM

_actor: ContextVar[dict[str, str]] = ContextVar("actor", default=SYSTEM)


@contextmanager
def acting_as(user: str, centre: str | None = None) -> Iterator[None]:
    token = _actor.set({"user": user, "centre": centre or ""})
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> dict[str, str]:
    """Who is acting now: {"user": ..., "centre": ...} (SYSTEM when nobody is)."""
    return dict(_actor.get())


class MetadataMapper(Mapper[UUID]):
    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        if "metadata" not in vars(domain_event):
            object.__setattr__(domain_event, "metadata", dict(_actor.get()))
        return super().to_stored_event(domain_event)
