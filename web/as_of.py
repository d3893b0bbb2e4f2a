"""``?as_of=2026-06-01`` on any read page: the network as the record stood at the end of that day.

``AsOfMiddleware`` reads the parameter once (a bad one is a 400 page), and on an HTML answer keeps
the day on every link of the page and takes out every form and button that would send a command.
``services`` (the handlers' dependency) hands a GET with a day the scratch read models of that day
(``infra.as_of``) instead of the live ones; a first request waits for their replay a bounded time,
then shows "preparing…" and reloads itself.
"""

from __future__ import annotations

import dataclasses
import functools
import re
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
from litestar.types import ASGIApp, Message, Receive, Scope, Send

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


TEMPLATE_GLOBALS = {"as_of_day": as_of_day, "live_url": live_url}


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
    """Reads ``as_of`` once; on an HTML answer for a day, links keep it and commands are taken out."""

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
        await next_app(scope, receive, _rewriting(send, day))


def _rewriting(send: Send, day: date) -> Send:
    start: dict[str, Any] = {}
    body: list[bytes] = []

    async def rewriting_send(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = dict(message.get("headers", []))
            if headers.get(b"content-type", b"").startswith(b"text/html"):
                start.update(message)
                return
        elif message["type"] == "http.response.body" and start:
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            html = keep_day(b"".join(body).decode("utf-8"), day).encode("utf-8")
            headers = [(k, v) for k, v in start.get("headers", []) if k != b"content-length"]
            await send({**start, "headers": [*headers, (b"content-length", str(len(html)).encode())]})
            await send({"type": "http.response.body", "body": html, "more_body": False})
            return
        await send(message)

    return rewriting_send


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


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


# What a day's page changes, found by regular expressions (the scanning in C, Python only at each hit):
# the start of a command (a form that posts, an element with hx-post/put/patch/delete), to be left out
# to its matching end tag; a link of the site (href, hx-get, a form's action, double-quoted as every
# template writes them; the "now" links say data-live first and are left alone); a form that stays.
_COMMAND = re.compile(
    r"<(form)\b(?=[^>]*\smethod=\"post\")[^>]*>|<([a-zA-Z][a-zA-Z0-9-]*)\b(?=[^>]*\s(?:data-)?hx-(?:post|put|patch|delete)=)[^>]*>",
    re.IGNORECASE,
)
# A link's attribute is found by its name alone (a pattern that starts with a look-behind and a word
# boundary is tried at every position of the page, five times slower); keep_day then passes over a
# name that only ends a longer one (data-action) and the "now" links.
_LINK = re.compile(r"(href|hx-get|action)=\"([^\"]*)\"")
_FORM = re.compile(r"<form\b[^>]*>", re.IGNORECASE)
_LIVE = re.compile(r'\s(?:data-)?(?:hx-ext="sse"|sse-connect="[^"]*")')  # a live page's stream (web/live): not of a day


def _end_of(html: str, tag: str, start: int) -> int:
    """Where the element whose start tag ends at ``start`` ends (after its end tag; nested ones counted)."""
    depth, pattern = 1, re.compile(rf"<(/?){tag}\b[^>]*>", re.IGNORECASE)
    for match in pattern.finditer(html, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return match.end()
    return len(html)


def _without_commands(html: str) -> str:
    out, copied = [], 0
    while match := _COMMAND.search(html, copied):
        out.append(html[copied:match.start()])
        tag = (match.group(1) or match.group(2)).lower()
        void = tag in _VOID or match.group(0).endswith("/>")
        copied = match.end() if void else _end_of(html, tag, match.end())
    out.append(html[copied:])
    return "".join(out)


def keep_day(html: str, day: date) -> str:
    """The page with the day on its links and without its commands. Written here, with regular
    expressions rather than a parse-and-print library: everything else comes back byte for byte,
    and a day's page is to cost what a live page does."""
    hidden = f'<input type="hidden" name="{PARAM}" value="{day.isoformat()}">'

    def link(match: re.Match[str]) -> str:
        page, start = match.string, match.start()
        if start and (page[start - 1].isalnum() or page[start - 1] == "_") or page.endswith("data-live ", 0, start):
            return match.group(0)  # not at a word's start (data-action, xhref), or a "now" link
        value = unescape(match.group(2))
        changed = with_day(value, day)
        return match.group(0) if changed == value else f'{match.group(1)}="{escape(changed, quote=True)}"'

    html = _without_commands(html)
    if "sse" in html:  # both of _LIVE's forms say it
        html = _LIVE.sub("", html)
    html = _LINK.sub(link, html)
    return _FORM.sub(lambda form: form.group(0) + hidden, html)
