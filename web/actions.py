"""The commands a page can send: each action is a form and the one application method it calls.

Controllers stay thin: look the action up, parse its form, call its command.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import msgspec

from application.app import MrezhaApplication
from web import forms as f

Run = Callable[[MrezhaApplication, UUID, Any], int]


@dataclass(frozen=True)
class Action:
    form: type[msgspec.Struct]
    run: Run


CENTRE_ACTIONS: dict[str, Action] = {
    "profile": Action(f.ProfileForm, lambda app, i, form: app.centres.update_centre_profile(i, **f.command_fields(form))),
    "apply": Action(f.MotivationForm, lambda app, i, form: app.centres.apply_for_membership(i, form.motivation)),
    "admit": Action(f.NoFields, lambda app, i, form: app.centres.admit_centre(i)),
    "reject": Action(f.ReasonForm, lambda app, i, form: app.centres.reject_centre(i, form.reason)),
    "suspend": Action(f.ReasonForm, lambda app, i, form: app.centres.suspend_centre(i, form.reason)),
    "reinstate": Action(f.NoFields, lambda app, i, form: app.centres.reinstate_centre(i)),
    "leave": Action(f.ReasonForm, lambda app, i, form: app.centres.record_centre_leaving(i, form.reason)),
    "rejoin": Action(f.NoFields, lambda app, i, form: app.centres.rejoin_centre(i)),
    "staff": Action(f.StaffForm, lambda app, i, form: app.centres.add_staff_member(i, form.staff_name, form.role)),
    "staff-remove": Action(f.StaffRefForm, lambda app, i, form: app.centres.remove_staff_member(i, form.staff_id)),
    "label-apply": Action(f.LabelDateForm, lambda app, i, form: app.centres.apply_for_label(i, form.on)),
    "label-inspect": Action(
        f.LabelInspectionForm, lambda app, i, form: app.centres.record_label_inspection(i, form.on, form.notes)
    ),
    "label-award": Action(f.LabelValidityForm, lambda app, i, form: app.centres.award_label(i, form.on, form.valid_until)),
    "label-renew": Action(f.LabelValidityForm, lambda app, i, form: app.centres.renew_label(i, form.on, form.valid_until)),
    "label-withdraw": Action(
        f.LabelWithdrawalForm, lambda app, i, form: app.centres.withdraw_label(i, form.on, form.reason)
    ),
}

ACTIVITY_ACTIONS: dict[str, Action] = {
    "reschedule": Action(
        f.RescheduleForm, lambda app, i, form: app.activities.reschedule_activity(i, form.starts_on, form.ends_on, form.reason)
    ),
    "cancel": Action(f.ReasonForm, lambda app, i, form: app.activities.cancel_activity(i, form.reason)),
    "join": Action(f.JoinForm, lambda app, i, form: app.activities.join_activity(i, form.centre_id, form.expected_participants)),
    "withdraw": Action(f.CentreRefForm, lambda app, i, form: app.activities.withdraw_from_activity(i, form.centre_id)),
    "co-organiser": Action(f.CentreRefForm, lambda app, i, form: app.activities.add_co_organiser(i, form.centre_id)),
    "co-organiser-remove": Action(
        f.CentreRefForm, lambda app, i, form: app.activities.remove_co_organiser(i, form.centre_id)
    ),
    "presentation": Action(
        f.PresentationForm,
        lambda app, i, form: app.activities.add_presentation(i, form.speaker, form.organisation, form.presentation_title),
    ),
    "presentation-remove": Action(
        f.PresentationRefForm, lambda app, i, form: app.activities.remove_presentation(i, form.presentation_id)
    ),
    "outcome": Action(f.OutcomeForm, lambda app, i, form: app.activities.record_outcome(i, **f.command_fields(form))),
    "correction": Action(f.CorrectionForm, lambda app, i, form: app.activities.correct_outcome(i, **f.command_fields(form))),
}
