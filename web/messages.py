"""Sentences for domain error codes, translated when shown."""

from __future__ import annotations

from collections.abc import Iterable

from domain.errors import DomainError
from web.i18n import gettext as _


def _messages() -> dict[str, str]:
    return {
        "required": _("This field is required."),
        "too_long": _("Too long: at most %(max_length)s characters."),
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
        "centre_not_member": _("Only a member centre in good standing (admitted, not suspended) can do this."),
        "membership_registered": _("The centre has not applied for membership."),
        "membership_applied": _("The application is waiting for a decision."),
        "membership_admitted": _("The centre is already a member."),
        "membership_rejected": _("The application was rejected; the centre may apply again."),
        "membership_suspended": _("The membership is suspended."),
        "membership_left": _("The centre has left the network."),
        "label_none": _("The centre has not applied for the Quality Label."),
        "label_applied": _("The Quality Label application awaits its inspection."),
        "label_inspected": _("The inspection is recorded; the label awaits its award."),
        "label_awarded": _("The Quality Label is already awarded."),
        "label_withdrawn": _("The Quality Label was withdrawn; the centre may apply again."),
        "renewal_not_later": _("A renewal must extend the validity."),
        "unknown_staff": _("No such staff member."),
        "activity_cancelled": _("The activity is cancelled."),
        "activity_held": _("The activity has already been held."),
        "activity_past": _("The activity is over."),
        "already_joined": _("This centre already takes part."),
        "already_organiser": _("This centre already organises the activity."),
        "not_an_organiser": _("This centre is not a co-organiser."),
        "not_joined": _("This centre does not take part."),
        "capacity_exceeded": _("Not enough places: %(places_left)s left."),
        "not_ended_yet": _("An outcome can be recorded only once the activity has ended."),
        "no_outcome_yet": _("There is no reported outcome to correct."),
        "nothing_to_correct": _("The figures are the same as reported."),
        "same_dates": _("These are the dates it already has."),
        "more_than_participants": _("Cannot be more than the participants."),
        "more_than_young_people": _("Cannot be more than the young people."),
        "at_least_one": _("At least one centre attended."),
        "invalid_username": _("3 to 40 small Latin letters, digits, dots, dashes or underscores."),
        "centre_needed": _("Coordinators and members belong to a centre: choose one."),
        "no_centre_for_role": _("The secretariat and auditors belong to no centre."),
        "username_taken": _("This user name is taken."),
        "password_too_short": _("At least %(min_length)s characters."),
        "password_has_username": _("The password must not contain the user name."),
        "wrong_password": _("The current password is wrong."),
        "same_role": _("The account already has this role."),
        "account_disabled": _("The account is already disabled."),
        "account_enabled": _("The account is already enabled."),
    }


def error_message(error: DomainError) -> str:
    messages = _messages()
    message = messages.get(error.code, messages["invalid"])
    try:
        return message % error.details if "%(" in message else message
    except (KeyError, TypeError):
        return messages["invalid"]


def field_errors(error: DomainError, fields: Iterable[str] = ()) -> dict[str, str]:
    """One message per field; errors about no field of this form go under ``__all__``."""
    known = set(fields)
    errors: dict[str, str] = {}
    for one in getattr(error, "errors", None) or [error]:
        key = one.field if one.field and (not known or one.field in known) else "__all__"
        errors.setdefault(key, error_message(one))
    return errors
