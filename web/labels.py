"""The human name of a code, in the page's language: ``label(group, code)``, the one lookup the pages
and the handlers use (``label("kind", "exchange")`` is "Обмен" in Bulgarian).

Each feature keeps its codes' names as data in its ``labels.py`` (code -> msgid, marked with ``N_``
for ``make messages``); they are translated here, when shown. Month and country names come from
Babel's locale data. An unknown code is shown as it is; an unknown group is a mistake (KeyError).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from babel import Locale
from babel.dates import get_month_names

from web.accounts import labels as accounts
from web.activities import labels as activities
from web.centres import labels as centres
from web.i18n import current_locale, gettext
from web.plans import labels as plans
from web.practices import labels as practices
from web.projects import labels as projects

GROUPS: dict[str, Mapping[str, str]] = {
    "kind": activities.KIND,
    "format": activities.FORMAT,
    "status": activities.STATUS,
    "membership": centres.MEMBERSHIP,
    "label_state": centres.LABEL_STATE,
    "role": {**centres.STAFF_ROLE, **accounts.ROLE, **activities.PARTICIPATION_ROLE},
    "event": {**centres.EVENT, **activities.EVENT, **accounts.EVENT},
    "field": {**centres.FIELD, **activities.FIELD},
    "progress": plans.PROGRESS,
    "plan_status": plans.PLAN_STATUS,
    "plan_event": plans.PLAN_EVENT,
    "plan_field": plans.PLAN_FIELD,
    "report_figure": plans.REPORT_FIGURE,
    "target_group": practices.TARGET_GROUP,
    "figure": practices.FIGURE,
    "practice_field": practices.PRACTICE_FIELD,
    "funder": projects.FUNDER,
    "project_status": projects.PROJECT_STATUS,
    "report_kind": projects.REPORT_KIND,
    "project_event": projects.PROJECT_EVENT,
}


def _month(month: Any) -> str:
    try:
        return get_month_names("wide", context="stand-alone", locale=current_locale.get())[int(month)]
    except (KeyError, TypeError, ValueError):
        return str(month)


def _country(code: Any) -> str:
    return Locale.parse(current_locale.get()).territories.get(code, code)


def _language(code: Any) -> str:
    """„български“ on a Bulgarian page, "Bulgarian" on an English one."""
    return Locale.parse(current_locale.get()).languages.get(code, code)


FROM_BABEL: dict[str, Callable[[Any], str]] = {"month": _month, "country": _country, "language": _language}


def label(group: str, code: Any) -> str:
    if group in FROM_BABEL:
        return FROM_BABEL[group](code)
    msgid = GROUPS[group].get(code)
    return gettext(msgid) if msgid is not None else str(code)


TEMPLATE_GLOBALS = {"label": label}
