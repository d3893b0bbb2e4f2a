"""Who is asking: the session cookie becomes a ``User`` (or None) on every request,
and a guard keeps every route private unless it is marked public, and every
unsafe route closed unless it names the command it runs."""

from __future__ import annotations

from typing import Any

from litestar.concurrency import sync_to_thread
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from projections.network import NetworkGovernance
from web.context import Services
from web.policy import POLICY, User

SESSION_COOKIE = "mrezha_session"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def resolve_user(services: Services, token: str) -> User | None:
    """The account behind a session token, if the session and the account are both still good."""
    session = services.security.session(token)
    if session is None:
        return None
    account = services.app.accounts.account(session.account_id)
    if account is None or account.disabled or account.password_generation != session.password_generation:
        services.security.close_session(token)
        return None
    chair = NetworkGovernance.current_chair(services.db, services.app.today())
    standing = (
        services.db.fetchone("SELECT membership FROM network_centres WHERE id = ?", (str(account.centre_id),))
        if account.centre_id is not None else None
    )
    return User(
        account_id=account.id,
        username=account.username,
        display_name=account.display_name,
        role=account.role,
        centre_id=account.centre_id,
        is_chair=chair is not None and str(account.centre_id) == chair["centre_id"],
        in_good_standing=standing is not None and standing["membership"] == "admitted",
    )


class AuthenticationMiddleware(AbstractAuthenticationMiddleware):
    """Puts the current user in ``scope["user"]``: None for anonymous visitors, whom it lets through
    (the guard decides what they may see). The lookup reads the database, so it runs in a thread."""

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        token = connection.cookies.get(SESSION_COOKIE, "")
        if not token:
            return AuthenticationResult(user=None, auth=None)
        services: Services = connection.app.state.services
        return AuthenticationResult(user=await sync_to_thread(resolve_user, services, token), auth=None)


def current_user(connection: ASGIConnection[Any, Any, Any, Any]) -> User | None:
    """The signed-in user, or None (the authentication middleware runs on every route, every method)."""
    return connection.user


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
    command = command_of(handler)
    if command is None or command not in POLICY:
        raise PermissionDeniedException()
    if not POLICY[command].possible_for(user):
        raise PermissionDeniedException()


def command_of(handler: BaseRouteHandler) -> str | None:
    """The command a route runs: the name of the ``web.commands.Action`` in its ``opt``."""
    action = handler.opt.get("action")
    return action.name if action is not None else None
