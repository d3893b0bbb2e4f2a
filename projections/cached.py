"""Answers kept until their read model moves: a query whose answer changes only when new facts are
projected (the centres a form offers, the cities a filter lists) is asked once per position.

Each read model's position is one indexed row (``projection_tracking``): reading it costs far less
than the query it spares. A position read before the query is stored with the answer, so an answer
is never kept past a fact projected while it was computed. The answers are shared: callers read
them and never change them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from projections.base import position
from projections.sql import Database

Query = TypeVar("Query", bound=Callable[..., Any])


def by_position(projection: str) -> Callable[[Query], Query]:
    def decorate(query: Query) -> Query:
        answers: WeakKeyDictionary[Any, dict[tuple[Any, ...], tuple[int, Any]]] = WeakKeyDictionary()

        @functools.wraps(query)
        def cached(db: Database, *args: Any) -> Any:
            at = position(db, projection)
            kept = answers.setdefault(db, {})
            hit = kept.get(args)
            if hit is not None and hit[0] == at:
                return hit[1]
            answer = query(db, *args)
            kept[args] = (at, answer)
            return answer

        return cached  # type: ignore[return-value]  # same signature as the query it keeps

    return decorate
