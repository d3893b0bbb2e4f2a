"""Names of the project codes: funders, statuses, report kinds and the project's history entries."""

from __future__ import annotations

from web.messages import N_

FUNDER = {
    "eea_norway": N_("EEA Financial Mechanism / Norway Grants"),
    "esf": N_("European Social Fund (OP Human Resources Development)"),
    "erasmus_plus": N_("Erasmus+"),
    "national": N_("National funding"),
    "other": N_("Other funding"),
}
PROJECT_STATUS = {
    "planned": N_("Planned"),
    "running": N_("Running"),
    "closed": N_("Closed"),
    "cancelled": N_("Cancelled"),
}
REPORT_KIND = {"interim": N_("Interim report"), "final": N_("Final report")}
PROJECT_EVENT = {
    "registered": N_("registered"),
    "started": N_("started"),
    "closed": N_("closed"),
    "cancelled": N_("cancelled"),
    "code_corrected": N_("code corrected"),
    "indicator_defined": N_("indicator defined"),
    "progress_reported": N_("progress reported"),
    "progress_corrected": N_("progress corrected"),
    "activity_linked": N_("activity linked"),
    "deliverable_added": N_("deliverable added"),
    "report_submitted": N_("report submitted"),
    "partner_added": N_("partner added"),
}
