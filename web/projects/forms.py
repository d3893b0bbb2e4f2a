"""The funded projects' forms: registering one, its status, code and partners, its indicators with their
progress and corrections, linked activities, deliverables and reports. Amounts and figures travel as text:
the domain reads them as decimals (``199 408,00`` as well as ``199408.00``) and names every bad one."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import msgspec


class RegisterForm(msgspec.Struct, kw_only=True):
    code: str = ""
    title: str = ""
    funder: str = ""
    programme: str = ""
    component: str = ""
    beneficiary: str = ""
    centre_id: UUID | None = None  # the network's centre taking part
    centre_is_beneficiary: str = ""  # ticked: that centre is the beneficiary itself
    partner_name: str = ""
    partner_country: str = ""
    total_value: str = ""
    currency: str = "EUR"
    starts_on: date
    planned_end: date
    target_group: str = ""
    objectives: str = ""

    def facts(self) -> dict[str, object]:
        """The project's facts as ``register_project`` takes them."""
        centre = self.centre_id
        partners = [{"name": self.partner_name, "country": self.partner_country}] if self.partner_name.strip() else []
        return dict(
            code=self.code, title=self.title, funder=self.funder, programme=self.programme, component=self.component,
            beneficiary=self.beneficiary, partners=partners, total_value=self.total_value, currency=self.currency,
            starts_on=self.starts_on, planned_end=self.planned_end, target_group=self.target_group,
            objectives=self.objectives,
            beneficiary_centre_id=centre if centre and self.centre_is_beneficiary else None,
            centre_ids=[centre] if centre and not self.centre_is_beneficiary else [],
        )


class StartForm(msgspec.Struct):
    started_on: date


class CloseForm(msgspec.Struct):
    actual_end: date


class CodeForm(msgspec.Struct, kw_only=True):
    code: str = ""
    note: str = ""


class PartnerForm(msgspec.Struct, kw_only=True):
    name: str = ""
    country: str = ""
    centre_id: UUID | None = None


class IndicatorForm(msgspec.Struct, kw_only=True):
    key: str = ""
    name: str = ""
    unit: str = ""
    baseline: str = "0"
    target: str = ""


class ProgressForm(msgspec.Struct, kw_only=True):
    key: str = ""
    period: str = ""
    value: str = ""
    as_of: date
    source: str = ""


class CorrectionForm(ProgressForm, kw_only=True):
    note: str = ""


class ActivityLinkForm(msgspec.Struct, kw_only=True):
    activity_id: UUID
    role: str = ""


class DeliverableForm(msgspec.Struct, kw_only=True):
    title: str = ""
    kind: str = ""
    link: str = ""


class ReportForm(msgspec.Struct, kw_only=True):
    kind: str = ""
    period: str = ""
