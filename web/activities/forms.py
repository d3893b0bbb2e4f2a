"""The activities' forms: planning, rescheduling, participation, presentations and the outcome."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import msgspec


class ActivityForm(msgspec.Struct, kw_only=True):
    title: str = ""
    kind: str = ""
    format: str = "live"
    host_centre_id: UUID
    starts_on: date
    ends_on: date
    city: str = ""
    venue: str = ""
    online_link: str = ""
    theme: str = ""
    description: str = ""
    language: str = "bg"
    capacity: int | None = None


class RescheduleForm(msgspec.Struct):
    starts_on: date
    ends_on: date
    reason: str = ""


class CentreRefForm(msgspec.Struct):
    centre_id: UUID


class JoinForm(msgspec.Struct):
    centre_id: UUID
    expected_participants: int


class PresentationForm(msgspec.Struct):
    speaker: str = ""
    organisation: str = ""
    presentation_title: str = ""


class PresentationRefForm(msgspec.Struct):
    presentation_id: UUID


class OutcomeForm(msgspec.Struct, kw_only=True):
    participants: int
    young_people: int
    fewer_opportunities: int
    centres_attended: int
    summary: str = ""
    materials_link: str = ""
    stream_link: str = ""


class CorrectionForm(msgspec.Struct, kw_only=True):
    participants: int
    young_people: int
    fewer_opportunities: int
    centres_attended: int
    happened_on: date
    reason: str = ""
