"""The human names of the plans' codes, as data (code -> msgid); ``web.labels.label`` translates them."""

from __future__ import annotations

from web.messages import N_

PROGRESS = {"held": N_("Held"), "cancelled": N_("Cancelled"), "not_yet": N_("Not yet")}

PLAN_STATUS = {"draft": N_("Draft"), "published": N_("Published"), "closed": N_("Report adopted")}

PLAN_EVENT = {
    "drafted": N_("Plan drafted"),
    "item_added": N_("Item added"),
    "published": N_("Plan published"),
    "item_changed": N_("Item changed"),
    "item_dropped": N_("Item dropped"),
    "item_linked": N_("Activity linked"),
    "item_unlinked": N_("Activity unlinked"),
    "report_adopted": N_("Report adopted at the annual meeting"),
}

PLAN_FIELD = {"kind": N_("Kind"), "theme": N_("Theme"), "month": N_("Month"), "host_name": N_("Host")}

REPORT_FIGURE = {
    "items": N_("Items planned (as the plan ended)"),
    "held": N_("Held"),
    "cancelled": N_("Cancelled"),
    "not_held": N_("Not held"),
    "dropped": N_("Dropped during the year"),
    "unplanned": N_("Held without being planned"),
}
