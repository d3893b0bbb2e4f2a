"""Exports: iCalendar feeds and CSV files of activities and participations.

Every one answers ``HEAD`` and ``If-None-Match`` (``web.conditional``); links in feeds are built from the
public URL (``settings.site_url``), never from the request's Host header. The CSV files follow the
calendar's filters (``kind``, ``centre``, ``city``, ``month``, ``when``; without ``when``: every date).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, HttpMethod, Request, route
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Response

from projections.calendar import Calendar
from projections.calendar_queries import CalendarFilter
from projections.centres import CentresDirectory
from web.activities.ics import calendar
from web.activities.pages import calendar_filter
from web.activities.tables import (
    ACTIVITY_COLUMNS, PARTICIPATION_COLUMNS, SPREADSHEET_ACTIVITY, SPREADSHEET_PARTICIPATION, machine_csv,
    spreadsheet_csv, spreadsheet_safe,
)
from web.conditional import conditional
from web.context import Services
from web.i18n import gettext as _
from web.labels import label
from web.paths import uuid_or_404

__all__ = ["ExportsController", "spreadsheet_safe", "feed_response"]

GET_HEAD = [HttpMethod.GET, HttpMethod.HEAD]


def activity_url(services: Services, activity_id: str) -> str:
    return f"{services.settings.site_url.rstrip('/')}/activities/{activity_id}"


def feed_response(
    request: Request[Any, Any, Any], services: Services, rows: list[dict[str, Any]], name: str, cache: str = "public"
) -> Response[bytes]:
    body = calendar(rows, services.settings.site_url, name, lambda kind: label("kind", kind))
    return conditional(request, body, "text/calendar", {"Vary": "Cookie"}, cache=cache)  # its name is in the UI's language


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"', "Vary": "Cookie"}


class ExportsController(Controller):
    @route("/calendar.ics", http_method=GET_HEAD, sync_to_thread=True, opt={"public": True})
    def network_calendar(self, request: Request, services: NamedDependency[Services]) -> Response[bytes]:
        return feed_response(request, services, Calendar.for_export(services.db), _("Mrezha"))

    @route("/centres/{centre_id:str}/calendar.ics", http_method=GET_HEAD, sync_to_thread=True)
    def centre_calendar(
        self, request: Request, centre_id: FromPath[str], services: NamedDependency[Services]
    ) -> Response[bytes]:
        centre = CentresDirectory.get(services.db, uuid_or_404(centre_id))
        if centre is None:
            raise NotFoundException()
        rows = Calendar.for_export(services.db, centre["id"])
        return feed_response(request, services, rows, centre["name"], cache="private")

    @route("/activities.csv", http_method=GET_HEAD, sync_to_thread=True)
    def activities_csv(
        self, request: Request, services: NamedDependency[Services], kind: FromQuery[str] = "",
        centre: FromQuery[str] = "", city: FromQuery[str] = "", month: FromQuery[str] = "", when: FromQuery[str] = "",
    ) -> Response[bytes]:
        rows = Calendar.filtered(services.db, _filter(kind, centre, city, month, when), services.app.today())
        return conditional(
            request, machine_csv(rows, ACTIVITY_COLUMNS), "text/csv", _attachment("mrezha-activities.csv"), cache="private"
        )

    @route("/participations.csv", http_method=GET_HEAD, sync_to_thread=True)
    def participations_csv(
        self, request: Request, services: NamedDependency[Services], kind: FromQuery[str] = "",
        centre: FromQuery[str] = "", city: FromQuery[str] = "", month: FromQuery[str] = "", when: FromQuery[str] = "",
    ) -> Response[bytes]:
        flt = _filter(kind, centre, city, month, when)
        rows = Calendar.participations_filtered(services.db, flt, services.app.today())
        return conditional(
            request, machine_csv(rows, PARTICIPATION_COLUMNS), "text/csv", _attachment("mrezha-participations.csv"),
            cache="private",
        )

    @route("/activities.spreadsheet.csv", http_method=GET_HEAD, sync_to_thread=True)
    def activities_spreadsheet(
        self, request: Request, services: NamedDependency[Services], kind: FromQuery[str] = "",
        centre: FromQuery[str] = "", city: FromQuery[str] = "", month: FromQuery[str] = "", when: FromQuery[str] = "",
    ) -> Response[bytes]:
        rows = Calendar.filtered(services.db, _filter(kind, centre, city, month, when), services.app.today())
        body = spreadsheet_csv(rows, SPREADSHEET_ACTIVITY, lambda row: activity_url(services, row["id"]))
        return conditional(request, body, "text/csv", _attachment("mrezha-activities-table.csv"), cache="private")

    @route("/participations.spreadsheet.csv", http_method=GET_HEAD, sync_to_thread=True)
    def participations_spreadsheet(
        self, request: Request, services: NamedDependency[Services], kind: FromQuery[str] = "",
        centre: FromQuery[str] = "", city: FromQuery[str] = "", month: FromQuery[str] = "", when: FromQuery[str] = "",
    ) -> Response[bytes]:
        flt = _filter(kind, centre, city, month, when)
        rows = Calendar.participations_filtered(services.db, flt, services.app.today())
        body = spreadsheet_csv(rows, SPREADSHEET_PARTICIPATION, lambda row: activity_url(services, row["activity_id"]))
        return conditional(request, body, "text/csv", _attachment("mrezha-participations-table.csv"), cache="private")


def _filter(kind: str, centre: str, city: str, month: str, when: str) -> CalendarFilter:
    return calendar_filter(kind, centre, city, month, when, otherwise="all")
