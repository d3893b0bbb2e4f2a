"""A member centre of the network (младежки център): profile, membership, staff, Quality Label."""

from __future__ import annotations

import unicodedata
from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from eventsourcing.domain import Aggregate, event

from domain.checks import Validation, check_choice, check_date_range, check_link, check_text
from domain.errors import InvalidField, RuleBroken

NAME_MAX = 150
CITY_MAX = 80
TEXT_MAX = 200
DESCRIPTION_MAX = 2000
REASON_MAX = 500
STAFF_ROLES = ("youth_worker", "roma_mediator", "coordinator")
LABEL_STATES = ("none", "applied", "inspected", "awarded", "withdrawn")


class Centre(Aggregate):
    """A youth centre. Its membership history is a sequence of events, never overwritten."""

    class Registered(Aggregate.Created):
        name: str
        city: str
        region: str
        address: str
        contact: str
        website: str
        description: str

    @event(Registered)
    def __init__(
        self, name: str, city: str, region: str, address: str, contact: str, website: str, description: str
    ) -> None:
        self.name = name
        self.city = city
        self.region = region
        self.address = address
        self.contact = contact
        self.website = website
        self.description = description
        self.membership = "registered"
        self.staff: dict[str, str] = {}
        self.label = "none"
        self.label_valid_until: date | None = None

    @classmethod
    def register(
        cls,
        *,
        name: str,
        city: str,
        region: str = "",
        address: str = "",
        contact: str = "",
        website: str = "",
        description: str = "",
    ) -> Centre:
        """Check every field, then record the registration."""
        check = Validation()
        fields = _profile(check, city, region, address, contact, website, description)
        fields["name"] = check(check_text, "name", name, max_length=NAME_MAX)
        check.done()
        return cls(**fields)

    # Profile ------------------------------------------------------------------

    class ProfileUpdated(Aggregate.Event):
        city: str
        region: str
        address: str
        contact: str
        website: str
        description: str

    def update_profile(
        self, *, city: str, region: str = "", address: str = "", contact: str = "", website: str = "", description: str = ""
    ) -> None:
        check = Validation()
        fields = _profile(check, city, region, address, contact, website, description)
        check.done()
        self._profile_updated(**fields)

    @event(ProfileUpdated)
    def _profile_updated(
        self, city: str, region: str, address: str, contact: str, website: str, description: str
    ) -> None:
        self.city, self.region, self.address = city, region, address
        self.contact, self.website, self.description = contact, website, description

    # Membership ----------------------------------------------------------------

    class MembershipApplied(Aggregate.Event):
        motivation: str

    class MembershipAdmitted(Aggregate.Event):
        decided_on: date

    class MembershipRejected(Aggregate.Event):
        reason: str

    class MembershipSuspended(Aggregate.Event):
        reason: str

    class MembershipReinstated(Aggregate.Event):
        pass

    class MembershipLeft(Aggregate.Event):
        reason: str

    class MembershipRejoined(Aggregate.Event):
        pass

    def apply_for_membership(self, motivation: str = "") -> None:
        self._require_membership("registered", "rejected")
        self._applied(check_text("motivation", motivation, max_length=REASON_MAX, required=False))

    def admit(self, decided_on: date) -> None:
        self._require_membership("applied")
        self._admitted(decided_on)

    def reject(self, reason: str) -> None:
        self._require_membership("applied")
        self._rejected(check_text("reason", reason, max_length=REASON_MAX))

    def suspend(self, reason: str) -> None:
        self._require_membership("admitted")
        self._suspended(check_text("reason", reason, max_length=REASON_MAX))

    def reinstate(self) -> None:
        self._require_membership("suspended")
        self._reinstated()

    def leave(self, reason: str = "") -> None:
        self._require_membership("admitted", "suspended")
        self._left(check_text("reason", reason, max_length=REASON_MAX, required=False))

    def rejoin(self) -> None:
        self._require_membership("left")
        self._rejoined()

    @property
    def is_member_in_good_standing(self) -> bool:
        return self.membership == "admitted"

    def _require_membership(self, *states: str) -> None:
        if self.membership not in states:
            raise RuleBroken(None, f"membership_{self.membership}")

    @event(MembershipApplied)
    def _applied(self, motivation: str) -> None:
        self.membership = "applied"

    @event(MembershipAdmitted)
    def _admitted(self, decided_on: date) -> None:
        self.membership = "admitted"

    @event(MembershipRejected)
    def _rejected(self, reason: str) -> None:
        self.membership = "rejected"

    @event(MembershipSuspended)
    def _suspended(self, reason: str) -> None:
        self.membership = "suspended"

    @event(MembershipReinstated)
    def _reinstated(self) -> None:
        self.membership = "admitted"

    @event(MembershipLeft)
    def _left(self, reason: str) -> None:
        self.membership = "left"

    @event(MembershipRejoined)
    def _rejoined(self) -> None:
        self.membership = "admitted"

    # Staff ---------------------------------------------------------------------

    class StaffMemberAdded(Aggregate.Event):
        staff_id: UUID
        name: str
        role: str

    class StaffMemberRemoved(Aggregate.Event):
        staff_id: UUID

    def add_staff_member(self, name: str, role: str) -> UUID:
        check = Validation()
        name = check(check_text, "staff_name", name, max_length=TEXT_MAX)
        role = check(check_choice, "role", role, STAFF_ROLES)
        check.done()
        staff_id = uuid4()
        self._staff_added(staff_id, name, role)
        return staff_id

    def remove_staff_member(self, staff_id: UUID) -> None:
        if str(staff_id) not in self.staff:
            raise InvalidField("staff_id", "unknown_staff")
        self._staff_removed(staff_id)

    @event(StaffMemberAdded)
    def _staff_added(self, staff_id: UUID, name: str, role: str) -> None:
        self.staff[str(staff_id)] = role

    @event(StaffMemberRemoved)
    def _staff_removed(self, staff_id: UUID) -> None:
        self.staff.pop(str(staff_id), None)

    # Quality Label (Council of Europe) -------------------------------------------

    class LabelApplied(Aggregate.Event):
        applied_on: date

    class LabelInspected(Aggregate.Event):
        inspected_on: date
        notes: str

    class LabelAwarded(Aggregate.Event):
        awarded_on: date
        valid_until: date

    class LabelRenewed(Aggregate.Event):
        renewed_on: date
        valid_until: date

    class LabelWithdrawn(Aggregate.Event):
        withdrawn_on: date
        reason: str

    # The label's steps: each checks all its fields in one pass; the step's date is the field "on".

    def apply_for_label(self, applied_on: date) -> None:
        self._require_label("none", "withdrawn")
        self._label_applied(check_date_range("on", applied_on))

    def record_label_inspection(self, inspected_on: date, notes: str = "") -> None:
        self._require_label("applied")
        check = Validation()
        check(check_date_range, "on", inspected_on)
        notes = check(check_text, "notes", notes, max_length=REASON_MAX, required=False)
        check.done()
        self._label_inspected(inspected_on, notes)

    def award_label(self, awarded_on: date, valid_until: date) -> None:
        self._require_label("inspected")
        check = Validation()
        _check_validity(check, awarded_on, valid_until)
        check.done()
        self._label_awarded(awarded_on, valid_until)

    def renew_label(self, renewed_on: date, valid_until: date) -> None:
        self._require_label("awarded")
        check = Validation()
        _check_validity(check, renewed_on, valid_until)
        if check.passed("valid_until") and self.label_valid_until and valid_until <= self.label_valid_until:
            check.add(InvalidField("valid_until", "renewal_not_later"))
        check.done()
        self._label_renewed(renewed_on, valid_until)

    def withdraw_label(self, withdrawn_on: date, reason: str) -> None:
        self._require_label("awarded")
        check = Validation()
        check(check_date_range, "on", withdrawn_on)
        reason = check(check_text, "reason", reason, max_length=REASON_MAX)
        check.done()
        self._label_withdrawn(withdrawn_on, reason)

    def _require_label(self, *states: str) -> None:
        if self.label not in states:
            raise RuleBroken(None, f"label_{self.label}")

    @event(LabelApplied)
    def _label_applied(self, applied_on: date) -> None:
        self.label = "applied"

    @event(LabelInspected)
    def _label_inspected(self, inspected_on: date, notes: str) -> None:
        self.label = "inspected"

    @event(LabelAwarded)
    def _label_awarded(self, awarded_on: date, valid_until: date) -> None:
        self.label, self.label_valid_until = "awarded", valid_until

    @event(LabelRenewed)
    def _label_renewed(self, renewed_on: date, valid_until: date) -> None:
        self.label_valid_until = valid_until

    @event(LabelWithdrawn)
    def _label_withdrawn(self, withdrawn_on: date, reason: str) -> None:
        self.label, self.label_valid_until = "withdrawn", None


