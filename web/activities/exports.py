"""Exports: iCalendar feeds and CSV files of activities and participations."""

from __future__ import annotations

import csv
import io

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Response

from projections.calendar import Calendar
from projections.centres import CentresDirectory
from web.context import Services
from web.i18n import gettext as _
from web.activities.ics import calendar
from web.labels import label
from web.paths import uuid_or_404

ACTIVITY_COLUMNS = (
    "id", "title", "kind", "format", "status", "host_centre_id", "host_name", "starts_on", "ends_on", "city",
    "venue", "capacity", "expected_total", "participants", "young_people", "fewer_opportunities",
    "centres_attended",
)
PARTICIPATION_COLUMNS = (
    "activity_id", "title", "starts_on", "centre_id", "centre_name", "role", "expected_participants",
)


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """Text a spreadsheet would run as a formula is kept as text (a leading apostrophe)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv(rows: list[dict], columns: tuple[str, ...], filename: str) -> Response[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({key: spreadsheet_safe(value) for key, value in row.items()} for row in rows)
    return Response(
        buffer.getvalue(),
        media_type="text/csv",  # litestar adds "; charset=utf-8" to text/*
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


class ExportsController(Controller):
    @get("/calendar.ics", sync_to_thread=True, opt={"public": True})
    def network_calendar(self, request: Request, services: NamedDependency[Services]) -> Response[bytes]:
        body = calendar(Calendar.for_export(services.db), _base_url(request), _("Mrezha"), lambda kind: label("kind", kind))
        return Response(body, media_type="text/calendar")

    @get("/centres/{centre_id:str}/calendar.ics", sync_to_thread=True)
    def centre_calendar(
        self, request: Request, centre_id: FromPath[str], services: NamedDependency[Services]
    ) -> Response[bytes]:
        centre = CentresDirectory.get(services.db, uuid_or_404(centre_id))
        if centre is None:
            raise NotFoundException()
        rows = Calendar.for_export(services.db, centre["id"])
        return Response(calendar(rows, _base_url(request), centre["name"], lambda kind: label("kind", kind)), media_type="text/calendar")

    @get("/activities.csv", sync_to_thread=True)
    def activities_csv(self, services: NamedDependency[Services]) -> Response[str]:
        return _csv(Calendar.for_export(services.db), ACTIVITY_COLUMNS, "mrezha-activities.csv")

    @get("/participations.csv", sync_to_thread=True)
    def participations_csv(self, services: NamedDependency[Services]) -> Response[str]:
        return _csv(Calendar.participations_for_export(services.db), PARTICIPATION_COLUMNS, "mrezha-participations.csv")
