"""``?as_of=2026-06-01`` on any read page: the network as the record stood at the end of that day.

``AsOfMiddleware`` reads the parameter once (a bad one is a 400 page) and keeps it on a read's redirect;
the templates write the page of a day themselves as they render: ``DayLinks`` (a Jinja extension) puts
the day into every link of the site they write, ``{% if not as_of_shown %}`` leaves out every form and
button that would send a command and every live stream.
``services`` (the handlers' dependency) hands a GET with a day the scratch read models of that day
(``infra.as_of``) instead of the live ones; a first request waits for their replay a bounded time,
then shows "preparing…" and reloads itself.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from bisect import bisect_right
from contextvars import ContextVar
from datetime import date
from html import escape, unescape
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import anyio
from litestar import Request
from litestar.datastructures import State
from litestar.exceptions import HTTPException
from litestar.middleware import ASGIMiddleware
from litestar.plugins.htmx import HTMXDetails
from litestar.response import Template
from jinja2.exceptions import TemplateSyntaxError
from jinja2.ext import Extension
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from markupsafe import Markup

from web.context import Services

PARAM = "as_of"
FIRST_YEAR, LAST_YEAR = 2000, 2100
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_READS = ("GET", "HEAD")


class BadAsOf(HTTPException):
    status_code = 400


class AsOfPreparing(HTTPException):
    status_code = 503


def parse_day(raw: str) -> date:
    """A day written 2026-06-01, between the years 2000 and 2100; anything else is a ``BadAsOf``."""
    if not _ISO_DAY.fullmatch(raw):
        raise BadAsOf(detail=raw)
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise BadAsOf(detail=raw) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise BadAsOf(detail=raw)
    return day


def _state(scope: Scope) -> dict[str, Any]:
    return scope.setdefault("state", {})  # type: ignore[typeddict-item,no-any-return]


def as_of_day(request: Request[Any, Any, Any]) -> date | None:
    """The day the page shows the record at (None: now). For the templates too."""
    return _state(request.scope).get(PARAM)


def live_url(request: Request[Any, Any, Any]) -> str:
    """This page without the day: the network now."""
    query = [(k, v) for k, v in parse_qsl(request.url.query, keep_blank_values=True) if k != PARAM]
    return request.url.path + ("?" + urlencode(query) if query else "")


_SHOWN: ContextVar[date | None] = ContextVar("as_of_shown", default=None)


class _Shown:
    """``as_of_shown`` in the templates: true while a read of a day is answered, and then that day
    (``2026-06-01``) as text. Read by the templates' own conditions (commands left out, no live
    stream) and by what ``DayLinks`` makes of their links; a context variable, as cheap as a name."""

    def __bool__(self) -> bool:
        return _SHOWN.get() is not None

    def __str__(self) -> str:
        day = _SHOWN.get()
        return day.isoformat() if day else ""


def shown_day() -> date | None:
    """The day the page being answered shows (None: now); for what keeps rendered parts (web.fragments)."""
    return _SHOWN.get()


TEMPLATE_GLOBALS = {"as_of_day": as_of_day, "live_url": live_url, "as_of_shown": _Shown()}


async def services(state: State, request: Request[Any, Any, Any]) -> Services:
    """The handlers' ``services``: the live read models, or for a read with a day those of that day."""
    live: Services = state.services
    day = as_of_day(request)
    if day is None or request.method not in _READS or live.as_of is None:
        return live
    ready = live.as_of.ready(day)  # a day seen before: no thread, no query
    if ready is not None:
        _state(request.scope)["as_of_position"] = ready[0]
        return dataclasses.replace(live, db=ready[1])
    return await anyio.to_thread.run_sync(_services_at, live, day, request.scope)


def _services_at(live: Services, day: date, scope: Scope) -> Services:
    models = live.as_of
    assert models is not None
    position = models.position(day, live.app.today())
    _state(scope)["as_of_position"] = position
    building = models.model(position)
    try:
        scratch = building.result(timeout=live.settings.as_of_wait_seconds)
    except TimeoutError:
        raise AsOfPreparing(detail=day.isoformat(), headers={"Retry-After": "2"}) from None
    return dataclasses.replace(live, db=scratch)


