"""Error pages and what they leave in the log: every 5xx with its traceback and a request id that the
page shows (so a person can quote it), every refusal and failed CSRF check as a security event."""

from __future__ import annotations

import logging
from typing import Any
from uuid import uuid4

from litestar import Request
from litestar.exceptions import HTTPException, PermissionDeniedException
from litestar.plugins.htmx import HTMXDetails
from litestar.response import Template
from litestar.types import Message, Scope

from infra.logs import security_event

log = logging.getLogger("mrezha.web")


def request_id(scope: Scope) -> str:
    """The request's id, made when first asked for: the error page, the log line and the
    ``X-Request-Id`` header all give the same one."""
    state = scope.setdefault("state", {})  # type: ignore[typeddict-item]
    if "request_id" not in state:
        state["request_id"] = uuid4().hex[:16]
    return str(state["request_id"])


async def add_request_id(message: Message, scope: Scope) -> None:
    """A ``before_send`` hook: every response names its request."""
    if message["type"] == "http.response.start":
        message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id(scope).encode())]


def http_error_page(request: Request[Any, Any, Any], exc: Exception) -> Template:
    """4xx and 5xx (an unexpected error too) as a page that looks like the rest (a fragment when htmx
    asked); a 5xx is logged with its traceback, a 403 as a security event."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    rid = request_id(request.scope)
    where = {"request_id": rid, "method": request.method, "path": request.url.path}
    if status >= 500:
        log.error("%s %s answered %s", request.method, request.url.path, status, exc_info=exc, extra=where)
    elif isinstance(exc, PermissionDeniedException):
        user = request.scope.get("user")
        event = "csrf_failed" if "CSRF" in str(exc.detail) else "refused"
        security_event(event, **where, user=getattr(user, "username", "-"), address=_address(request))
    template = "_error.html" if HTMXDetails(request) else "error.html"
    return Template(template_name=template, context={"status": status, "request_id": rid}, status_code=status)


def _address(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "-"
