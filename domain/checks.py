"""Small ``check_*`` helpers that aggregate methods call to keep their invariants."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, TypeVar, cast

from domain.errors import DatesOutOfOrder, DomainError, InvalidField, InvalidFields

T = TypeVar("T")

DATE_MIN, DATE_MAX = date(2000, 1, 1), date(2100, 12, 31)
"""Every date the platform accepts lies here: a date near year 9999 breaks feeds that add a day to it."""


class Validation:
    """Runs several checks and reports every failing field at once."""

    def __init__(self) -> None:
        self.errors: list[DomainError] = []

    def __call__(self, check: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        try:
            return check(*args, **kwargs)
        except DomainError as error:
            self.add(error)
            # The value as given (or None) stands in for the checked one until ``done`` raises.
            return cast(T, args[1] if len(args) > 1 else None)

    def add(self, error: DomainError) -> None:
        """One more failing field (or several, from a check that already reports them together)."""
        self.errors.extend(error.errors if isinstance(error, InvalidFields) else [error])

    def passed(self, *fields: str) -> bool:
        """Whether none of these fields has failed so far: the checks that compare them may run."""
        return not {error.field for error in self.errors} & set(fields)

    def done(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise InvalidFields(self.errors)


def check_text(field: str, value: str, *, max_length: int, required: bool = True) -> str:
    """Return the value stripped of surrounding blanks, or raise for a missing or overlong one."""
    if not isinstance(value, str):
        raise InvalidField(field, "invalid")
    cleaned = value.strip()
    if required and not cleaned:
        raise InvalidField(field, "required")
    if len(cleaned) > max_length:
        raise InvalidField(field, "too_long", max_length=max_length)
    if any(ord(ch) < 32 and ch not in "\n\t\r" for ch in cleaned):
        raise InvalidField(field, "invalid")
    return cleaned


def check_choice(field: str, value: str, choices: Iterable[str]) -> str:
    if value not in tuple(choices):
        raise InvalidField(field, "invalid_choice")
    return value


def check_link(field: str, value: str, *, max_length: int = 500) -> str:
    """An optional http(s) link."""
    cleaned = check_text(field, value, max_length=max_length, required=False)
    if cleaned and not cleaned.lower().startswith(("http://", "https://")):
        raise InvalidField(field, "invalid_link")
    return cleaned


def check_date_range(field: str, value: date) -> date:
    """A date, and a sane one (``DATE_MIN``..``DATE_MAX``)."""
    if not isinstance(value, date):
        raise InvalidField(field, "invalid_date")
    if not DATE_MIN <= value <= DATE_MAX:
        raise InvalidField(field, "date_out_of_range")
    return value


def check_dates(starts_on: date, ends_on: date) -> None:
    check_date_range("starts_on", starts_on)
    check_date_range("ends_on", ends_on)
    if ends_on < starts_on:
        raise DatesOutOfOrder("ends_on")
    if (ends_on - starts_on).days > 366:
        raise InvalidField("ends_on", "too_long_span")


def check_positive(field: str, value: int | None, *, maximum: int = 1_000_000) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0 or value > maximum:
        raise InvalidField(field, "invalid_number")
    return value
