"""Accounts, managed by the secretariat: open, change role, disable, enable, reset a password; and the
session pages: signing in and out, and changing one's own password.

Each command is one route: its ``Action`` (the command's name and its form) in the route's ``opt``, and
the one application method it calls in its body."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromPath, FromQuery
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from application.actor import acting_as
from domain.account import ROLES, Account
from domain.errors import DomainError
from infra.security import ADDRESS_DELAY_MAX, NAME_DELAY_MAX
from projections.accounts import AccountsList
from projections.centres import CentresDirectory
from infra.logs import security_event
from web.errors import request_id
from web.accounts.forms import AccountForm, PasswordResetForm, RoleForm
from web.auth import current_user, session_cookie, start_session
from web.commands import Action, Outcome, action_of, answer, answer_created, run_command
from web.context import Services
from web.forms import Form, NoFields, ReasonForm, command_fields
from web.i18n import gettext as _
from web.labels import label
from web.messages import field_errors
from web.paths import uuid_or_404
from web.policy import may_read_accounts


def accounts_context(services: Services, outcome: Outcome | None = None, failed: str = "", account: str = "") -> dict[str, Any]:
    outcome = outcome or Outcome(ok=True)
    return {
        "accounts": AccountsList.all(services.db),
        "role_options": [(role, label("role", role)) for role in ROLES],
        "centre_options": [(c["id"], c["name"]) for c in CentresDirectory.all(services.db)],
        "errors": outcome.errors,
        "values": {k: v for k, v in outcome.values.items() if "password" not in k},
        "failed": failed,
        "failed_account": account,
        "done": outcome.ok and bool(failed or outcome.result),
        "pending": outcome.pending,
    }


def on_account(
    request: HTMXRequest, services: Services, account_id: str, data: Form, call: Callable[[UUID, Any], Any]
) -> Template | Redirect:
    """Runs the route's command on one account (``call`` gets its id and the parsed form) and answers
    with the list of accounts."""
    uuid = uuid_or_404(account_id)
    outcome = run_command(request, services, data, lambda form: call(uuid, form))
    form_id = action_of(request).form_id
    return answer(
        request, outcome, done="/accounts", page="accounts/index.html", panel="accounts/_panel.html",
        context=lambda: accounts_context(services, outcome, form_id if not outcome.ok else "", account_id),
    )


class AccountsController(Controller):
    path = "/accounts"

    @get("/", sync_to_thread=True)
    def list(self, request: Request, services: NamedDependency[Services]) -> Template:
        if not may_read_accounts(current_user(request)):
            raise PermissionDeniedException()
        return Template(template_name="accounts/index.html", context=accounts_context(services))

    # The commands ------------------------------------------------------------------------------

    @post("/", sync_to_thread=True, opt={"action": Action("account.open", AccountForm)})
    def open(self, request: HTMXRequest, services: NamedDependency[Services], data: Form) -> Template | Redirect:
        outcome = run_command(
            request, services, data, lambda form: services.app.accounts.open_account(**command_fields(form))
        )
        return answer_created(
            request, outcome, done=lambda: "/accounts", page="accounts/index.html", panel="accounts/_panel.html",
            context=lambda: accounts_context(services, outcome, "" if outcome.ok else "open"),
        )

    @post("/{account_id:str}/role", sync_to_thread=True, opt={"action": Action("account.role", RoleForm)})
    def change_role(
        self, request: HTMXRequest, account_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_account(
            request, services, account_id, data,
            lambda uuid, form: services.app.accounts.change_account_role(uuid, form.role, form.centre_id),
        )

    @post("/{account_id:str}/disable", sync_to_thread=True, opt={"action": Action("account.disable", ReasonForm)})
    def disable(
        self, request: HTMXRequest, account_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_account(
            request, services, account_id, data,
            lambda uuid, form: services.app.accounts.disable_account(uuid, form.reason),
        )

    @post("/{account_id:str}/enable", sync_to_thread=True, opt={"action": Action("account.enable", NoFields)})
    def enable(
        self, request: HTMXRequest, account_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_account(
            request, services, account_id, data,
            lambda uuid, form: services.app.accounts.enable_account(uuid),
        )

    @post(
        "/{account_id:str}/reset-password", sync_to_thread=True,
        opt={"action": Action("account.reset-password", PasswordResetForm)},
    )
    def reset_password(
        self, request: HTMXRequest, account_id: FromPath[str], services: NamedDependency[Services], data: Form
    ) -> Template | Redirect:
        return on_account(
            request, services, account_id, data,
            lambda uuid, form: services.app.accounts.reset_password(uuid, form.password),
        )


# Signing in and out, and one's own password ------------------------------------------------------


def safe_next(target: str) -> str:
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name, "")
    return value[:200] if isinstance(value, str) else ""


def attempt_subjects(request: Request[Any, Any, Any], username: str) -> tuple[str, str]:
    """What a password attempt counts against: the name and the address it came from (the client's own,
    as uvicorn reports it behind a trusted proxy)."""
    return f"user:{username}", f"ip:{request.client.host if request.client else '?'}"


def throttled(request: Request[Any, Any, Any], services: Services, username: str) -> tuple[str, str] | None:
    """Slow down, never lock out: an address that keeps failing waits longer and longer (refused
    meanwhile, 429 with the seconds to wait); a name that keeps failing makes each attempt wait a few
    seconds (at most ``NAME_DELAY_MAX``) and then goes on, so its owner with the right password gets in."""
    name, address = attempt_subjects(request, username)
    wait = services.security.wait_before_next(address, ADDRESS_DELAY_MAX)
    if wait > 0:
        error = _("Too many failed attempts from your address. Wait %(seconds)s seconds and try again.") % {
            "seconds": math.ceil(wait)
        }
        return error, str(math.ceil(wait))
    time.sleep(services.security.wait_before_next(name, NAME_DELAY_MAX))
    return None


class SessionController(Controller):
    @get("/login", opt={"public": True})
    async def login_page(self, next: FromQuery[str] = "/") -> Template:
        return Template(template_name="login.html", context={"next": safe_next(next), "error": "", "username": ""})

    @post("/login", sync_to_thread=True, opt={"public": True})
    def login(self, request: Request, services: NamedDependency[Services], data: Form) -> Template | Redirect:
        # No user name holds a NUL; dropped, it cannot reach the throttling table (PostgreSQL's text refuses it)
        username, password = _text(data, "username").replace("\x00", "").strip().lower(), _text(data, "password")
        target = safe_next(_text(data, "next") or "/")
        context = {"next": target, "username": username}
        refused = throttled(request, services, username)
        if refused is not None:
            security_event("sign_in_throttled", username=username, address=attempt_subjects(request, username)[1][3:],
                           request_id=request_id(request.scope))
            return Template(template_name="login.html", context={**context, "error": refused[0]}, status_code=429,
                            headers={"Retry-After": refused[1]})
        account = services.app.accounts.account_named(username)
        good = services.security.check_password(Account.create_id(username or "-"), password)
        if account is None or account.disabled or not good:
            services.security.record_failure(*attempt_subjects(request, username))
            security_event("sign_in_failed", username=username, address=attempt_subjects(request, username)[1][3:],
                           request_id=request_id(request.scope))
            error = _("The user name or the password is wrong.")
            return Template(template_name="login.html", context={**context, "error": error}, status_code=401)
        # The name's count is cleared by its owner's success; the address's is not (one account of one's
        # own would clear it for a guesser)
        services.security.clear_failures(f"user:{username}")
        previous = request.cookies.get(session_cookie(services.settings), "")
        if previous:
            services.security.close_session(previous)  # a new sign-in in this browser ends the one before
        token = services.security.open_session(account.id, account.password_generation)
        response = Redirect(path=target, status_code=303)
        start_session(response, services.settings, token, secure=request.url.scheme == "https")
        return response

    @post("/logout", sync_to_thread=True, opt={"public": True})
    def logout(self, request: Request, services: NamedDependency[Services]) -> Redirect:
        name = session_cookie(services.settings)
        token = request.cookies.get(name, "")
        if token:
            services.security.close_session(token)
        response = Redirect(path="/", status_code=303)
        response.delete_cookie(name, path="/")
        return response

    @get("/account/password")
    async def password_page(self) -> Template:
        return Template(template_name="password.html", context={"errors": {}, "done": False})

    @post("/account/password", sync_to_thread=True, opt={"action": Action("account.own-password")})
    def change_password(self, request: Request, services: NamedDependency[Services], data: Form) -> Template:
        """Its three fields are read by hand: the new password is typed twice, and the session is renewed."""
        user = current_user(request)
        assert user is not None
        refused = throttled(request, services, user.username)
        if refused is not None:
            errors = {"current_password": refused[0]}
            return Template(template_name="password.html", context={"errors": errors, "done": False}, status_code=429,
                            headers={"Retry-After": refused[1]})
        if _text(data, "new_password") != _text(data, "repeat_password"):
            errors = {"repeat_password": _("The two new passwords differ.")}
            return Template(template_name="password.html", context={"errors": errors, "done": False}, status_code=422)
        try:
            with acting_as(user.username, str(user.centre_id or "")):
                services.app.accounts.change_password(user.account_id, _text(data, "current_password"), _text(data, "new_password"))
        except DomainError as error:
            if error.field == "current_password":  # a wrong current password counts as a failed sign-in
                services.security.record_failure(*attempt_subjects(request, user.username))
            errors = field_errors(error, ("current_password", "password"))
            errors["new_password"] = errors.pop("password", "") or errors.get("new_password", "")
            errors = {k: v for k, v in errors.items() if v}
            return Template(template_name="password.html", context={"errors": errors, "done": False}, status_code=422)
        # The change ended every session, this one too: open a fresh one for the person at the keyboard.
        account = services.app.accounts.account(user.account_id)
        assert account is not None
        token = services.security.open_session(user.account_id, account.password_generation)
        response = Template(template_name="password.html", context={"errors": {}, "done": True})
        start_session(response, services.settings, token, secure=request.url.scheme == "https")
        return response
