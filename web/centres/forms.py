"""The centres' forms: registration, the profile, membership, staff and the Quality Label."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import msgspec


class CentreForm(msgspec.Struct, kw_only=True):
    name: str = ""
    city: str = ""
    region: str = ""
    address: str = ""
    contact: str = ""
    website: str = ""
    description: str = ""


class ProfileForm(msgspec.Struct, kw_only=True):
    city: str = ""
    region: str = ""
    address: str = ""
    contact: str = ""
    website: str = ""
    description: str = ""


class MotivationForm(msgspec.Struct):
    motivation: str = ""


class StaffForm(msgspec.Struct):
    staff_name: str = ""
    role: str = ""


class StaffRefForm(msgspec.Struct):
    staff_id: UUID


class LabelDateForm(msgspec.Struct):
    on: date


class LabelInspectionForm(msgspec.Struct):
    on: date
    notes: str = ""


class LabelValidityForm(msgspec.Struct):
    on: date
    valid_until: date


class LabelWithdrawalForm(msgspec.Struct):
    on: date
    reason: str = ""