def as_of_problem(request: Request[Any, Any, Any], exc: Exception) -> Template:
    """A bad day (400, what to write instead) or a day still being replayed (503, reloads itself)."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    context = {"status": status, "raw": exc.detail if isinstance(exc, HTTPException) else "",
               "first_year": FIRST_YEAR, "last_year": LAST_YEAR, "live": live_url(request)}
    template = "as_of/_problem.html" if HTMXDetails(request) else "as_of/problem.html"
    headers = {"Retry-After": "2"} if status == 503 else {}
    return Template(template_name=template, context=context, status_code=status, headers=headers)


class AsOfMiddleware(ASGIMiddleware):
    """Reads ``as_of`` once (the request's and, while it is answered, the templates' day); a read's
    redirect keeps it. The pages themselves write the day into their links and leave out their
    commands as they render (``DayLinks``, ``as_of_shown``): no page is rewritten on its way out."""

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        raw = [v for k, v in parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
               if k == PARAM]
        if not raw:
            await next_app(scope, receive, send)
            return
        day = parse_day(raw[0])
        _state(scope)[PARAM] = day
        if scope.get("method") not in _READS:
            await next_app(scope, receive, send)
            return
        token = _SHOWN.set(day)
        try:
            await next_app(scope, receive, _redirects_keeping(send, day))
        finally:
            _SHOWN.reset(token)


_REDIRECTS = (b"location", b"hx-redirect")


def _redirects_keeping(send: Send, day: date) -> Send:
    async def keeping_send(message: Message) -> None:
        if message["type"] == "http.response.start" and any(k in _REDIRECTS for k, _ in message.get("headers", ())):
            message = {**message, "headers": [
                (k, with_day(v.decode("latin-1"), day).encode("latin-1") if k in _REDIRECTS else v)
                for k, v in message["headers"]]}
        await send(message)

    return keeping_send


@functools.lru_cache(maxsize=4096)  # a page repeats its links (the menu twice, the same filters)
def with_day(url: str, day: date) -> str:
    """A link of this site with the day kept (``/calendar?kind=x`` → ``/calendar?kind=x&as_of=…``);
    other links (other sites, static files, fragments) as they were."""
    if not (url.startswith("?") or (url.startswith("/") and not url.startswith("//"))) or url.startswith("/static/"):
        return url
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != PARAM]
    query.append((PARAM, day.isoformat()))
    return urlunsplit(("", "", parts.path, urlencode(query), parts.fragment))


# A link of the site in a template's source (href, hx-get, a form's action, double-quoted as every
# template writes them; the "now" links say data-live first and are left alone), found by its name
# alone; DayLinks then passes over a name that only ends a longer one (data-action, xhref; data-hx-get
# is hx-get). A form's start tag.
_LINK = re.compile(r"(href|hx-get|action)=\"([^\"]*)\"")
_FORM = re.compile(r"<form\b[^>]*>", re.IGNORECASE)


# The templates write a day's page themselves: ``DayLinks`` turns every link of the site in their
# source into one that keeps the day of the page being rendered, and puts the day's hidden field
# into every form; the commands and the live streams are left out by the templates'
# own ``{% if not as_of_shown %}``. tests/integration/test_as_of_every_page.py walks the pages.

def day_link(value: str) -> Markup:
    """The filter ``DayLinks`` wraps a link's (escaped) attribute value in: with the day, on a day's page."""
    day = _SHOWN.get()
    return Markup(value) if day is None else _day_link(str(value), day)


@functools.lru_cache(maxsize=4096)
def _day_link(value: str, day: date) -> Markup:
    plain = unescape(value)
    changed = with_day(plain, day)
    return Markup(value) if changed == plain else Markup(escape(changed, quote=True))


def _ends_a_longer_name(source: str, start: int, name: str) -> bool:
    before = source[start - 1] if start else " "
    return before.isalnum() or before == "_" or (
        before == "-" and not (name == "hx-get" and source.endswith("data-", 0, start)))


_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_NOT_OF_THE_SITE = re.compile(r"//|/static/|[^/?{]")  # how a link that no day changes starts
_IF_DAY = "{% if as_of_shown %}"


class DayLinks(Extension):
    """At compile time, each link of the site a template writes (``href``, ``hx-get``, a form's ``action``,
    double-quoted; the "now" links say ``data-live`` first) becomes ``{% if as_of_shown %}{% filter
    day_link %}…{% endfilter %}{% else %}…{% endif %}``: on a live page as written, on a day's page
    with the day (its value as written, expressions and all, is the filter's input). Every ``<form>``
    gets ``<input type="hidden" name="as_of" …>`` on a day's page."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        spans = [(m.start(), m.end()) for m in _JINJA.finditer(source)]
        starts = [start for start, _ in spans]

        def in_jinja(at: int) -> bool:
            i = bisect_right(starts, at) - 1
            return i >= 0 and spans[i][0] <= at < spans[i][1]

        edits: list[tuple[int, int, str]] = []
        for match in _LINK.finditer(source):
            start, value = match.start(), match.group(2)
            if in_jinja(start) or _ends_a_longer_name(source, start, match.group(1)) \
                    or source.endswith("data-live ", 0, start) or not value or _NOT_OF_THE_SITE.match(value):
                continue
            if in_jinja(match.end() - 1):
                raise TemplateSyntaxError(f"a link whose value ends inside a tag: {match.group(0)!r}; write its "
                                          "expression with single quotes", source.count("\n", 0, start) + 1, name, filename)
            edits.append((match.start(2), match.end(2),
                          f"{_IF_DAY}{{% filter day_link %}}{value}{{% endfilter %}}{{% else %}}{value}{{% endif %}}"))
        hidden = f'{_IF_DAY}<input type="hidden" name="{PARAM}" value="{{{{ as_of_shown }}}}">{{% endif +%}}'
        for match in _FORM.finditer(source):
            if in_jinja(match.start()):
                continue
            if in_jinja(match.end() - 1):
                raise TemplateSyntaxError("a <form> tag whose end is inside a tag", source.count("\n", 0, match.start()) + 1,
                                          name, filename)
            edits.append((match.end(), match.end(), hidden))
        for start, end, text in sorted(edits, reverse=True):
            source = source[:start] + text + source[end:]
        return source
