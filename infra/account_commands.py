"""Commands on accounts: one application method each, returning the notification id stored."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.persistence import IntegrityError

from domain.account import Account
from domain.centre import Centre
from domain.errors import InvalidField, RuleBroken, UnknownCentre
from infra.security import PASSWORD_MIN, Security


def check_password_strength(password: str, username: str = "") -> None:
    if not isinstance(password, str) or len(password) < PASSWORD_MIN:
        raise InvalidField("password", "password_too_short", min_length=PASSWORD_MIN)
    if len(password) > 200:
        raise InvalidField("password", "too_long", max_length=200)
    if username and username.lower() in password.lower():
        raise InvalidField("password", "password_has_username")


class AccountCommands:
    """Mixed into the application; ``security`` is set by the composition root."""

    security: Security | None = None

    def open_account(
        self, *, username: str, display_name: str, role: str, centre_id: UUID | None, password: str
    ) -> tuple[UUID, int]:
        account = Account.open(username=username, display_name=display_name, role=role, centre_id=centre_id)
        check_password_strength(password, account.username)
        if centre_id is not None and self._get(centre_id, Centre) is None:  # type: ignore[attr-defined]
            raise UnknownCentre("centre_id")
        if self._get(account.id, Account) is not None:  # type: ignore[attr-defined]
            raise RuleBroken("username", "username_taken")
        try:
            recordings = self.save(account)  # type: ignore[attr-defined]
        except IntegrityError:
            raise RuleBroken("username", "username_taken") from None
        self._security().set_password(account.id, password)
        return account.id, recordings[-1].notification.id

    def change_password(self, account_id: UUID, current: str, new: str) -> int:
        account = self._get(account_id, Account)  # type: ignore[attr-defined]
        if account is None or not self._security().check_password(account_id, current):
            raise InvalidField("current_password", "wrong_password")
        check_password_strength(new, account.username)
        self._security().set_password(account_id, new)
        return self._change(account_id, Account, lambda a: a.record_password_change())  # type: ignore[attr-defined]

    def reset_password(self, account_id: UUID, new: str) -> int:
        account = self._get(account_id, Account)  # type: ignore[attr-defined]
        if account is None:
            raise UnknownCentre("account_id")
        check_password_strength(new, account.username)
        self._security().set_password(account_id, new)
        return self._change(account_id, Account, lambda a: a.record_password_change())  # type: ignore[attr-defined]

    def change_account_role(self, account_id: UUID, role: str, centre_id: UUID | None) -> int:
        if centre_id is not None and self._get(centre_id, Centre) is None:  # type: ignore[attr-defined]
            raise UnknownCentre("centre_id")
        return self._change(account_id, Account, lambda a: a.change_role(role, centre_id))  # type: ignore[attr-defined]

    def disable_account(self, account_id: UUID, reason: str) -> int:
        notification_id = self._change(account_id, Account, lambda a: a.disable(reason))  # type: ignore[attr-defined]
        self._security().close_sessions_of(account_id)
        return notification_id

    def enable_account(self, account_id: UUID) -> int:
        return self._change(account_id, Account, lambda a: a.enable())  # type: ignore[attr-defined]

    def _security(self) -> Security:
        if self.security is None:
            raise RuntimeError("accounts need the application's security store (set app.security)")
        return self.security
