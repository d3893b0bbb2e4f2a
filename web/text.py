"""Long text as people wrote it, and search hits as the reader sees them.

``lines``: a description keeps its line breaks (escaped, each break a ``<br>``). ``highlight``: the words of
a text that a search found are marked (``<mark>``), in whichever form they were written, the way the
index matched them (their BulStem stem begins with a stem of the query); everything else is escaped.
``excerpt``: the part of a long text around its first hit.
"""

from __future__ import annotations

import re

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from projections.practice_queries import query_stems
from projections.stemming import WORD, stem
from web.i18n import current_locale

_BREAK = re.compile(r"\r\n|\r|\n")


def lines(text: str | None) -> Markup:
    """Escaped text whose line breaks stay line breaks."""
    return Markup("<br>\n").join(escape(part) for part in _BREAK.split(text or ""))


def _hits(text: str, query: str) -> list[tuple[int, int]]:
    wanted = query_stems(query)
    if not wanted:
        return []
    return [
        (found.start(), found.end())
        for found in WORD.finditer(text)
        if any(stem(found.group()).startswith(prefix) for prefix in wanted)
    ]


def highlight(text: str | None, query: str = "") -> Markup:
    """The text, escaped, with the words the query found in ``<mark>``."""
    text = text or ""
    out, at = [], 0
    for start, end in _hits(text, query):
        out += [escape(text[at:start]), Markup("<mark>"), escape(text[start:end]), Markup("</mark>")]
        at = end
    out.append(escape(text[at:]))
    return Markup("").join(out)


def excerpt(text: str | None, query: str = "", width: int = 180) -> Markup:
    """Up to ``width`` characters of the text around its first hit (its beginning without one), highlighted."""
    text = " ".join((text or "").split())
    hits = _hits(text, query)
    start = max(0, hits[0][0] - width // 3) if hits else 0
    if start:
        start = text.find(" ", start) + 1 or start  # from a word's beginning
    end = min(len(text), start + width)
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    shown = highlight(text[start:end], query)
    return Markup("{}{}{}").format("… " if start else "", shown, " …" if end < len(text) else "")


@pass_context  # never folded into a constant when the template is compiled: the page's language decides
def lang_attr(context: Context, code: str | None = "bg") -> Markup:
    """`` lang="bg"`` on an element whose content is in another language than the page (what members
    write is Bulgarian: an English page says so, for screen readers and hyphenation); nothing otherwise."""
    if not code or code == current_locale.get():
        return Markup("")
    return Markup(' lang="{}"').format(code)


FILTERS = {"lines": lines, "highlight": highlight, "excerpt": excerpt, "lang_attr": lang_attr}
