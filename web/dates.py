"""Dates and times as people read them: 26.11.2026 г. in Bulgarian, 26 Nov 2026 in English, times
in Sofia's local time; and the machine forms for ``<time datetime>``, without microseconds."""

from __future__ import annotations

from datetime import date, datetime, timezone
from functools import lru_cache

from babel import Locale
from babel.dates import format_date, format_datetime

from domain.network import SOFIA
from web.i18n import current_locale

NBSP = "\u00a0"
_DATE = {"bg": "dd.MM.y", "en": "d MMM y"}


def _as_date(value: date | str | None) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _as_moment(value: datetime | str | None) -> datetime | None:
    if value is None or value == "":
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@lru_cache(maxsize=8)
def _locale(code: str) -> Locale:
    """Parsed once per language: babel parses a locale name afresh on every call it is given one."""
    return Locale.parse(code)


def day(value: date | str | None) -> str:
    """A date the way the reader's language writes it (never broken across lines)."""
    found = _as_date(value)
    if found is None:
        return ""
    return _written(found, current_locale.get())


@lru_cache(maxsize=4096)
def _written(found: date, locale: str) -> str:
    """Babel takes a quarter of a millisecond a date; a calendar page shows dozens, mostly the same few."""
    text = format_date(found, _DATE.get(locale, _DATE["en"]), locale=_locale(locale))
    return f"{text}{NBSP}г." if locale == "bg" else text.replace(" ", NBSP)


def moment(value: datetime | str | None) -> str:
    """A recorded time in Sofia's local time, with its date written the reader's way."""
    found = _as_moment(value)
    if found is None:
        return ""
    local = found.astimezone(SOFIA)
    return f"{day(local.date())}, {format_datetime(local, 'HH:mm', locale=_locale(current_locale.get()))}"


def machine_moment(value: datetime | str | None) -> str:
    """For ``<time datetime>``: UTC to the second (the HTML rules refuse microseconds)."""
    found = _as_moment(value)
    return found.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if found else ""


FILTERS = {"day": day, "moment": moment, "machine_moment": machine_moment}
