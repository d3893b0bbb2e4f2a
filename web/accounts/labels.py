"""The human names of the accounts' codes, as data (code -> msgid); ``web.labels.label`` translates them."""

from __future__ import annotations

from web.messages import N_

ROLE = {
    "coordinator": N_("Coordinator"),
    "member": N_("Member"),
    "secretariat": N_("Secretariat"),
    "auditor": N_("Auditor"),
}

EVENT = {
    "account.opened": N_("Account opened"),
    "account.role_changed": N_("Role changed"),
    "account.disabled": N_("Account disabled"),
    "account.enabled": N_("Account enabled"),
    "account.password_changed": N_("Password changed"),
}
