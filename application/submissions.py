"""One-time submission keys: a command run inside ``submitting(key, command)`` saves the key's
``Submission`` in the same transaction as its own events (``MrezhaApplication.save``), so a
crash cannot split them and a repeated key collides instead of recording the command twice.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from eventsourcing.domain import Aggregate

from application.base import Commands
from domain.submission import Submission


@dataclass
class Pending:
    key: str
    command: str
    saved: bool = False


_pending: ContextVar[Pending | None] = ContextVar("submission", default=None)


@contextmanager
def submitting(key: str, command: str) -> Iterator[None]:
    """Saves carry the key while the block runs (the first save only: one command, one key)."""
    token = _pending.set(Pending(key, command))
    try:
        yield
    finally:
        _pending.reset(token)


def with_submission(objs: Sequence[Any]) -> tuple[Any, ...]:
    """What a save stores: the aggregates, and the pending key's ``Submission`` beside them."""
    pending = _pending.get()
    if pending is None or pending.saved:
        return tuple(objs)
    aggregates = [obj for obj in objs if isinstance(obj, Aggregate)]
    first = aggregates[0] if aggregates else None
    created = first.id if first is not None and _is_new(first) else None
    pending.saved = True
    return (*objs, Submission(key=pending.key, command=pending.command, created_id=created))


def forget_saved() -> None:
    """The save failed: the key was not stored, so a retry must carry it again."""
    pending = _pending.get()
    if pending is not None:
        pending.saved = False


def _is_new(aggregate: Aggregate) -> bool:
    pending_events = aggregate.pending_events
    return bool(pending_events) and pending_events[0].originator_version == 1


class Submissions(Commands):
    def recorded(self, key: str) -> Submission | None:
        """The submission stored under the key, when a form with it was already taken."""
        return self._get(Submission.create_id(key), Submission)
