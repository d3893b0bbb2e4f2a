"""Commands on centres: registration, membership, staff and the Quality Label."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from application.base import Commands
from domain.centre import Centre, CentreName
from domain.errors import DuplicateCentreName


class Centres(Commands):
    def register_centre(self, **fields: Any) -> tuple[UUID, int]:
        """A centre and the claim on its name are saved together: two centres never share a name."""
        centre = Centre.register(**fields)
        claim = CentreName(name=centre.name, centre_id=centre.id)
        if self._exists(claim.id):
            raise DuplicateCentreName("name")
        try:
            return centre.id, self._save(centre, claim)
        except IntegrityError:
            raise DuplicateCentreName("name") from None

    def update_centre_profile(self, centre_id: UUID, **fields: Any) -> int:
        return self._change(centre_id, Centre, lambda c: c.update_profile(**fields))

    def apply_for_membership(self, centre_id: UUID, motivation: str = "") -> int:
        return self._change(centre_id, Centre, lambda c: c.apply_for_membership(motivation))

    def admit_centre(self, centre_id: UUID) -> int:
        self._chair_rights()
        return self._change(centre_id, Centre, lambda c: c.admit(self.today()))

    def reject_centre(self, centre_id: UUID, reason: str) -> int:
        self._chair_rights()
        return self._change(centre_id, Centre, lambda c: c.reject(reason))

    def suspend_centre(self, centre_id: UUID, reason: str) -> int:
        self._chair_rights()
        return self._change(centre_id, Centre, lambda c: c.suspend(reason))

    def reinstate_centre(self, centre_id: UUID) -> int:
        self._chair_rights()
        return self._change(centre_id, Centre, lambda c: c.reinstate())

    def record_centre_leaving(self, centre_id: UUID, reason: str = "") -> int:
        return self._change(centre_id, Centre, lambda c: c.leave(reason))

    def rejoin_centre(self, centre_id: UUID) -> int:
        return self._change(centre_id, Centre, lambda c: c.rejoin())

    def add_staff_member(self, centre_id: UUID, name: str, role: str) -> int:
        return self._change(centre_id, Centre, lambda c: c.add_staff_member(name, role))

    def remove_staff_member(self, centre_id: UUID, staff_id: UUID) -> int:
        return self._change(centre_id, Centre, lambda c: c.remove_staff_member(staff_id))

    def apply_for_label(self, centre_id: UUID, applied_on: date) -> int:
        return self._change(centre_id, Centre, lambda c: c.apply_for_label(applied_on))

    def record_label_inspection(self, centre_id: UUID, inspected_on: date, notes: str = "") -> int:
        return self._change(centre_id, Centre, lambda c: c.record_label_inspection(inspected_on, notes))

    def award_label(self, centre_id: UUID, awarded_on: date, valid_until: date) -> int:
        return self._change(centre_id, Centre, lambda c: c.award_label(awarded_on, valid_until))

    def renew_label(self, centre_id: UUID, renewed_on: date, valid_until: date) -> int:
        return self._change(centre_id, Centre, lambda c: c.renew_label(renewed_on, valid_until))

    def withdraw_label(self, centre_id: UUID, withdrawn_on: date, reason: str) -> int:
        return self._change(centre_id, Centre, lambda c: c.withdraw_label(withdrawn_on, reason))

    # The label's steps checked, nothing saved: the centre is told and dropped, so that a form with an
    # unreadable date (given as None) hears of its other mistakes in the same answer.

    def check_label_inspection(self, centre_id: UUID, inspected_on: date | None, notes: str = "") -> None:
        self._tell(centre_id, Centre, lambda c: c.record_label_inspection(inspected_on, notes))  # type: ignore[arg-type]

    def check_label_award(self, centre_id: UUID, awarded_on: date | None, valid_until: date | None) -> None:
        self._tell(centre_id, Centre, lambda c: c.award_label(awarded_on, valid_until))  # type: ignore[arg-type]

    def check_label_renewal(self, centre_id: UUID, renewed_on: date | None, valid_until: date | None) -> None:
        self._tell(centre_id, Centre, lambda c: c.renew_label(renewed_on, valid_until))  # type: ignore[arg-type]

    def check_label_withdrawal(self, centre_id: UUID, withdrawn_on: date | None, reason: str) -> None:
        self._tell(centre_id, Centre, lambda c: c.withdraw_label(withdrawn_on, reason))  # type: ignore[arg-type]
