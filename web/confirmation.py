"""Steps that are hard to take back ask first, with JavaScript or without.

A form that asks (its route's ``Action(confirm=True)``, its template's ``confirm=`` question) carries a
hidden ``_confirmed`` field, empty. The page's script (web/static/forms.js) asks in a <dialog> and sets it
once the question is answered yes. A post without it, from a browser without JavaScript, stores nothing:
the page comes back with the same form asking the question, the typed values, the CSRF token and the
one-time submission key kept in it; sending that form is the answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from litestar import Request

from web.dates import day

CONFIRMED_FIELD = "_confirmed"
_PLACE = re.compile(r"\{(\w+)\}")


def confirmed(data: Any) -> bool:
    """Whether the post carries the answer yes to its form's question."""
    return hasattr(data, "get") and data.get(CONFIRMED_FIELD) == "yes"


@dataclass(frozen=True)
class Asking:
    """A form being asked about: the URL it posts to, what was typed in it, its one-time key."""

    url: str
    values: Mapping[str, str]
    submission: str

    def about(self, url: str, keys: Mapping[str, Any]) -> bool:
        """Whether this is the form posting to ``url`` that holds ``keys`` (a row's hidden fields: which
        participant, which item), of the forms a page draws."""
        return url == self.url and all(self.values.get(name) == str(value) for name, value in keys.items())

    def question(self, text: str, choices: Mapping[str, Iterable[tuple[Any, str]]]) -> str:
        """The question, each {field} as the page's script fills it in: a chosen option's text, a date the
        way the page's language writes it, the value as typed."""

        def shown(found: re.Match[str]) -> str:
            name = found.group(1)
            if name not in self.values:
                return found.group(0)
            value = self.values[name]
            text_of = {str(option): label for option, label in choices.get(name, ())}
            if value in text_of:
                return text_of[value]
            try:
                return day(date.fromisoformat(value))
            except ValueError:
                return value

        return _PLACE.sub(shown, text)


def ask(request: Request[Any, Any, Any], values: Mapping[str, str], submission: str) -> None:
    """The answer to this request asks about the form it posted."""
    request.state.asking = Asking(url=request.url.path, values=values, submission=submission)


def confirming(context: Mapping[str, Any], url: str, keys: Mapping[str, Any] | None = None) -> Asking | None:
    """For the templates: the question pending on the form posting to ``url`` (and holding ``keys``), if any."""
    request = context.get("request")
    asking = getattr(request.state, "asking", None) if request is not None else None
    return asking if asking is not None and asking.about(url, keys or {}) else None
