"""The network's forms: the rotation, the chair's handover and its correction, the annual meeting.
Lists travel as text: one per line, or comma-separated."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import msgspec

from domain.errors import InvalidField
from web.forms import commas


class RotationForm(msgspec.Struct, kw_only=True):
    order: str = ""  # the centres' ids in their new order, comma-separated
    centre_id: UUID | None = None  # one more, at the end

    def centre_ids(self) -> list[UUID]:
        """The new order, the centre added (if any) last."""
        try:
            order = [UUID(part.strip()) for part in commas(self.order)]
        except ValueError:
            raise InvalidField("order", "unknown_centre") from None
        return order + ([self.centre_id] if self.centre_id else [])


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
