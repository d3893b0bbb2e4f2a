"""Human names for the domain's codes (kinds, formats), translated at render time."""

from __future__ import annotations

from web.i18n import gettext as _


def kind_label(kind: str) -> str:
    return {
        "exchange": _("Exchange"),
        "conference": _("Conference"),
        "training": _("Training"),
        "online_meeting": _("Online meeting"),
        "seminar": _("Seminar"),
        "round_table": _("Round table"),
        "open_day": _("Open day"),
    }.get(kind, kind)


def format_label(value: str) -> str:
    return {"live": _("Live"), "online": _("Online"), "hybrid": _("Hybrid")}.get(value, value)
