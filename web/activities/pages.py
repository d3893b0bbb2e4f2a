"""What the activity pages show: the calendar with its filters, and one activity with its participants,
presentations and history."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from litestar.exceptions import NotFoundException

from domain.activity import FORMATS, KINDS
from projections.calendar import Calendar
from projections.calendar_queries import CalendarFilter
from projections.centres import CentresDirectory
from projections.sql import Row
from projections.timeline import Timeline
from web.activities.structured_data import event, json_ld
from web.commands import Outcome
from web.context import Services
from web.labels import label
from web.policy import User


def calendar_filter(
    kind: str, centre: str, city: str, month: str, when: str, otherwise: str = "upcoming"
) -> CalendarFilter:
    """Unknown filter values are dropped rather than refused: a filter link never breaks. Without ``when``
    the page shows what is coming (``otherwise``); an export holds everything (``all``)."""
    return CalendarFilter(
        kind=kind if kind in KINDS else "",
        centre_id=centre if re.fullmatch(r"[0-9a-f-]{36}", centre) else "",
        city=city.replace("\x00", "")[:80],  # PostgreSQL text cannot hold NUL
        month=month if re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", month) else "",
        when=when if when in ("past", "upcoming") else otherwise,
    )


def for_user(options: list[tuple[str, str]], user: User | None) -> list[tuple[str, str]]:
    """A centre's own users act only for their centre; the secretariat for any."""
    if user is not None and user.role != "secretariat":
        return [option for option in options if option[0] == str(user.centre_id)]
    return options


def member_options(services: Services, user: User | None) -> list[tuple[str, str]]:
    """The member centres this user may plan for: a centre's own users theirs alone (not a list of
    hundreds built to keep one), the secretariat any."""
    members = CentresDirectory.members(services.db)
    if user is not None and user.role != "secretariat":
        own = str(user.centre_id)
        return [(c["id"], c["name"]) for c in members if c["id"] == own]
    return [(c["id"], c["name"]) for c in members]


def calendar_context(
    services: Services, flt: CalendarFilter, after: str = "", outcome: Outcome | None = None, user: User | None = None,
    page: tuple[list[Row], str | None] | None = None,
) -> dict[str, Any]:
    """``page``: the rows and the next cursor when the caller has them already (a table kept rendered)."""
    outcome = outcome or Outcome(ok=True)
    rows, next_cursor = page if page is not None else Calendar.page(services.db, flt, services.app.today(), after)
    created = str(outcome.result[0]) if outcome.ok and outcome.result else None
    if created and all(row["id"] != created for row in rows):
        new_row = Calendar.get(services.db, created)
        rows = ([new_row] if new_row else []) + rows  # what you just planned, whatever the filter

    def query(**changes: str) -> str:
        params = {
            "when": flt.when, "kind": flt.kind, "centre": flt.centre_id, "city": flt.city, "month": flt.month,
            "after": after, **changes,
        }
        return urlencode({k: v for k, v in params.items() if v})

    return plan_context(services, outcome, user, new_row=False) | {
        "filter": flt,
        "activities": rows,
        "next_cursor": next_cursor,
        "after": after,
        "query": query,
        "centres": CentresDirectory.all(services.db),
        "cities": Calendar.cities(services.db),
    }


def shown_calendar(current_url: str | None) -> CalendarFilter | None:
    """The filter of the calendar a form was sent from (htmx's ``HX-Current-URL``); None for the calendar as it
    opens (what is coming, every kind, the first page), and when the browser did not say."""
    if not current_url:
        return None
    query = {key: values[-1] for key, values in parse_qs(urlsplit(current_url).query).items()}
    flt = calendar_filter(query.get("kind", ""), query.get("centre", ""), query.get("city", ""),
                          query.get("month", ""), query.get("when", ""))
    return None if flt == CalendarFilter() and not query.get("after") else flt


def plan_context(services: Services, outcome: Outcome, user: User | None, new_row: bool = True) -> dict[str, Any]:
    """What the plan form needs (``activities/_panel.html``), and after a success, the activity's new row for the
    calendar's table (``new_row``: not when the caller draws the whole table, which has it already)."""
    created = str(outcome.result[0]) if outcome.ok and outcome.result else None
    return {
        "kind_options": [(kind, label("kind", kind)) for kind in KINDS],
        "format_options": [(value, label("format", value)) for value in FORMATS],
        "member_options": member_options(services, user),
        "errors": outcome.errors,
        "values": outcome.values,
        "created": created,
        "created_row": Calendar.get(services.db, created) if created and new_row else None,
        "pending": outcome.pending,
    }


def activity_context(
    services: Services, activity_id: str, outcome: Outcome | None = None, action: str = "", user: User | None = None
) -> dict[str, Any]:
    activity = Calendar.get(services.db, activity_id)
    if activity is None:
        raise NotFoundException()
    outcome = outcome or Outcome(ok=True)
    today = services.app.today().isoformat()
    participations = Calendar.participations(services.db, activity_id)
    # a centre already in the activity (host, co-organiser, participant) is not offered again
    taking_part = {str(p["centre_id"]) for p in participations} | {str(activity["host_centre_id"])}
    others = [(c["id"], c["name"]) for c in CentresDirectory.members(services.db) if str(c["id"]) not in taking_part]
    return {
        "activity": activity,
        "structured_data": json_ld(event(activity, services.settings.site_url)),
        "participations": participations,
        "presentations": Calendar.presentations(services.db, activity_id),
        "timeline": Timeline.of(services.db, activity_id),
        "join_options": for_user(others, user),  # the centres this user may join it for
        "co_organiser_options": others,  # the host chooses among every other member centre
        "is_open": activity["status"] == "planned",
        "has_ended": activity["ends_on"] <= today,
        "is_past": activity["ends_on"] < today,
        "failed": "" if outcome.ok else action,
        "done": action if outcome.ok else "",
        "errors": outcome.errors,
        "values": outcome.values,
        "pending": outcome.pending,
    }
