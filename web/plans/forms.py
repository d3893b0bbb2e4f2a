"""The plans' forms: drafting, the items, publishing and the report's adoption. Priorities travel as
text, one per line."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import msgspec


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


class ReportAdoptionForm(msgspec.Struct, kw_only=True):
    """The annual meeting seen from the plan's page: the year is the page's."""

    held_on: date
    next_chair_id: UUID
    priorities: str = ""


class PlanItemUnlinkForm(msgspec.Struct, kw_only=True):
    """An activity linked to the wrong item, unlinked from it."""

    item_id: UUID
    activity_id: UUID
