"""Bulgarian word forms: the BulStem stemmer (Nakov 2003; PyPI ``bulstem``, its own rule files), used
when the search index is written and when a query is read, so „обучения“ finds „обучение“.

Neither engine can do this itself: PostgreSQL has no Bulgarian dictionary, SQLite's FTS5 none at all.
The rules of context 2 with a frequency of at least 2 are the ones Nakov's evaluation found best; a
stem is stemmed again until it stays the same, so that the singular and plural of a noun, with or without
the article, meet in one stem („обучение“, „обучения“, „обучението“ -> „обуч“).
"""

from __future__ import annotations

import functools
import re

from bulstem.stem import BulStemmer

WORD = re.compile(r"[^\W_]+")


@functools.cache
def _stemmer() -> BulStemmer:
    return BulStemmer.from_file("stem-context-2", min_freq=2, left_context=3)


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """One word's stem, case-folded (a word in Latin letters comes back as it is, folded)."""
    found = word.casefold()
    stemmer = _stemmer()
    while True:
        shorter = stemmer.stem(found)
        if shorter == found:
            return found
        found = shorter


def words(text: str) -> list[str]:
    """The words of a text, case-folded: letters and digits only, never syntax to either engine."""
    return WORD.findall(text.casefold())


def stems(text: str) -> str:
    """What the full-text index holds: the stem of every word, space-separated."""
    return " ".join(stem(word) for word in words(text))
