"""The human names of the centres' codes, as data (code -> msgid); ``web.labels.label`` translates them."""

from __future__ import annotations

from web.messages import N_

MEMBERSHIP = {
    "registered": N_("Registered"),
    "applied": N_("Applied for membership"),
    "admitted": N_("Member"),
    "rejected": N_("Application rejected"),
    "suspended": N_("Suspended"),
    "left": N_("Left the network"),
}

LABEL_STATE = {
    "none": N_("No Quality Label"),
    "applied": N_("Applied for the Quality Label"),
    "inspected": N_("Inspected for the Quality Label"),
    "awarded": N_("Quality Label"),
    "withdrawn": N_("Quality Label withdrawn"),
}

STAFF_ROLE = {
    "youth_worker": N_("Youth worker"),
    "roma_mediator": N_("Roma mediator"),
    "coordinator": N_("Coordinator"),
}

EVENT = {
    "centre.registered": N_("Registered"),
    "centre.profile_updated": N_("Profile updated"),
    "centre.membership_applied": N_("Applied for membership"),
    "centre.membership_admitted": N_("Admitted as a member"),
    "centre.membership_rejected": N_("Membership application rejected"),
    "centre.membership_suspended": N_("Membership suspended"),
    "centre.membership_reinstated": N_("Membership reinstated"),
    "centre.membership_left": N_("Left the network"),
    "centre.membership_rejoined": N_("Rejoined the network"),
    "centre.staff_member_added": N_("Staff member added"),
    "centre.staff_member_removed": N_("Staff member removed"),
    "centre.label_applied": N_("Applied for the Quality Label"),
    "centre.label_inspected": N_("Quality Label inspection"),
    "centre.label_awarded": N_("Quality Label awarded"),
    "centre.label_renewed": N_("Quality Label renewed"),
    "centre.label_withdrawn": N_("Quality Label withdrawn"),
}

FIELD = {
    "name": N_("Name"), "city": N_("City"), "region": N_("Region"), "address": N_("Address"),
    "contact": N_("Contact"), "website": N_("Website"), "description": N_("Short description"),
    "motivation": N_("Motivation"), "reason": N_("Reason"), "decided_on": N_("Decided on"),
    "staff_name": N_("Name"), "role": N_("Role"), "applied_on": N_("Applied on"),
    "inspected_on": N_("Inspected on"), "notes": N_("Notes"), "awarded_on": N_("Awarded on"),
    "renewed_on": N_("Renewed on"), "withdrawn_on": N_("Withdrawn on"), "valid_until": N_("Valid until"),
}
