"""Every rule of a centre, through the application on a real SQLite store: the exact domain
error, and nothing stored when a command is refused."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from domain.centre import Centre
from domain.errors import NotFound
from application.app import MrezhaApplication
from tests.support.commands import (
    LABEL_REACHED_BY, LABEL_STEPS, MEMBERSHIP_STEPS, REACHED_BY, a_centre, refusal, sqlite_application,
)
from tests.support.tables import row

TODAY = date(2026, 5, 1)

MEMBERSHIP = {  # command -> (the states it is allowed from, the state it leads to)
    "apply": (("registered", "rejected"), "applied"),
    "admit": (("applied",), "admitted"),
    "reject": (("applied",), "rejected"),
    "suspend": (("admitted",), "suspended"),
    "reinstate": (("suspended",), "admitted"),
    "leave": (("admitted", "suspended"), "left"),
    "rejoin": (("left",), "admitted"),
}
LABEL = {  # command -> (the states it is allowed from, the state it leads to)
    "apply": (("none", "withdrawn"), "applied"),
    "inspect": (("applied",), "inspected"),
    "award": (("inspected",), "awarded"),
    "renew": (("awarded",), "awarded"),
    "withdraw": (("awarded",), "withdrawn"),
}


def membership_command(app: MrezhaApplication, name: str) -> Callable[[UUID], int]:
    return lambda centre_id: MEMBERSHIP_STEPS[name](app, centre_id)


def label_command(app: MrezhaApplication, name: str) -> Callable[[UUID], int]:
    return lambda centre_id: LABEL_STEPS[name](app, centre_id)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[MrezhaApplication]:
    application = sqlite_application(tmp_path / "store.sqlite", TODAY)
    yield application
    application.close()


def a_centre_with(app: MrezhaApplication, membership: str = "registered", label: str = "none") -> UUID:
    return a_centre(app, membership, label, city="Враца")


def centre(app: MrezhaApplication, centre_id: UUID) -> Centre:
    return app.repository.get(centre_id)


# Membership ------------------------------------------------------------------------------


@pytest.mark.parametrize("state", REACHED_BY)
@pytest.mark.parametrize("command", MEMBERSHIP)
def test_each_membership_command_moves_only_from_its_own_states(app, state, command):
    centre_id = a_centre_with(app, state)
    allowed, leads_to = MEMBERSHIP[command]
    if state in allowed:
        membership_command(app, command)(centre_id)
        assert centre(app, centre_id).membership == leads_to
    else:
        assert refusal(app, lambda: membership_command(app, command)(centre_id)) == (None, f"membership_{state}")


def test_the_membership_history_is_kept_event_by_event_never_overwritten(app):
    centre_id = a_centre_with(app)
    for step in ("apply", "reject", "apply", "admit", "suspend", "reinstate", "leave", "rejoin"):
        membership_command(app, step)(centre_id)
    history = [type(e).__name__ for e in app.repository.event_store.get(centre_id)]
    assert history == [
        "Registered", "MembershipApplied", "MembershipRejected", "MembershipApplied", "MembershipAdmitted",
        "MembershipSuspended", "MembershipReinstated", "MembershipLeft", "MembershipRejoined",
    ]
    assert centre(app, centre_id).membership == "admitted"


def test_an_admission_is_dated_the_day_the_network_decided(app):
    centre_id = a_centre_with(app, "applied")
    app.centres.admit_centre(centre_id)
    admitted = list(app.repository.event_store.get(centre_id))[-1]
    assert (type(admitted).__name__, admitted.decided_on) == ("MembershipAdmitted", TODAY)


@pytest.mark.parametrize("state, command", [("applied", "reject"), ("admitted", "suspend")])
def test_a_rejection_and_a_suspension_need_a_reason(app, state, command):
    centre_id = a_centre_with(app, state)
    run = {"reject": app.centres.reject_centre, "suspend": app.centres.suspend_centre}[command]
    assert refusal(app, lambda: run(centre_id, "   ")) == ("reason", "required")
    assert refusal(app, lambda: run(centre_id, "я" * 501)) == ("reason", "too_long")


def test_a_motivation_and_a_reason_for_leaving_are_optional_but_limited(app):
    centre_id = a_centre_with(app)
    assert refusal(app, lambda: app.centres.apply_for_membership(centre_id, "я" * 501)) == ("motivation", "too_long")
    app.centres.apply_for_membership(centre_id, "")
    app.centres.admit_centre(centre_id)
    assert refusal(app, lambda: app.centres.record_centre_leaving(centre_id, "я" * 501)) == ("reason", "too_long")
    app.centres.record_centre_leaving(centre_id, "")
    assert centre(app, centre_id).membership == "left"


def test_a_command_on_an_unknown_centre_is_not_found(app):
    assert refusal(app, lambda: app.centres.admit_centre(uuid4()))[1] == NotFound.code


# Profile -------------------------------------------------------------------------------------


def test_a_profile_update_needs_a_city_and_an_http_website(app):
    centre_id = a_centre_with(app)
    assert refusal(app, lambda: app.centres.update_centre_profile(centre_id, city=" ")) == ("city", "required")
    assert refusal(app, lambda: app.centres.update_centre_profile(centre_id, city="Враца", website="ftp://x")) == (
        "website", "invalid_link"
    )
    app.centres.update_centre_profile(centre_id, city="Враца", address="ул. „Христо Ботев“ 1", website="https://mc.bg")
    assert (centre(app, centre_id).address, centre(app, centre_id).website) == ("ул. „Христо Ботев“ 1", "https://mc.bg")


# Staff -----------------------------------------------------------------------------------------


def test_staff_members_are_added_and_removed_and_only_known_ones_can_be_removed(app):
    centre_id = a_centre_with(app, "admitted")
    app.centres.add_staff_member(centre_id, "Мария Петрова", "roma_mediator")
    staff_id = UUID(next(iter(centre(app, centre_id).staff)))
    assert centre(app, centre_id).staff == {str(staff_id): "roma_mediator"}
    assert refusal(app, lambda: app.centres.remove_staff_member(centre_id, uuid4())) == ("staff_id", "unknown_staff")
    app.centres.remove_staff_member(centre_id, staff_id)
    assert centre(app, centre_id).staff == {}
    assert refusal(app, lambda: app.centres.remove_staff_member(centre_id, staff_id)) == ("staff_id", "unknown_staff")


@pytest.mark.parametrize(
    "name, role, refused",
    [
        row("a_blank_name", " ", "youth_worker", ("staff_name", "required")),
        row("a_name_over_200_characters", "я" * 201, "coordinator", ("staff_name", "too_long")),
        row("an_unknown_role", "Иван Иванов", "director", ("role", "invalid_choice")),
    ],
)
def test_a_staff_member_needs_a_name_and_a_known_role(app, name, role, refused):
    centre_id = a_centre_with(app)
    assert refusal(app, lambda: app.centres.add_staff_member(centre_id, name, role)) == refused


# Quality Label -----------------------------------------------------------------------------------


@pytest.mark.parametrize("state", LABEL_REACHED_BY)
@pytest.mark.parametrize("command", LABEL)
def test_each_quality_label_step_follows_only_its_own_states(app, state, command):
    centre_id = a_centre_with(app, label=state)
    allowed, leads_to = LABEL[command]
    if state in allowed:
        label_command(app, command)(centre_id)
        assert centre(app, centre_id).label == leads_to
    else:
        assert refusal(app, lambda: label_command(app, command)(centre_id)) == (None, f"label_{state}")


def test_an_award_and_a_renewal_set_the_validity_and_a_withdrawal_clears_it(app):
    centre_id = a_centre_with(app, label="awarded")
    assert centre(app, centre_id).label_valid_until == date(2028, 6, 1)
    app.centres.renew_label(centre_id, date(2028, 5, 1), date(2031, 6, 1))
    assert centre(app, centre_id).label_valid_until == date(2031, 6, 1)
    app.centres.withdraw_label(centre_id, date(2029, 1, 1), "Не отговаря на стандартите")
    assert (centre(app, centre_id).label, centre(app, centre_id).label_valid_until) == ("withdrawn", None)


def test_a_label_is_valid_only_after_the_day_it_was_awarded(app):
    centre_id = a_centre_with(app, label="inspected")
    for until in (date(2025, 6, 1), date(2025, 5, 31)):
        assert refusal(app, lambda: app.centres.award_label(centre_id, date(2025, 6, 1), until)) == (
            "valid_until", "end_before_start"
        )


def test_a_renewal_must_extend_the_validity(app):
    centre_id = a_centre_with(app, label="awarded")
    for until in (date(2028, 6, 1), date(2027, 1, 1)):
        assert refusal(app, lambda: app.centres.renew_label(centre_id, date(2026, 5, 1), until)) == (
            "valid_until", "renewal_not_later"
        )
    assert refusal(app, lambda: app.centres.renew_label(centre_id, date(2026, 5, 1), date(2026, 4, 1))) == (
        "valid_until", "end_before_start"
    )


def test_a_withdrawal_needs_a_reason(app):
    centre_id = a_centre_with(app, label="awarded")
    assert refusal(app, lambda: app.centres.withdraw_label(centre_id, date(2026, 1, 15), "")) == ("reason", "required")
