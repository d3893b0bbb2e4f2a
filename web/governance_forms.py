"""Form bodies of the governance pages (network, plans) and of the practice library, parsed with
``web.forms.parse_form``. Lists travel as text: one per line, or comma-separated; the actions split them."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import msgspec

# The network ---------------------------------------------------------------------


class RotationForm(msgspec.Struct, kw_only=True):
    order: str = ""  # the centres' ids in their new order, comma-separated
    centre_id: UUID | None = None  # one more, at the end


class HandoverForm(msgspec.Struct, kw_only=True):
    year: int
    centre_id: UUID
    handed_over_on: date


class HandoverCorrectionForm(msgspec.Struct, kw_only=True):
    year: int
    centre_id: UUID
    reason: str = ""


class MeetingForm(msgspec.Struct, kw_only=True):
    held_on: date
    report_year: int
    next_chair_id: UUID
    priorities: str = ""  # one per line


class ReportAdoptionForm(msgspec.Struct, kw_only=True):
    """The annual meeting seen from the plan's page: the year is the page's."""

    held_on: date
    next_chair_id: UUID
    priorities: str = ""


# Plans ----------------------------------------------------------------------------


class PlanDraftForm(msgspec.Struct):
    priorities: str = ""


class PlanItemForm(msgspec.Struct, kw_only=True):
    kind: str = ""
    theme: str = ""
    month: int
    host_centre_id: UUID | None = None


class PlanItemChangeForm(msgspec.Struct, kw_only=True):
    item_id: UUID
    kind: str = ""
    theme: str = ""
    month: int
    host_centre_id: UUID | None = None
    reason: str = ""


class PlanItemDropForm(msgspec.Struct, kw_only=True):
    item_id: UUID
    reason: str = ""


class PlanItemLinkForm(msgspec.Struct, kw_only=True):
    item_id: UUID
    activity_id: UUID


# Practices -------------------------------------------------------------------------


class PracticeContentForm(msgspec.Struct, kw_only=True):
    title: str = ""
    problem: str = ""
    method: str = ""
    target_groups: str = ""  # the ticked boxes, comma-separated by the controller
    tags: str = ""  # comma-separated
    country: str = ""
    source_project: str = ""
    links: str = ""  # one per line
    reached: int | None = None
    trained: int | None = None
    consulted: int | None = None
    reactivated: int | None = None
    target: int | None = None


class PracticeForm(PracticeContentForm, kw_only=True):
    centre_id: UUID


class RevisionForm(PracticeContentForm, kw_only=True):
    note: str = ""


class EndorsementForm(msgspec.Struct, kw_only=True):
    centre_id: UUID
    comment: str = ""


class AdoptionForm(msgspec.Struct, kw_only=True):
    centre_id: UUID
    adaptation_notes: str = ""
    context: str = ""
    adopted_on: date | None = None


class AdoptionOutcomeForm(msgspec.Struct, kw_only=True):
    centre_id: UUID
    reached: int | None = None
    trained: int | None = None
    consulted: int | None = None
    reactivated: int | None = None
    target: int | None = None
    note: str = ""
