"""Sentences for domain error codes, translated when shown."""

from __future__ import annotations

from domain.errors import DomainError
from web.i18n import gettext as _


def error_message(error: DomainError) -> str:
    messages = {
        "required": _("This field is required."),
        "too_long": _("Too long: at most %(max)s characters."),
        "invalid": _("This value is not valid."),
        "invalid_choice": _("Choose one of the offered options."),
        "invalid_link": _("Enter a link starting with http:// or https://."),
        "invalid_date": _("Enter a date as YYYY-MM-DD."),
        "invalid_number": _("Enter a whole number of zero or more."),
        "too_long_span": _("An activity lasts at most a year."),
        "end_before_start": _("The end cannot be before the start."),
        "duplicate_centre_name": _("A centre with this name is already registered."),
        "unknown_centre": _("Choose a registered centre."),
        "not_found": _("Not found."),
    }
    message = messages.get(error.code, messages["invalid"])
    return message % {"max": error.details.get("max_length", "")}


def field_errors(error: DomainError) -> dict[str, str]:
    """One message per field; errors about no particular field go under ``__all__``."""
    errors = getattr(error, "errors", None) or [error]
    return {(e.field or "__all__"): error_message(e) for e in errors}
