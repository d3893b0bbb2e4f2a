"""Commands on accounts: opened, role changed, disabled, enabled, password changed.

Password hashes and sessions are kept beside the event store, never in an event:
the application is handed a ``PasswordStore`` by the composition root.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.persistence import IntegrityError

from application.base import Commands, PasswordStore
from domain.account import Account, check_password_strength
from domain.centre import Centre
from domain.errors import InvalidField, RuleBroken, UnknownCentre


class Accounts(Commands):
    def open_account(
        self, *, username: str, display_name: str, role: str, centre_id: UUID | None, password: str
    ) -> tuple[UUID, int]:
        account = Account.open(username=username, display_name=display_name, role=role, centre_id=centre_id)
        check_password_strength(password, account.username, self._names(display_name, centre_id))
        if centre_id is not None and self._get(centre_id, Centre) is None:
            raise UnknownCentre("centre_id")
        if self._get(account.id, Account) is not None:
            raise RuleBroken("username", "username_taken")
        try:
            notification_id = self._save(account)
        except IntegrityError:
            raise RuleBroken("username", "username_taken") from None
        self._passwords().set_password(account.id, password)
        return account.id, notification_id

    def change_password(self, account_id: UUID, current: str, new: str) -> int:
        account = self._get(account_id, Account)
        if account is None or not self._passwords().check_password(account_id, current):
            raise InvalidField("current_password", "wrong_password")
        check_password_strength(new, account.username, self._names(account.display_name, account.centre_id))
        self._passwords().set_password(account_id, new)
        return self._change(account_id, Account, lambda a: a.record_password_change())

    def reset_password(self, account_id: UUID, new: str) -> int:
        account = self._get(account_id, Account)
        if account is None:
            raise UnknownCentre("account_id")
        check_password_strength(new, account.username, self._names(account.display_name, account.centre_id))
        self._passwords().set_password(account_id, new)
        return self._change(account_id, Account, lambda a: a.record_password_change())

    def change_account_role(self, account_id: UUID, role: str, centre_id: UUID | None) -> int:
        if centre_id is not None and self._get(centre_id, Centre) is None:
            raise UnknownCentre("centre_id")
        return self._change(account_id, Account, lambda a: a.change_role(role, centre_id))

    def disable_account(self, account_id: UUID, reason: str) -> int:
        notification_id = self._change(account_id, Account, lambda a: a.disable(reason))
        self._passwords().close_sessions_of(account_id)
        return notification_id

    def enable_account(self, account_id: UUID) -> int:
        return self._change(account_id, Account, lambda a: a.enable())

    def account(self, account_id: UUID) -> Account | None:
        """The account as recorded: sign-in and every session check read the source of truth,
        so a disabled account or a changed password takes effect at once."""
        return self._get(account_id, Account)

    def account_named(self, username: str) -> Account | None:
        return self._get(Account.create_id(username), Account) if username else None

    def _passwords(self) -> PasswordStore:
        if self.app.passwords is None:
            raise RuntimeError("accounts need the application's password store (MrezhaApplication(passwords=...))")
        return self.app.passwords

    def _names(self, display_name: str, centre_id: UUID | None) -> tuple[str, ...]:
        """The names a password may not be made of: the person's and their centre's."""
        centre = self._get(centre_id, Centre) if centre_id is not None else None
        return (display_name, centre.name, centre.city) if centre is not None else (display_name,)
