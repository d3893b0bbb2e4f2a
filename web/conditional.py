"""Answers machines poll: an ``ETag`` from the body, ``304 Not Modified`` for a client that has it already,
and ``HEAD`` answered with the same headers and no body.

Feeds, exports and the open-data API are read far more often than they change; a calendar client that
polls every hour then costs a hash and a few headers. The tag is computed from the body (a weak
validator would do as well; a strong one costs nothing more here).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from litestar import Request
from litestar.response import Response
from litestar.status_codes import HTTP_304_NOT_MODIFIED


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def matches(header: str, etag: str) -> bool:
    """``If-None-Match`` holds the tag (or ``*``); weak tags compare equal to strong ones (RFC 9110 13.1.2)."""
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in tags or etag in tags


def conditional(
    request: Request[Any, Any, Any],
    body: bytes,
    media_type: str,
    headers: Mapping[str, str] | None = None,
    max_age: int = 300,
    cache: str = "public",
) -> Response[bytes]:
    """The body with its validator; 304 when the client's copy is current; no body for HEAD.

    ``media_type`` is given bare (``text/csv``): litestar adds ``; charset=utf-8`` to ``text/*`` itself,
    so the header holds exactly one charset. ``cache`` is ``private`` for what a secret URL answers."""
    etag = etag_of(body)
    common = {"ETag": etag, "Cache-Control": f"{cache}, max-age={max_age}", **(headers or {})}
    if matches(request.headers.get("if-none-match", ""), etag):
        return Response(b"", status_code=HTTP_304_NOT_MODIFIED, headers=common, media_type=media_type)
    if request.method == "HEAD":
        return Response(b"", media_type=media_type, headers={**common, "Content-Length": str(len(body))})
    return Response(body, media_type=media_type, headers=common)
