"""Security headers on every response, error pages included: no inline script, no framing, no sniffing."""

from __future__ import annotations

from litestar.types import Message, Scope

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)
HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
)


NO_STORE = (b"cache-control", b"no-store")


def kept_out_of_caches(scope: Scope) -> bool:
    """Every page for a signed-in user, and the CSV exports: no browser or proxy cache keeps them
    (the static files, the same for everyone, may be cached)."""
    path = scope.get("path", "")
    if path.startswith("/static/"):
        return False
    return scope.get("user") is not None or path.endswith(".csv")


async def add_security_headers(message: Message, scope: Scope) -> None:
    """A ``before_send`` hook: it sees every response the app sends, also those made before any
    middleware runs (the router's 404 and 405, the CSRF check's 403)."""
    if message["type"] == "http.response.start":
        headers = list(message.get("headers", []))
        if kept_out_of_caches(scope):
            headers = [(name, value) for name, value in headers if name.lower() != b"cache-control"] + [NO_STORE]
        present = {name.lower() for name, _ in headers}
        message["headers"] = [*headers, *((name, value) for name, value in HEADERS if name not in present)]
