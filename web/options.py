"""A long list of choices rendered once: the calendar's filter offers every centre (hundreds), and
rendering their ``<option>``s is most of that page's template time. The list comes from a query kept
per read-model position (``projections.cached``), so the same list object comes back until a new fact
is projected; its markup is kept with it. The chosen option is marked in the kept markup."""

from __future__ import annotations

import threading
from typing import Any

from markupsafe import Markup, escape

_kept: tuple[Any, str] | None = None  # (the list, its markup): the list held, so its id is never reused
_lock = threading.Lock()


def options(rows: list[dict[str, Any]], chosen: str = "", value: str = "id", text: str = "name") -> Markup:
    global _kept
    kept = _kept
    if kept is None or kept[0] is not rows:
        html = "".join(f'<option value="{escape(row[value])}">{escape(row[text])}</option>' for row in rows)
        kept = (rows, html)
        with _lock:
            _kept = kept
    html = kept[1]
    if chosen:
        mark = f'<option value="{escape(chosen)}">'
        html = html.replace(mark, mark[:-1] + " selected>", 1)
    return Markup(html)
