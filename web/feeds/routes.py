"""Calendar subscriptions: a secret URL per centre and per user, for Google, Outlook and Thunderbird.

``GET /feeds/{token}/calendar.ics`` is open to anyone holding the token (the token is the authorisation:
the guard lets the route through, the handler finds the scope by the token's digest, 404 otherwise).
Showing, rotating and revoking a URL are POSTs with the CSRF token, authorised like any command
(``centre.feed-rotate`` for the centre's coordinator and the secretariat, ``account.own-feed-rotate``
for each signed-in user); they change no domain fact, so they record no event.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, HttpMethod, Request, get, post, route
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from infra.feed_tokens import FeedTokens, account_scope, centre_scope
from projections.calendar import Calendar
from projections.centres import CentresDirectory
from web.activities.exports import feed_response
from web.auth import current_user
from web.commands import Action, action_of
from web.context import Services
from web.i18n import gettext as _
from web.paths import uuid_or_404
from web.policy import Subject, can


def feed_url(services: Services, token: str | None) -> str | None:
    if token is None:
        return None
    return f"{services.settings.site_url.rstrip('/')}/feeds/{token}/calendar.ics"


def subscription(services: Services, scope: str) -> dict[str, Any]:
    """What a page shows of a scope's subscription: its URL (None: none yet) and since when."""
    tokens: FeedTokens = services.feed_tokens
    url = feed_url(services, tokens.token(scope))
    return {"url": url, "webcal": url.replace("https://", "webcal://").replace("http://", "webcal://") if url else None,
            "since": tokens.created_at(scope)}


class FeedsController(Controller):
    @route("/feeds/{token:str}/calendar.ics", http_method=[HttpMethod.GET, HttpMethod.HEAD], sync_to_thread=True,
           opt={"public": True})
    def subscribed(self, request: Request, token: FromPath[str], services: NamedDependency[Services]) -> Response[bytes]:
        scope = services.feed_tokens.scope_of(token)
        if scope is None:
            raise NotFoundException()
        kind, _sep, ident = scope.partition(":")
        if kind == "centre":
            centre = CentresDirectory.get(services.db, ident)
            if centre is None:
                raise NotFoundException()
            return feed_response(request, services, Calendar.for_export(services.db, ident), centre["name"], "private")
        account = services.app.accounts.account(uuid_or_404(ident))
        if account is None or account.disabled:
            raise NotFoundException()  # a disabled account's URL stops with it
        rows = Calendar.for_export(services.db, str(account.centre_id) if account.centre_id else "")
        return feed_response(request, services, rows, _("Mrezha: my activities"), "private")

    # A centre's subscription ---------------------------------------------------------------------

    @post("/centres/{centre_id:str}/feed-rotate", sync_to_thread=True, opt={"action": Action("centre.feed-rotate")})
    def rotate_centre(self, request: Request, centre_id: FromPath[str], services: NamedDependency[Services]) -> Redirect:
        services.feed_tokens.rotate(centre_scope(self._own_centre(request, services, centre_id)))
        return Redirect(f"/centres/{centre_id}#calendar-subscription", status_code=303)

    @post("/centres/{centre_id:str}/feed-revoke", sync_to_thread=True, opt={"action": Action("centre.feed-revoke")})
    def revoke_centre(self, request: Request, centre_id: FromPath[str], services: NamedDependency[Services]) -> Redirect:
        services.feed_tokens.revoke(centre_scope(self._own_centre(request, services, centre_id)))
        return Redirect(f"/centres/{centre_id}#calendar-subscription", status_code=303)

    @staticmethod
    def _own_centre(request: Request, services: Services, centre_id: str) -> str:
        """The centre, when it exists and the user may manage its subscription (403 otherwise)."""
        uuid = uuid_or_404(centre_id)
        if CentresDirectory.get(services.db, uuid) is None:
            raise NotFoundException()
        if not can(current_user(request), action_of(request).name, Subject(owner_centre_id=uuid)):
            raise PermissionDeniedException()
        return str(uuid)

    # The user's own ------------------------------------------------------------------------------

    @get("/account/calendar", sync_to_thread=True)
    def own(self, request: Request, services: NamedDependency[Services]) -> Template:
        user = current_user(request)
        assert user is not None  # the guard sent anonymous visitors to sign in
        return Template(
            template_name="feeds/account.html",
            context={"subscription": subscription(services, account_scope(user.account_id)),
                     "has_centre": user.centre_id is not None},
        )

    @post("/account/own-feed-rotate", sync_to_thread=True, opt={"action": Action("account.own-feed-rotate")})
    def rotate_own(self, request: Request, services: NamedDependency[Services]) -> Redirect:
        user = current_user(request)
        assert user is not None
        services.feed_tokens.rotate(account_scope(user.account_id))
        return Redirect("/account/calendar", status_code=303)

    @post("/account/own-feed-revoke", sync_to_thread=True, opt={"action": Action("account.own-feed-revoke")})
    def revoke_own(self, request: Request, services: NamedDependency[Services]) -> Redirect:
        user = current_user(request)
        assert user is not None
        services.feed_tokens.revoke(account_scope(user.account_id))
        return Redirect("/account/calendar", status_code=303)
