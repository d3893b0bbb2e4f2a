"""Who is asking: the session cookie becomes a ``User`` (or None) on every request,
and a guard keeps every route private unless it is marked public, and every
unsafe route closed unless it names the command it runs."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.types import ASGIApp, Receive, Scope, Send

from web.policy import POLICY, User

SESSION_COOKIE = "mrezha_session"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def resolve_user(services: Any, token: str) -> User | None:
    """The account behind a session token, if the session and the account are both still good."""
    session = services.security.session(token)
    if session is None:
        return None
    account = services.app.accounts.account(session.account_id)
    if account is None or account.disabled or account.password_generation != session.password_generation:
        services.security.close_session(token)
        return None
    chair = services.chair_centre_id()
    return User(
        account_id=account.id,
        username=account.username,
        display_name=account.display_name,
        role=account.role,
        centre_id=account.centre_id,
        is_chair=chair is not None and account.centre_id == chair,
    )


def _cookie(scope: Scope, name: str) -> str:
    for header, value in scope.get("headers", []):
        if header == b"cookie":
            for part in value.decode("latin-1").split(";"):
                key, _, raw = part.strip().partition("=")
                if key == name:
                    return raw
    return ""


class AuthenticationMiddleware:
    """Puts the current user (or None) in ``scope["user"]``; the lookup runs in a thread."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            token = _cookie(scope, SESSION_COOKIE)
            user = None
            if token:
                from anyio import to_thread

                services = scope["litestar_app"].state.services
                user = await to_thread.run_sync(resolve_user, services, token)
            scope["user"] = user
        await self.app(scope, receive, send)


def current_user(connection: ASGIConnection[Any, Any, Any, Any]) -> User | None:
    return connection.scope.get("user")


def access_guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """Private by default; unsafe routes must name their command, and the role must be able to run it."""
    opt = handler.opt
    if opt.get("public"):
        return
    user = current_user(connection)
    if user is None:
        raise NotAuthorizedException()
    if connection.scope.get("method") not in UNSAFE:
        return
    command = command_of(handler, connection.path_params)
    if command is None or command not in POLICY:
        raise PermissionDeniedException()
    if not POLICY[command].possible_for(user):
        raise PermissionDeniedException()


def command_of(handler: BaseRouteHandler, path_params: dict[str, Any]) -> str | None:
    if "command" in handler.opt:
        return handler.opt["command"]
    prefix = handler.opt.get("command_prefix")
    if prefix and "action" in path_params:
        return f"{prefix}.{path_params['action']}"
    return None
