"""Who is asking: the session cookie becomes a ``User`` (or None) on every request,
and a guard keeps every route private unless it is marked public, and every
unsafe route closed unless it names the command it runs."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from litestar.concurrency import sync_to_thread
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.middleware.csrf import CSRF_SECRET_LENGTH, generate_csrf_hash
from litestar.response import Response

from infra.settings import Settings

from projections.network import NetworkGovernance
from web.context import Services
from web.policy import POLICY, User

SESSION_COOKIE = "mrezha_session"
CSRF_COOKIE = "csrftoken"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def session_cookie(settings: Settings) -> str:
    """Over https the cookies are Secure and ``__Host-`` prefixed: no subdomain can set or read them."""
    return f"__Host-{SESSION_COOKIE}" if settings.is_https else SESSION_COOKIE


def csrf_cookie(settings: Settings) -> str:
    return f"__Host-{CSRF_COOKIE}" if settings.is_https else CSRF_COOKIE


def bound_csrf_secret(settings: Settings, session_token: str) -> str:
    """The CSRF token's secret part for a session: derived from the session's own token, so a token is
    good for one session only, and a sign-in (a new session) brings a new one."""
    digest = hmac.new(settings.secret_key.encode(), b"csrf:" + session_token.encode(), hashlib.sha256)
    return digest.hexdigest()[:CSRF_SECRET_LENGTH]


def start_session(response: Response[Any], settings: Settings, token: str, secure: bool) -> None:
    """The cookies of a new session: the session's token and a CSRF token bound to it."""
    secure = secure or settings.is_https
    secret = bound_csrf_secret(settings, token)
    response.set_cookie(session_cookie(settings), token, httponly=True, samesite="lax", secure=secure, path="/")
    response.set_cookie(
        csrf_cookie(settings), secret + generate_csrf_hash(secret, settings.secret_key), httponly=True,
        samesite="strict", secure=secure, path="/",
    )


def csrf_bound_to_session(connection: ASGIConnection[Any, Any, Any, Any], settings: Settings) -> bool:
    """Whether the request's CSRF token (already checked against its cookie by litestar) is its session's."""
    token = connection.cookies.get(session_cookie(settings), "")
    sent = connection.cookies.get(csrf_cookie(settings), "")
    return bool(token) and hmac.compare_digest(sent[:CSRF_SECRET_LENGTH], bound_csrf_secret(settings, token))


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
        services: Services = connection.app.state.services
        token = connection.cookies.get(session_cookie(services.settings), "")
        if not token:
            return AuthenticationResult(user=None, auth=None)
        return AuthenticationResult(user=await sync_to_thread(resolve_user, services, token), auth=None)


def current_user(connection: ASGIConnection[Any, Any, Any, Any]) -> User | None:
    """The signed-in user, or None (the authentication middleware runs on every route, every method)."""
    return connection.user


async def access_guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """Private by default; unsafe routes must name their command, and the role must be able to run it.
    A coroutine, though it awaits nothing: litestar runs a plain function guard in a worker thread, a
    hop on every request for a few comparisons."""
    opt = handler.opt
    if opt.get("public"):
        return
    user = current_user(connection)
    if user is None:
        raise NotAuthorizedException()
    if connection.scope.get("method") not in UNSAFE:
        return
    if not csrf_bound_to_session(connection, connection.app.state.services.settings):
        raise PermissionDeniedException()  # a CSRF token of another session, or of none
    command = command_of(handler)
    if command is None or command not in POLICY:
        raise PermissionDeniedException()
    if not POLICY[command].possible_for(user):
        raise PermissionDeniedException()


def command_of(handler: BaseRouteHandler) -> str | None:
    """The command a route runs: the name of the ``web.commands.Action`` in its ``opt``."""
    action = handler.opt.get("action")
    return action.name if action is not None else None
