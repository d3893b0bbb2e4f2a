"""Accounts, managed by the secretariat: open, change role, disable, enable, reset a password."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest, HTMXTemplate
from litestar.response import Redirect, Template

from domain.account import ROLES
from projections.accounts import AccountsList
from projections.centres import CentresDirectory
from web.actions import Action
from web.auth import current_user
from web.commands import Outcome, answer, run_command
from web.context import Services
from web.controllers.centres import Form
from web.labels import role_label
from web.forms import AccountForm, NoFields, PasswordResetForm, ReasonForm, RoleForm, command_fields
from web.policy import may_read_accounts
from web.paths import known_or_404, uuid_or_404

ACCOUNT_ACTIONS: dict[str, Action] = {
    "role": Action(RoleForm, lambda app, i, form: app.accounts.change_account_role(i, form.role, form.centre_id)),
    "disable": Action(ReasonForm, lambda app, i, form: app.accounts.disable_account(i, form.reason)),
    "enable": Action(NoFields, lambda app, i, form: app.accounts.enable_account(i)),
    "reset-password": Action(PasswordResetForm, lambda app, i, form: app.accounts.reset_password(i, form.password)),
}


def accounts_context(services: Services, outcome: Outcome | None = None, failed: str = "", account: str = "") -> dict[str, Any]:
    outcome = outcome or Outcome(ok=True)
    return {
        "accounts": AccountsList.all(services.db),
        "role_options": [(role, role_label(role)) for role in ROLES],
        "centre_options": [(c["id"], c["name"]) for c in CentresDirectory.all(services.db)],
        "errors": outcome.errors,
        "values": {k: v for k, v in outcome.values.items() if "password" not in k},
        "failed": failed,
        "failed_account": account,
        "done": outcome.ok and bool(failed or outcome.result),
        "pending": outcome.pending,
    }


class AccountsController(Controller):
    path = "/accounts"

    @get("/", sync_to_thread=True)
    def list(self, request: Request, services: NamedDependency[Services]) -> Template:
        if not may_read_accounts(current_user(request)):
            raise PermissionDeniedException()
        return Template(template_name="accounts/index.html", context=accounts_context(services))

    @post("/", sync_to_thread=True, opt={"command": "account.open"})
    def open(self, request: HTMXRequest, services: NamedDependency[Services], data: Form) -> Template | Redirect:
        outcome = run_command(
            services, data, AccountForm, lambda form: services.app.accounts.open_account(**command_fields(form)),
            user=current_user(request), command="account.open",
        )
        if outcome.ok and not request.htmx:
            return Redirect(path="/accounts", status_code=303)
        context = accounts_context(services, outcome, "" if outcome.ok else "open")
        name = "accounts/_panel.html" if request.htmx else "accounts/index.html"
        return HTMXTemplate(template_name=name, context=context, status_code=201 if outcome.ok else 422)

    @post("/{account_id:str}/{action:str}", sync_to_thread=True, opt={"command_prefix": "account"})
    def act(
        self, request: HTMXRequest, account_id: FromPath[str], action: FromPath[str],
        services: NamedDependency[Services], data: Form,
    ) -> Template | Redirect:
        uuid = uuid_or_404(account_id)
        command = known_or_404(ACCOUNT_ACTIONS, action)
        outcome = run_command(
            services, data, command.form, lambda form: command.run(services.app, uuid, form),
            user=current_user(request), command=f"account.{action}",
        )
        return answer(
            request, outcome, done="/accounts", page="accounts/index.html", panel="accounts/_panel.html",
            context=lambda: accounts_context(services, outcome, action if not outcome.ok else "", account_id),
        )
