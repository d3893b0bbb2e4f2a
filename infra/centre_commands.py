"""Commands on centres: one application method each, returning the notification id stored."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from domain.centre import Centre, CentreName
from domain.errors import DuplicateCentreName


class CentreCommands:
    """Mixed into the application; ``_change`` and ``_exists`` come from it."""

    def register_centre(self, **fields: Any) -> tuple[UUID, int]:
        centre = Centre.register(**fields)
        claim_id = CentreName.create_id(centre.name)
        if self._exists(claim_id):  # type: ignore[attr-defined]
            raise DuplicateCentreName("name")
        claim = CentreName(name=centre.name, centre_id=centre.id)
        try:
            recordings = self.save(centre, claim)  # type: ignore[attr-defined]
        except IntegrityError:
            raise DuplicateCentreName("name") from None
        return centre.id, recordings[-1].notification.id

    def update_centre_profile(self, centre_id: UUID, **fields: Any) -> int:
        return self._change(centre_id, Centre, lambda c: c.update_profile(**fields))  # type: ignore[attr-defined]

    def apply_for_membership(self, centre_id: UUID, motivation: str = "") -> int:
        return self._change(centre_id, Centre, lambda c: c.apply_for_membership(motivation))  # type: ignore[attr-defined]

    def admit_centre(self, centre_id: UUID) -> int:
        return self._change(centre_id, Centre, lambda c: c.admit(self.today()))  # type: ignore[attr-defined]

    def reject_centre(self, centre_id: UUID, reason: str) -> int:
        return self._change(centre_id, Centre, lambda c: c.reject(reason))  # type: ignore[attr-defined]

    def suspend_centre(self, centre_id: UUID, reason: str) -> int:
        return self._change(centre_id, Centre, lambda c: c.suspend(reason))  # type: ignore[attr-defined]

    def reinstate_centre(self, centre_id: UUID) -> int:
        return self._change(centre_id, Centre, lambda c: c.reinstate())  # type: ignore[attr-defined]

    def record_centre_leaving(self, centre_id: UUID, reason: str = "") -> int:
        return self._change(centre_id, Centre, lambda c: c.leave(reason))  # type: ignore[attr-defined]

    def rejoin_centre(self, centre_id: UUID) -> int:
        return self._change(centre_id, Centre, lambda c: c.rejoin())  # type: ignore[attr-defined]

    def add_staff_member(self, centre_id: UUID, name: str, role: str) -> int:
        return self._change(centre_id, Centre, lambda c: c.add_staff_member(name, role))  # type: ignore[attr-defined]

    def remove_staff_member(self, centre_id: UUID, staff_id: UUID) -> int:
        return self._change(centre_id, Centre, lambda c: c.remove_staff_member(staff_id))  # type: ignore[attr-defined]

    def apply_for_label(self, centre_id: UUID, applied_on: date) -> int:
        return self._change(centre_id, Centre, lambda c: c.apply_for_label(applied_on))  # type: ignore[attr-defined]

    def record_label_inspection(self, centre_id: UUID, inspected_on: date, notes: str = "") -> int:
        return self._change(centre_id, Centre, lambda c: c.record_label_inspection(inspected_on, notes))  # type: ignore[attr-defined]

    def award_label(self, centre_id: UUID, awarded_on: date, valid_until: date) -> int:
        return self._change(centre_id, Centre, lambda c: c.award_label(awarded_on, valid_until))  # type: ignore[attr-defined]

    def renew_label(self, centre_id: UUID, renewed_on: date, valid_until: date) -> int:
        return self._change(centre_id, Centre, lambda c: c.renew_label(renewed_on, valid_until))  # type: ignore[attr-defined]

    def withdraw_label(self, centre_id: UUID, withdrawn_on: date, reason: str) -> int:
        return self._change(centre_id, Centre, lambda c: c.withdraw_label(withdrawn_on, reason))  # type: ignore[attr-defined]
