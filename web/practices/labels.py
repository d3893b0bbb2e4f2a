"""The human names of the practices' codes, as data (code -> msgid); ``web.labels.label`` translates them.
Country names come from Babel (``label("country", code)``)."""

from __future__ import annotations

from web.messages import N_

TARGET_GROUP = {
    "neets": N_("NEETs, 15–29 years"),
    "youth_at_risk": N_("Young people at risk"),
    "roma_youth": N_("Roma youth"),
    "fewer_opportunities": N_("Young people with fewer opportunities"),
    "children": N_("Children"),
    "youth_workers": N_("Youth workers and organisations"),
}

FIGURE = {
    "reached": N_("Reached"),
    "trained": N_("Trained"),
    "consulted": N_("Consulted"),
    "reactivated": N_("Reactivated"),
    "target": N_("Target"),
}

PRACTICE_FIELD = {
    "title": N_("Title"),
    "problem": N_("The problem it answers"),
    "method": N_("Method"),
    "target_groups": N_("Target groups"),
    "tags": N_("Tags"),
    "country": N_("Country"),
    "source_project": N_("Source project"),
    "links": N_("Links"),
    "results": N_("Results"),
}
