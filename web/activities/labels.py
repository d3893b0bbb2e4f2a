"""The human names of the activities' codes, as data (code -> msgid); ``web.labels.label`` translates them."""

from __future__ import annotations

from web.messages import N_

KIND = {
    "exchange": N_("Exchange"),
    "conference": N_("Conference"),
    "training": N_("Training"),
    "online_meeting": N_("Online meeting"),
    "seminar": N_("Seminar"),
    "round_table": N_("Round table"),
    "open_day": N_("Open day"),
}

FORMAT = {"live": N_("Live"), "online": N_("Online"), "hybrid": N_("Hybrid")}

STATUS = {"planned": N_("Planned"), "cancelled": N_("Cancelled"), "held": N_("Held")}

PARTICIPATION_ROLE = {"host": N_("Host"), "co_organiser": N_("Co-organiser"), "participant": N_("Participant")}

EVENT = {
    "activity.planned": N_("Planned"),
    "activity.co_organiser_added": N_("Co-organiser added"),
    "activity.co_organiser_removed": N_("Co-organiser removed"),
    "activity.rescheduled": N_("Rescheduled"),
    "activity.cancelled": N_("Cancelled"),
    "activity.centre_joined": N_("A centre joined"),
    "activity.centre_withdrew": N_("A centre withdrew"),
    "activity.presentation_added": N_("Presentation added"),
    "activity.presentation_removed": N_("Presentation removed"),
    "activity.held": N_("Held: outcome reported"),
    "activity.outcome_corrected": N_("Outcome corrected"),
}

FIELD = {
    "title": N_("Title"), "kind": N_("Kind"), "format": N_("Format"), "starts_on": N_("Starts on"),
    "ends_on": N_("Ends on"), "city": N_("City"), "venue": N_("Venue"), "online_link": N_("Online link"),
    "theme": N_("Theme"), "description": N_("Short description"), "language": N_("Language"),
    "capacity": N_("Capacity"), "expected_participants": N_("Expected participants"), "speaker": N_("Speaker"),
    "organisation": N_("Organisation"), "participants": N_("Participants"),
    "young_people": N_("Of them young people"), "fewer_opportunities": N_("With fewer opportunities or NEETs"),
    "centres_attended": N_("Centres that attended"), "summary": N_("Summary"), "materials_link": N_("Materials"),
    "stream_link": N_("Recorded stream"), "happened_on": N_("Happened on"), "reason": N_("Reason"),
    "host_centre_id": N_("Host"), "centre_id": N_("Centre"),
}
