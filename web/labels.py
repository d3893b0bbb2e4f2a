"""Human names for the domain's codes (kinds, states, roles, events), translated at render time."""

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


def status_label(value: str) -> str:
    return {"planned": _("Planned"), "cancelled": _("Cancelled"), "held": _("Held")}.get(value, value)


def membership_label(value: str) -> str:
    return {
        "registered": _("Registered"),
        "applied": _("Applied for membership"),
        "admitted": _("Member"),
        "rejected": _("Application rejected"),
        "suspended": _("Suspended"),
        "left": _("Left the network"),
    }.get(value, value)


def label_state_label(value: str) -> str:
    return {
        "none": _("No Quality Label"),
        "applied": _("Applied for the Quality Label"),
        "inspected": _("Inspected for the Quality Label"),
        "awarded": _("Quality Label"),
        "withdrawn": _("Quality Label withdrawn"),
    }.get(value, value)


def role_label(value: str) -> str:
    return {
        "youth_worker": _("Youth worker"),
        "roma_mediator": _("Roma mediator"),
        "coordinator": _("Coordinator"),
        "member": _("Member"),
        "secretariat": _("Secretariat"),
        "auditor": _("Auditor"),
        "host": _("Host"),
        "co_organiser": _("Co-organiser"),
        "participant": _("Participant"),
    }.get(value, value)


def event_label(name: str) -> str:
    return {
        "centre.registered": _("Registered"),
        "centre.profile_updated": _("Profile updated"),
        "centre.membership_applied": _("Applied for membership"),
        "centre.membership_admitted": _("Admitted as a member"),
        "centre.membership_rejected": _("Membership application rejected"),
        "centre.membership_suspended": _("Membership suspended"),
        "centre.membership_reinstated": _("Membership reinstated"),
        "centre.membership_left": _("Left the network"),
        "centre.membership_rejoined": _("Rejoined the network"),
        "centre.staff_member_added": _("Staff member added"),
        "centre.staff_member_removed": _("Staff member removed"),
        "centre.label_applied": _("Applied for the Quality Label"),
        "centre.label_inspected": _("Quality Label inspection"),
        "centre.label_awarded": _("Quality Label awarded"),
        "centre.label_renewed": _("Quality Label renewed"),
        "centre.label_withdrawn": _("Quality Label withdrawn"),
        "activity.planned": _("Planned"),
        "activity.co_organiser_added": _("Co-organiser added"),
        "activity.co_organiser_removed": _("Co-organiser removed"),
        "activity.rescheduled": _("Rescheduled"),
        "activity.cancelled": _("Cancelled"),
        "activity.centre_joined": _("A centre joined"),
        "activity.centre_withdrew": _("A centre withdrew"),
        "activity.presentation_added": _("Presentation added"),
        "activity.presentation_removed": _("Presentation removed"),
        "activity.held": _("Held: outcome reported"),
        "activity.outcome_corrected": _("Outcome corrected"),
        "account.opened": _("Account opened"),
        "account.role_changed": _("Role changed"),
        "account.disabled": _("Account disabled"),
        "account.enabled": _("Account enabled"),
        "account.password_changed": _("Password changed"),
    }.get(name, name)


def field_label(name: str) -> str:
    return {
        "name": _("Name"), "city": _("City"), "region": _("Region"), "address": _("Address"),
        "contact": _("Contact"), "website": _("Website"), "description": _("Short description"),
        "motivation": _("Motivation"), "reason": _("Reason"), "decided_on": _("Decided on"),
        "staff_name": _("Name"), "role": _("Role"), "applied_on": _("Applied on"),
        "inspected_on": _("Inspected on"), "notes": _("Notes"), "awarded_on": _("Awarded on"),
        "renewed_on": _("Renewed on"), "withdrawn_on": _("Withdrawn on"), "valid_until": _("Valid until"),
        "title": _("Title"), "kind": _("Kind"), "format": _("Format"), "starts_on": _("Starts on"),
        "ends_on": _("Ends on"), "venue": _("Venue"), "online_link": _("Online link"), "theme": _("Theme"),
        "language": _("Language"), "capacity": _("Capacity"), "expected_participants": _("Expected participants"),
        "speaker": _("Speaker"), "organisation": _("Organisation"), "participants": _("Participants"),
        "young_people": _("Of them young people"), "fewer_opportunities": _("With fewer opportunities or NEETs"),
        "centres_attended": _("Centres that attended"), "summary": _("Summary"),
        "materials_link": _("Materials"), "stream_link": _("Recorded stream"), "happened_on": _("Happened on"),
    }.get(name, name)


TEMPLATE_GLOBALS = {
    "kind_label": kind_label,
    "format_label": format_label,
    "status_label": status_label,
    "membership_label": membership_label,
    "label_state_label": label_state_label,
    "role_label": role_label,
    "event_label": event_label,
    "field_label": field_label,
}
