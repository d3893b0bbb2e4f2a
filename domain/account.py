"""A user account: who may act for which centre, and in which role. Changes are events,
so the audit sees who had which rights when. Passwords are never part of an event."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
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


COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")  # its source and licence are in its header
_LETTERS = re.compile(r"[^\W\d_]+")  # runs of letters, in any script


@cache
def common_passwords() -> frozenset[str]:
    """The 10,000 most common passwords (lower case), shipped with the package."""
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.lower() for line in lines if line and not line.startswith("# "))


def _name_words(names: Iterable[str]) -> set[str]:
    return {word for name in names for word in _LETTERS.findall(name.lower()) if len(word) >= 3}


def check_password_strength(password: str, username: str = "", names: Iterable[str] = ()) -> None:
    """A password is checked before its hash is kept; the password itself is never in an event.
    Refused: too short or long, one of the most common ones, one holding the user name, or one whose
    letters are only words of the user's or the centre's names (``names``: "Dobrich2026!")."""
    if not isinstance(password, str) or len(password) < PASSWORD_MIN:
        raise InvalidField("password", "password_too_short", min_length=PASSWORD_MIN)
    if len(password) > PASSWORD_MAX:
        raise InvalidField("password", "too_long", max_length=PASSWORD_MAX)
    lowered = password.lower()
    if lowered in common_passwords():
        raise InvalidField("password", "password_too_common")
    if username and username.lower() in lowered:
        raise InvalidField("password", "password_has_username")
    words = _LETTERS.findall(lowered)
    if words and set(words) <= _name_words([*names, username]):
        raise InvalidField("password", "password_has_name")


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
