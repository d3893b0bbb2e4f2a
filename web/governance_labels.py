"""Human names for the governance and practice codes, translated at render time.

Month and country names come from Babel's locale data in the page's language.
"""

from __future__ import annotations

from typing import Any

from babel import Locale
from babel.dates import get_month_names

from web.i18n import current_locale
from web.i18n import gettext as _
from web.labels import kind_label


def month_label(month: Any) -> str:
    try:
        return get_month_names("wide", context="stand-alone", locale=current_locale.get())[int(month)]
    except (KeyError, TypeError, ValueError):
        return str(month)


def country_label(code: str) -> str:
    return Locale.parse(current_locale.get()).territories.get(code, code)


def progress_label(value: str) -> str:
    return {"held": _("Held"), "cancelled": _("Cancelled"), "not_yet": _("Not yet")}.get(value, value)


def plan_status_label(value: str) -> str:
    return {"draft": _("Draft"), "published": _("Published"), "closed": _("Report adopted")}.get(value, value)


def plan_event_label(value: str) -> str:
    return {
        "drafted": _("Plan drafted"),
        "item_added": _("Item added"),
        "published": _("Plan published"),
        "item_changed": _("Item changed"),
        "item_dropped": _("Item dropped"),
        "item_linked": _("Activity linked"),
        "report_adopted": _("Report adopted at the annual meeting"),
    }.get(value, value)


def plan_field_label(value: str) -> str:
    return {"kind": _("Kind"), "theme": _("Theme"), "month": _("Month"), "host_name": _("Host")}.get(value, value)


def plan_value(key: str, value: Any) -> str:
    if key == "kind":
        return kind_label(value)
    if key == "month":
        return month_label(value)
    return str(value) if value else "—"


def report_figure_label(value: str) -> str:
    return {
        "items": _("Items planned (as the plan ended)"),
        "held": _("Held"),
        "cancelled": _("Cancelled"),
        "not_held": _("Not held"),
        "dropped": _("Dropped during the year"),
        "unplanned": _("Held without being planned"),
    }.get(value, value)


def target_group_label(value: str) -> str:
    return {
        "neets": _("NEETs, 15–29 years"),
        "youth_at_risk": _("Young people at risk"),
        "roma_youth": _("Roma youth"),
        "fewer_opportunities": _("Young people with fewer opportunities"),
        "children": _("Children"),
        "youth_workers": _("Youth workers and organisations"),
    }.get(value, value)


def figure_label(value: str) -> str:
    return {
        "reached": _("Reached"),
        "trained": _("Trained"),
        "consulted": _("Consulted"),
        "reactivated": _("Reactivated"),
        "target": _("Target"),
    }.get(value, value)


def practice_field_label(value: str) -> str:
    return {
        "title": _("Title"),
        "problem": _("The problem it answers"),
        "method": _("Method"),
        "target_groups": _("Target groups"),
        "tags": _("Tags"),
        "country": _("Country"),
        "source_project": _("Source project"),
        "links": _("Links"),
        "results": _("Results"),
    }.get(value, value)


def practice_value(key: str, value: Any) -> str:
    """A field of a practice's version as one line of text."""
    if value in (None, "", [], {}):
        return "—"
    if key == "target_groups":
        return ", ".join(target_group_label(v) for v in value)
    if key in ("tags", "links"):
        return ", ".join(value)
    if key == "country":
        return country_label(value)
    if key == "results":
        return ", ".join(f"{figure_label(k)}: {v}" for k, v in value.items())
    return str(value)


GOVERNANCE_GLOBALS = {
    "month_label": month_label,
    "country_label": country_label,
    "progress_label": progress_label,
    "plan_status_label": plan_status_label,
    "plan_event_label": plan_event_label,
    "plan_field_label": plan_field_label,
    "plan_value": plan_value,
    "report_figure_label": report_figure_label,
    "target_group_label": target_group_label,
    "figure_label": figure_label,
    "practice_field_label": practice_field_label,
    "practice_value": practice_value,
}
