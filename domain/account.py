"""A user account: who may act for which centre, and in which role. Changes are events,
so the audit sees who had which rights when. Passwords are never part of an event."""

from __future__ import annotations

import re
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.checks import Validation, check_choice, check_text
from domain.errors import InvalidField, RuleBroken

ROLES = ("coordinator", "member", "secretariat", "auditor")
CENTRE_ROLES = ("coordinator", "member")
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,39}")
PASSWORD_MIN = 10
PASSWORD_MAX = 200


def check_username(username: str) -> str:
    cleaned = username.strip().lower() if isinstance(username, str) else ""
    if not cleaned:
        raise InvalidField("username", "required")
    if not USERNAME.fullmatch(cleaned):
        raise InvalidField("username", "invalid_username")
    return cleaned


def check_password_strength(password: str, username: str = "") -> None:
    """A password is checked before its hash is kept; the password itself is never in an event."""
    if not isinstance(password, str) or len(password) < PASSWORD_MIN:
        raise InvalidField("password", "password_too_short", min_length=PASSWORD_MIN)
    if len(password) > PASSWORD_MAX:
        raise InvalidField("password", "too_long", max_length=PASSWORD_MAX)
    if username and username.lower() in password.lower():
        raise InvalidField("password", "password_has_username")


def check_role_and_centre(role: str, centre_id: UUID | None) -> None:
    check_choice("role", role, ROLES)
    if role in CENTRE_ROLES and centre_id is None:
        raise InvalidField("centre_id", "centre_needed")
    if role not in CENTRE_ROLES and centre_id is not None:
        raise InvalidField("centre_id", "no_centre_for_role")


class Account(Aggregate):
    class Opened(Aggregate.Created):
        username: str
        display_name: str
        role: str
        centre_id: UUID | None

    @event(Opened)
    def __init__(self, username: str, display_name: str, role: str, centre_id: UUID | None) -> None:
        self.username = username
        self.display_name = display_name
        self.role = role
        self.centre_id = centre_id
        self.disabled = False
        self.password_generation = 0

    @staticmethod
    def create_id(username: str) -> UUID:
        return uuid5(NAMESPACE_URL, "/mrezha/accounts/" + username.strip().lower())

    @classmethod
    def open(cls, *, username: str, display_name: str, role: str, centre_id: UUID | None) -> Account:
        check = Validation()
        username = check(check_username, username)
        display_name = check(check_text, "display_name", display_name, max_length=120)
        check(check_role_and_centre, role, centre_id)
        check.done()
        return cls(username=username, display_name=display_name, role=role, centre_id=centre_id)

    class RoleChanged(Aggregate.Event):
        role: str
        centre_id: UUID | None

    class Disabled(Aggregate.Event):
        reason: str

    class Enabled(Aggregate.Event):
        pass

    class PasswordChanged(Aggregate.Event):
        """The password changed: sessions opened with an earlier generation end."""

    def change_role(self, role: str, centre_id: UUID | None) -> None:
        check_role_and_centre(role, centre_id)
        if (role, centre_id) == (self.role, self.centre_id):
            raise RuleBroken("role", "same_role")
        self._role_changed(role, centre_id)

    def disable(self, reason: str) -> None:
        if self.disabled:
            raise RuleBroken(None, "account_disabled")
        self._disabled(check_text("reason", reason, max_length=500))

    def enable(self) -> None:
        if not self.disabled:
            raise RuleBroken(None, "account_enabled")
        self._enabled()

    def record_password_change(self) -> None:
        self._password_changed()

    @event(RoleChanged)
    def _role_changed(self, role: str, centre_id: UUID | None) -> None:
        self.role, self.centre_id = role, centre_id

    @event(Disabled)
    def _disabled(self, reason: str) -> None:
        self.disabled = True

    @event(Enabled)
    def _enabled(self) -> None:
        self.disabled = False

    @event(PasswordChanged)
    def _password_changed(self) -> None:
        self.password_generation += 1
