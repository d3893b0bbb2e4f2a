"""Parts of public pages kept rendered for visitors: the same markup for everyone who is not signed in
(no form, no name, no token in it), so rendered once and served until something it shows moves.

A part is kept under everything it depends on: the read models' positions read before its rows (as
``projections.cached`` keeps answers, so a part is never kept past a fact projected while it was
rendered), the query that chose its rows, the day (what is "upcoming" changes at midnight) and the
language. Signed-in users always get theirs rendered afresh: their parts hold their forms and rights.
The parts are kept per database (a day's scratch read models are another one), and per day shown (several
days may share one scratch database, and a day's part has that day in its links), and only so many,
the least recently served going first, so odd queries cannot fill the memory.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any
from weakref import WeakKeyDictionary

from litestar import Request
from markupsafe import Markup

from projections.sql import Database
from web.as_of import shown_day
from web.i18n import current_locale

KEPT = 64  # parts per database; a calendar page's is ~40 KB


class Fragments:
    def __init__(self, size: int = KEPT) -> None:
        self.size = size
        self._kept: WeakKeyDictionary[Database, OrderedDict[Hashable, Markup]] = WeakKeyDictionary()
        self._lock = threading.Lock()

    def render(
        self, request: Request[Any, Any, Any], db: Database, template: str, key: Hashable,
        context: Callable[[], dict[str, Any]],
    ) -> Markup:
        """``template`` rendered with ``context()``, or as kept under ``key`` (with the language added)."""
        return self.kept(db, (template, key), lambda: render(request, template, context()))  # type: ignore[no-any-return]

    def kept(self, db: Database, key: Hashable, make: Callable[[], Any]) -> Any:
        """What ``make()`` made, or as kept under ``key`` (with the language and the day shown added)."""
        key = (current_locale.get(), shown_day(), key)
        with self._lock:
            kept = self._kept.setdefault(db, OrderedDict())
            made = kept.get(key)
            if made is not None:
                kept.move_to_end(key)
                return made
        made = make()
        with self._lock:
            kept[key] = made
            while len(kept) > self.size:
                kept.popitem(last=False)
        return made


def render(request: Request[Any, Any, Any], template: str, context: dict[str, Any]) -> Markup:
    return Markup(request.app.template_engine.get_template(template).render(**context, request=request))


fragments = Fragments()
