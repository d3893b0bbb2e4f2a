"""Sentences for domain error codes, translated when shown, and ``N_``, which marks a msgid that is
translated later (the labels of ``web.labels``)."""

from __future__ import annotations

from collections.abc import Iterable

from domain.errors import DomainError
from web.i18n import gettext as _


def N_(msgid: str) -> str:
    """Marks a msgid for extraction (``make messages``) and leaves it as it is: it is translated when shown."""
    return msgid


def _messages() -> dict[str, str]:
    return {
        "required": _("This field is required."),
        "too_long": _("Too long: at most %(max_length)s characters."),
        "invalid": _("This value is not valid."),
        "invalid_choice": _("Choose one of the offered options."),
        "invalid_link": _("Enter a link starting with http:// or https://."),
        "invalid_date": _("Enter a date as YYYY-MM-DD."),
        "date_out_of_range": _("Enter a date between 1.1.2000 and 31.12.2100."),
        "invalid_number": _("Enter a whole number of zero or more."),
        "too_long_span": _("An activity lasts at most a year."),
        "end_before_start": _("The end cannot be before the start."),
        "duplicate_centre_name": _("A centre with this name is already registered."),
        "unknown_centre": _("Choose a registered centre."),
        "not_found": _("Not found."),
        "changed_meanwhile": _(
            "Someone changed this record at the same moment, and your change could not be applied to it. "
            "Nothing was saved: check the record and send the form again."
        ),
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
        "password_too_common": _("This password is among the most commonly used ones: choose another."),
        "password_has_name": _("The password must not be made of your name or your centre's name."),
        "wrong_password": _("The current password is wrong."),
        "same_role": _("The account already has this role."),
        "account_disabled": _("The account is already disabled."),
        "account_enabled": _("The account is already enabled."),
        # The network, its plans and its practices
        "invalid_year": _("Enter a year between 2000 and 2100."),
        "invalid_month": _("Choose a month."),
        "date_in_future": _("The date cannot be in the future."),
        "too_many": _("Too many: at most %(maximum)s."),
        "rotation_too_short": _("A rotation needs at least two centres."),
        "duplicate_in_rotation": _("Each centre takes one place in the rotation."),
        "same_rotation": _("This is the rotation already set."),
        "handover_outside_year": _("The chair is handed over in its year or in the year before it."),
        "chair_already_handed_over": _("The chair of this year is already handed over; correct the handover instead."),
        "chair_two_years_running": _("No centre chairs the network two years running."),
        "not_the_confirmed_chair": _("The annual meeting confirmed another centre as this year's chair."),
        "no_handover_to_correct": _("No handover is recorded for this year."),
        "same_chair": _("This centre is already recorded as that year's chair."),
        "meeting_outside_year_end": _(
            "The annual meeting is held from December of the report's year to the end of the next year."
        ),
        "meeting_already_recorded": _("The annual meeting for this year is already recorded."),
        "no_plan_for_year": _("This year has no plan, so there is no report to adopt."),
        "no_chair_for_year": _("No chair has been handed over for this year; the year's chair drafts its plan."),
        "plan_exists": _("This year already has a plan."),
        "plan_not_published": _("The plan has not been published yet."),
        "plan_already_published": _("The plan is already published."),
        "plan_has_no_items": _("Add at least one item before publishing the plan."),
        "report_already_adopted": _("The report of this year is already adopted."),
        "report_adopted": _("The year's report is adopted: the plan is closed."),
        "unknown_item": _("There is no such item in the plan."),
        "item_dropped": _("This item was dropped from the plan."),
        "nothing_changed": _("Nothing was changed."),
        "unknown_activity": _("Choose an activity from the calendar."),
        "activity_outside_plan_year": _("The activity takes place in another year than the plan."),
        "activity_already_linked": _("This activity already realises an item of the plan."),
        "own_practice": _("A centre cannot endorse or adopt its own practice."),
        "already_endorsed": _("This centre has already endorsed the practice."),
        "already_adopted": _("This centre has already adopted the practice."),
        "not_adopted": _("This centre has not adopted the practice."),
        "practice_retired": _("The practice is retired."),
        "no_figures": _("Enter at least one figure."),
        "more_than_consulted": _("Cannot be more than those consulted."),
        "more_than_reached": _("Cannot be more than those reached."),
        # Funded projects
        "project_not_planned": _("The project has already started."),
        "project_not_running": _("The project is already closed or cancelled."),
        "project_closed": _("The project is closed: it takes no new progress, only corrections of what was reported."),
        "project_cancelled": _("The project is cancelled."),
        "outside_project_period": _("The date must fall within the project's period or the 90 days after its end."),
        "indicator_exists": _("The project already has an indicator with this key."),
        "unknown_indicator": _("Choose one of the project's indicators."),
        "progress_reported": _("A figure is already reported for this period: record a correction instead."),
        "no_progress_to_correct": _("No figure is reported for this indicator and period."),
        "activity_linked": _("This activity is already linked to the project."),
        "report_submitted": _("A report of this kind is already submitted for this period."),
        "final_report_before_close": _("The final report is submitted once the project is closed."),
        "partner_exists": _("This organisation is already a partner."),
        "centre_involved": _("This centre already takes part in the project."),
        # Refusals answered inside the form (web.commands.refused)
        "not_permitted": _("You may not do this. Nothing was saved; what you typed is kept."),
        "not_your_centre": _("You may act only for your own centre: choose it here."),
        "activity_not_linked": _("This activity is not linked to this item."),
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
