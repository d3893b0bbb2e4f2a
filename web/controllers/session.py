"""Signing in and out, and changing one's own password."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery
from litestar.response import Redirect, Template

from domain.account import Account
from domain.errors import DomainError
from application.actor import acting_as
from web.auth import SESSION_COOKIE, current_user
from web.context import Services
from web.i18n import gettext as _
from web.messages import field_errors

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def safe_next(target: str) -> str:
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name, "")
    return value[:200] if isinstance(value, str) else ""


class SessionController(Controller):
    @get("/login", opt={"public": True})
    async def login_page(self, next: FromQuery[str] = "/") -> Template:
        return Template(template_name="login.html", context={"next": safe_next(next), "error": "", "username": ""})

    @post("/login", sync_to_thread=True, opt={"public": True})
    def login(self, request: Request, services: NamedDependency[Services], data: Form) -> Template | Redirect:
        # No user name holds a NUL; dropped, it cannot reach the throttling table (PostgreSQL's text refuses it)
        username, password = _text(data, "username").replace("\x00", "").strip().lower(), _text(data, "password")
        target = safe_next(_text(data, "next") or "/")
        client = f"ip:{request.client.host if request.client else '?'}"
        subjects = (f"user:{username}", client)
        context = {"next": target, "username": username}
        if services.security.is_throttled(*subjects):
            error = _("Too many failed attempts. Wait a quarter of an hour and try again.")
            return Template(template_name="login.html", context={**context, "error": error}, status_code=429)
        account = services.app.accounts.account_named(username)
        good = services.security.check_password(Account.create_id(username or "-"), password)
        if account is None or account.disabled or not good:
            services.security.record_failure(*subjects)
            error = _("The user name or the password is wrong.")
            return Template(template_name="login.html", context={**context, "error": error}, status_code=401)
        services.security.clear_failures(*subjects)
        token = services.security.open_session(account.id, account.password_generation)
        response = Redirect(path=target, status_code=303)
        secure = request.url.scheme == "https"
        response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=secure, path="/")
        return response

    @post("/logout", sync_to_thread=True, opt={"public": True})
    def logout(self, request: Request, services: NamedDependency[Services]) -> Redirect:
        token = request.cookies.get(SESSION_COOKIE, "")
        if token:
            services.security.close_session(token)
        response = Redirect(path="/", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @get("/account/password")
    async def password_page(self) -> Template:
        return Template(template_name="password.html", context={"errors": {}, "done": False})

    @post("/account/password", sync_to_thread=True, opt={"command": "account.own-password"})
    def change_password(self, request: Request, services: NamedDependency[Services], data: Form) -> Template:
        user = current_user(request)
        assert user is not None
        if _text(data, "new_password") != _text(data, "repeat_password"):
            errors = {"repeat_password": _("The two new passwords differ.")}
            return Template(template_name="password.html", context={"errors": errors, "done": False}, status_code=422)
        try:
            with acting_as(user.username, str(user.centre_id or "")):
                services.app.accounts.change_password(user.account_id, _text(data, "current_password"), _text(data, "new_password"))
        except DomainError as error:
            errors = field_errors(error, ("current_password", "password"))
            errors["new_password"] = errors.pop("password", "") or errors.get("new_password", "")
            errors = {k: v for k, v in errors.items() if v}
            return Template(template_name="password.html", context={"errors": errors, "done": False}, status_code=422)
        # The change ended every session, this one too: open a fresh one for the person at the keyboard.
        account = services.app.accounts.account(user.account_id)
        token = services.security.open_session(user.account_id, account.password_generation)
        response = Template(template_name="password.html", context={"errors": {}, "done": True})
        response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=request.url.scheme == "https", path="/")
        return response
