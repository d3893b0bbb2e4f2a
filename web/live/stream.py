"""One live page's stream of Server-Sent Events.

A live page names the read models it shows (``reads``), the partial the full page includes
(``template``) and how to build that partial's context. Whenever those read models have moved past
what the browser has, the stream renders the partial again, for this user, and sends it as one
``update`` event whose id is the position it shows; the page's ``sse-swap`` element takes the parts
it keeps live out of it (``web/static/live.js``), so nothing a user is typing is ever replaced.

Where the browser is: the ``Last-Event-ID`` it sends when it reconnects, or else the ``since`` the
page was rendered at (carried in the stream's URL). Either way an update projected while it was away
is sent as soon as it is back: nothing is lost, since each update holds the whole partial as of now.
The stream ends after ``Settings.live_stream_seconds`` with a ``close`` event, and the page opens a
new one from where it is; when a connection drops, the browser reconnects by itself with Last-Event-ID.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.response import ServerSentEvent, ServerSentEventMessage

from web.live.feed import LiveFeed

KEEP_ALIVE_SECONDS = 20.0  # a comment now and then: proxies close a quiet connection
RETRY_MILLISECONDS = 1000  # how soon the browser comes back when a stream ends


@dataclass(frozen=True)
class LiveView:
    reads: tuple[str, ...]  # the read models the partial shows
    template: str  # the partial the full page includes
    context: Callable[[], dict[str, Any]]  # built in a worker thread (it queries the read models)


def where_the_browser_is(request: Request[Any, Any, Any], since: str) -> int | None:
    """The position the browser's copy shows: its Last-Event-ID when it reconnects, the page's own otherwise."""
    for raw in (request.headers.get("last-event-id", ""), since):
        if raw.strip().isascii() and raw.strip().isdigit():
            return int(raw.strip())
    return None


def render(request: Request[Any, Any, Any], view: LiveView) -> str:
    template = request.app.template_engine.get_template(view.template)
    return template.render(**view.context(), request=request)


def live_stream(request: Request[Any, Any, Any], view: LiveView, since: str, lifetime: float) -> ServerSentEvent:
    feed: LiveFeed = request.app.state.live_feed
    shown = where_the_browser_is(request, since)

    async def events() -> AsyncIterator[ServerSentEventMessage]:
        nonlocal shown
        sent = ""  # the digest of the last update sent, so an unchanged partial is not sent again
        ends = time.monotonic() + lifetime
        feed.opened()
        try:
            yield ServerSentEventMessage(data=None, retry=RETRY_MILLISECONDS, comment="live")
            while (left := ends - time.monotonic()) > 0:
                moved = feed.moved()
                at = feed.position(view.reads) if feed.positions else 0
                if feed.positions and (shown is None or at > shown):
                    html = await asyncio.to_thread(render, request, view)
                    digest = hashlib.sha256(html.encode()).hexdigest()
                    # the first time, or when it changed; otherwise the browser only learns the position
                    changed = shown is None or digest != sent
                    yield ServerSentEventMessage(event="update", data=html if changed else None, id=at)
                    sent, shown = digest, at
                try:
                    await asyncio.wait_for(moved.wait(), min(left, KEEP_ALIVE_SECONDS))
                except asyncio.TimeoutError:
                    if time.monotonic() < ends:
                        yield ServerSentEventMessage(data=None, comment="")
            # the page opens a new stream from where it is (web/static/live.js), without an error
            yield ServerSentEventMessage(event="close", data="lifetime")
        finally:
            feed.closed()

    return ServerSentEvent(events(), headers={"Cache-Control": "no-store"})