def _profile(
    check: Validation, city: str, region: str, address: str, contact: str, website: str, description: str
) -> dict[str, str]:
    return dict(
        city=check(check_text, "city", city, max_length=CITY_MAX),
        region=check(check_text, "region", region, max_length=CITY_MAX, required=False),
        address=check(check_text, "address", address, max_length=TEXT_MAX, required=False),
        contact=check(check_text, "contact", contact, max_length=TEXT_MAX, required=False),
        website=check(check_link, "website", website),
        description=check(check_text, "description", description, max_length=DESCRIPTION_MAX, required=False),
    )


def _check_validity(check: Validation, start: date, valid_until: date) -> None:
    check(check_date_range, "on", start)
    check(check_date_range, "valid_until", valid_until)
    if check.passed("on", "valid_until") and valid_until <= start:
        check.add(InvalidField("valid_until", "end_before_start"))


def normalised_name(name: str) -> str:
    """Names that differ only in case, accents' composition or spacing are the same name."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


class CentreName(Aggregate):
    """The claim on a centre's name: its id derives from the name, so two claims collide.

    Saved in the same transaction as the centre, it makes a duplicate name
    impossible even when two registrations race.
    """

    class Claimed(Aggregate.Created):
        name: str
        centre_id: UUID

    @event(Claimed)
    def __init__(self, name: str, centre_id: UUID) -> None:
        self.name = name
        self.centre_id = centre_id

    @staticmethod
    def create_id(name: str) -> UUID:
        return uuid5(NAMESPACE_URL, "/mrezha/centre-names/" + normalised_name(name))
