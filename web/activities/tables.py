"""The activities and participations as CSV, in two dialects.

*Machine CSV* (``/activities.csv``): RFC 4180 — UTF-8 without a BOM, ``,``, the English column names and
the codes below, ISO dates; documented in the README ("CSV exports") and stable.

*Spreadsheet CSV* (``/activities.spreadsheet.csv``): what Excel opens with a double click under
Bulgarian regional settings — a UTF-8 BOM (without it Excel reads the bytes as Windows-1251 and
"Добри" turns into "Р”РѕР±СЂРё"), ``;`` between fields (the list separator where the decimal mark is a
comma), the column names and codes in the page's language, and dates as ``26.11.2026`` text: Excel
in the bg-BG locale reads dd.mm.yyyy as a date (a true date cell, sortable), LibreOffice too; an
ISO date or a serial number would show as text or a bare number to someone who opens it elsewhere.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from web.i18n import gettext as _
from web.labels import label
from web.messages import N_

Row = dict[str, Any]

ACTIVITY_COLUMNS = (
    "id", "title", "kind", "format", "status", "host_centre_id", "host_name", "starts_on", "ends_on", "city",
    "venue", "capacity", "expected_total", "participants", "young_people", "fewer_opportunities",
    "centres_attended",
)
PARTICIPATION_COLUMNS = (
    "activity_id", "title", "starts_on", "centre_id", "centre_name", "role", "expected_participants",
)

# column -> its header in the spreadsheet (translated when written); codes are shown by their label.
SPREADSHEET_HEADERS = {
    "title": N_("Title"), "kind": N_("Kind"), "format": N_("Format"), "status": N_("Status"),
    "host_name": N_("Host centre"), "starts_on": N_("Starts on"), "ends_on": N_("Ends on"), "city": N_("City"),
    "venue": N_("Venue"), "capacity": N_("Capacity"), "expected_total": N_("Expected participants"),
    "participants": N_("Participants"), "young_people": N_("Of them young people"),
    "fewer_opportunities": N_("With fewer opportunities or NEETs"), "centres_attended": N_("Centres that attended"),
    "centre_name": N_("Centre"), "role": N_("Role"), "expected_participants": N_("Expected participants"),
    "url": N_("Page"),
}
SPREADSHEET_ACTIVITY = (
    "title", "kind", "format", "status", "host_name", "starts_on", "ends_on", "city", "venue", "capacity",
    "expected_total", "participants", "young_people", "fewer_opportunities", "centres_attended", "url",
)
SPREADSHEET_PARTICIPATION = ("title", "starts_on", "centre_name", "role", "expected_participants", "url")
CODED = {"kind": "kind", "format": "format", "status": "status", "role": "role"}
DATES = {"starts_on", "ends_on"}

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def spreadsheet_safe(value: object) -> object:
    """Text a spreadsheet would run as a formula is kept as text (a leading apostrophe)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def bulgarian_date(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d.%m.%Y") if iso else ""


def machine_csv(rows: Iterable[Row], columns: tuple[str, ...]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({key: spreadsheet_safe(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue().encode("utf-8")


def spreadsheet_csv(rows: Iterable[Row], columns: tuple[str, ...], page_url: Callable[[Row], str]) -> bytes:
    """Headers and codes in the request's language, dd.mm.yyyy dates, ``;``, a BOM first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_(SPREADSHEET_HEADERS[column]) for column in columns])
    for row in rows:
        writer.writerow([spreadsheet_safe(_cell(row, column, page_url)) for column in columns])
    return (BOM + buffer.getvalue()).encode("utf-8")


def _cell(row: Row, column: str, page_url: Callable[[Row], str]) -> object:
    if column == "url":
        return page_url(row)
    value = row.get(column)
    if value is None:
        return ""
    if column in CODED:
        return label(CODED[column], value)
    if column in DATES:
        return bulgarian_date(value)
    return value
