"""Every rule of an activity, through the application on a real SQLite store: the exact domain
error, and nothing stored when a command is refused."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.activity import Activity
from domain.errors import NotFound
from application.app import MrezhaApplication
from tests.support.commands import REACHED_BY, a_centre, refusal, refused, sqlite_application
from tests.support.tables import row

TODAY = date(2026, 5, 1)
NEXT_MONTH = (TODAY + timedelta(days=30), TODAY + timedelta(days=32))
LAST_MONTH = (TODAY - timedelta(days=32), TODAY - timedelta(days=30))
OUTCOME = dict(participants=40, young_people=30, fewer_opportunities=10, centres_attended=4)
NOT_MEMBERS = [state for state in REACHED_BY if state != "admitted"]


@pytest.fixture
def app(tmp_path: Path) -> Iterator[MrezhaApplication]:
    application = sqlite_application(tmp_path / "store.sqlite", TODAY)
    yield application
    application.close()


def plan(app: MrezhaApplication, host: UUID, dates: tuple[date, date] = NEXT_MONTH, **fields: Any) -> UUID:
    activity_id, _ = app.activities.plan_activity(
        host_centre_id=host, title="Под многобройните маски на младежката работа", kind="conference",
        starts_on=dates[0], ends_on=dates[1], city="Перник", **fields,
    )
    return activity_id


def an_activity(app: MrezhaApplication, status: str = "planned", dates: tuple[date, date] = NEXT_MONTH, **fields: Any
                ) -> UUID:
    """Planned by a member centre; then cancelled, or held (which needs it to have ended)."""
    activity_id = plan(app, a_centre(app), LAST_MONTH if status == "held" else dates, **fields)
    if status == "cancelled":
        app.activities.cancel_activity(activity_id, "Няма зала")
    if status == "held":
        app.activities.record_outcome(activity_id, **OUTCOME)
    return activity_id


def activity(app: MrezhaApplication, activity_id: UUID) -> Activity:
    return app.repository.get(activity_id)


# Who may host, join and co-organise ---------------------------------------------------------------


@pytest.mark.parametrize("who", [*NOT_MEMBERS, "no centre", "an activity"])
def test_only_an_admitted_centre_in_good_standing_hosts_joins_or_co_organises(app, who):
    activity_id = an_activity(app)
    outsider = {"no centre": uuid4(), "an activity": activity_id}.get(who) or a_centre(app, who)
    code = "unknown_centre" if who in ("no centre", "an activity") else "centre_not_member"
    assert refusal(app, lambda: plan(app, outsider)) == ("host_centre_id", code)
    assert refusal(app, lambda: app.activities.join_activity(activity_id, outsider, 5)) == ("centre_id", code)
    assert refusal(app, lambda: app.activities.add_co_organiser(activity_id, outsider)) == ("centre_id", code)


@pytest.mark.parametrize(
    "status, dates, code",
    [
        row("a_cancelled_activity", "cancelled", NEXT_MONTH, "activity_cancelled"),
        row("a_held_activity", "held", LAST_MONTH, "activity_held"),
        row("a_past_activity", "planned", LAST_MONTH, "activity_past"),
    ],
)
def test_no_centre_joins_a_cancelled_held_or_past_activity(app, status, dates, code):
    activity_id, centre_id = an_activity(app, status, dates), a_centre(app)
    assert refusal(app, lambda: app.activities.join_activity(activity_id, centre_id, 5)) == (None, code)


def test_a_centre_may_join_until_the_last_day_of_the_activity(app):
    activity_id = an_activity(app, dates=(TODAY - timedelta(days=1), TODAY))
    app.activities.join_activity(activity_id, centre_id := a_centre(app), 5)
    assert activity(app, activity_id).participants == {str(centre_id): 5}


def test_a_centre_takes_part_once_in_one_role(app):
    activity_id = an_activity(app)
    host, participant, co_organiser = activity(app, activity_id).host_centre_id, a_centre(app), a_centre(app)
    app.activities.join_activity(activity_id, participant, 5)
    app.activities.add_co_organiser(activity_id, co_organiser)
    for centre_id in (host, participant, co_organiser):
        assert refusal(app, lambda: app.activities.join_activity(activity_id, centre_id, 5)) == ("centre_id", "already_joined")
    for centre_id in (host, co_organiser):
        assert refusal(app, lambda: app.activities.add_co_organiser(activity_id, centre_id)) == ("centre_id", "already_organiser")
    assert refusal(app, lambda: app.activities.add_co_organiser(activity_id, participant)) == ("centre_id", "already_joined")


def test_the_capacity_holds_and_a_withdrawal_frees_its_places(app):
    activity_id = an_activity(app, capacity=10)
    first, second, third = a_centre(app), a_centre(app), a_centre(app)
    for nobody in (0, -1):
        assert refusal(app, lambda: app.activities.join_activity(activity_id, first, nobody)) == (
            "expected_participants", "invalid_number"
        )
    app.activities.join_activity(activity_id, first, 6)
    error = refused(app, lambda: app.activities.join_activity(activity_id, second, 5))
    assert (error.field, error.code) == ("expected_participants", "capacity_exceeded")
    assert error.details == {"places_left": 4}
    app.activities.join_activity(activity_id, second, 4)  # exactly full
    assert refusal(app, lambda: app.activities.join_activity(activity_id, third, 1))[1] == "capacity_exceeded"
    app.activities.withdraw_from_activity(activity_id, first)
    app.activities.join_activity(activity_id, third, 6)
    assert activity(app, activity_id).expected_total == 10


def test_a_centre_withdraws_only_from_an_open_activity_it_joined_before_it_ended(app):
    activity_id, joined, other = an_activity(app), a_centre(app), a_centre(app)
    app.activities.join_activity(activity_id, joined, 5)
    assert refusal(app, lambda: app.activities.withdraw_from_activity(activity_id, other)) == ("centre_id", "not_joined")
    app.clock = lambda: NEXT_MONTH[1] + timedelta(days=1)
    assert refusal(app, lambda: app.activities.withdraw_from_activity(activity_id, joined)) == (None, "activity_past")
    app.activities.cancel_activity(activity_id, "Няма зала")
    assert refusal(app, lambda: app.activities.withdraw_from_activity(activity_id, joined)) == (None, "activity_cancelled")


def test_co_organisers_are_added_only_while_planned_and_removed_only_when_they_are_ones(app):
    activity_id, co_organiser, other = an_activity(app), a_centre(app), a_centre(app)
    app.activities.add_co_organiser(activity_id, co_organiser)
    assert refusal(app, lambda: app.activities.remove_co_organiser(activity_id, other)) == ("centre_id", "not_an_organiser")
    app.activities.remove_co_organiser(activity_id, co_organiser)
    assert activity(app, activity_id).co_organisers == []
    app.activities.cancel_activity(activity_id, "Няма зала")
    assert refusal(app, lambda: app.activities.add_co_organiser(activity_id, other)) == (None, "activity_cancelled")


# Schedule ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["cancelled", "held"])
def test_a_cancelled_or_held_activity_gets_no_new_schedule_outcome_or_organisers(app, status):
    activity_id, co_organiser = an_activity(app), a_centre(app)
    app.activities.add_co_organiser(activity_id, co_organiser)
    if status == "cancelled":
        app.activities.cancel_activity(activity_id, "Няма зала")
    else:
        app.clock = lambda: NEXT_MONTH[1]
        app.activities.record_outcome(activity_id, **OUTCOME)
    assert refusal(app, lambda: app.activities.reschedule_activity(activity_id, *NEXT_MONTH)) == (None, f"activity_{status}")
    assert refusal(app, lambda: app.activities.cancel_activity(activity_id, "Няма зала")) == (None, f"activity_{status}")
    assert refusal(app, lambda: app.activities.record_outcome(activity_id, **OUTCOME)) == (None, f"activity_{status}")
    # who organised it stays on record
    assert refusal(app, lambda: app.activities.remove_co_organiser(activity_id, co_organiser)) == (None, f"activity_{status}")


@pytest.mark.parametrize(
    "starts_on, ends_on, refused",
    [
        row("an_end_before_the_start", NEXT_MONTH[1], NEXT_MONTH[0], ("ends_on", "end_before_start")),
        row("the_dates_it_already_has", *NEXT_MONTH, ("starts_on", "same_dates")),
        row("a_span_over_a_year", NEXT_MONTH[0], NEXT_MONTH[0] + timedelta(days=367), ("ends_on", "too_long_span")),
        row("no_start_date", None, NEXT_MONTH[0], ("starts_on", "invalid_date")),
    ],
)
def test_a_new_schedule_has_valid_and_different_dates(app, starts_on, ends_on, refused):
    activity_id = an_activity(app)
    assert refusal(app, lambda: app.activities.reschedule_activity(activity_id, starts_on, ends_on)) == refused


def test_a_rescheduled_activity_keeps_its_new_dates_and_a_cancelled_one_its_reason(app):
    activity_id = an_activity(app)
    week_later = (NEXT_MONTH[0] + timedelta(days=7), NEXT_MONTH[1] + timedelta(days=7))
    app.activities.reschedule_activity(activity_id, *week_later, "Зала")
    assert (activity(app, activity_id).starts_on, activity(app, activity_id).ends_on) == week_later
    assert refusal(app, lambda: app.activities.cancel_activity(activity_id, "  ")) == ("reason", "required")
    app.activities.cancel_activity(activity_id, "Няма зала")
    assert activity(app, activity_id).status == "cancelled"


# Presentations ------------------------------------------------------------------------------------------


def test_presentations_are_added_unless_cancelled_and_removed_only_when_recorded(app):
    activity_id = an_activity(app)
    assert refusal(app, lambda: app.activities.add_presentation(activity_id, " ", "", "Тема")) == ("speaker", "required")
    assert refusal(app, lambda: app.activities.add_presentation(activity_id, "Алекс Леви", "", "")) == (
        "presentation_title", "required"
    )
    app.activities.add_presentation(activity_id, "Алекс Леви", "Център за социални иновации", "Работата на центъра")
    presentation_id = UUID(activity(app, activity_id).presentations[0])
    assert refusal(app, lambda: app.activities.remove_presentation(activity_id, uuid4())) == ("presentation_id", "not_found")
    app.activities.remove_presentation(activity_id, presentation_id)
    assert activity(app, activity_id).presentations == []
    app.activities.cancel_activity(activity_id, "Няма зала")
    assert refusal(app, lambda: app.activities.add_presentation(activity_id, "Алекс Леви", "", "Тема")) == (
        None, "activity_cancelled"
    )


# Outcome and corrections ------------------------------------------------------------------------------------


@pytest.mark.parametrize("days_after_today", [1, 30])
def test_an_outcome_is_recorded_only_once_the_activity_has_ended_and_links_only_to_the_web(app, days_after_today):
    activity_id = an_activity(app, dates=(TODAY - timedelta(days=1), TODAY + timedelta(days=days_after_today)))
    assert refusal(app, lambda: app.activities.record_outcome(activity_id, **OUTCOME)) == (None, "not_ended_yet")
    app.clock = lambda: TODAY + timedelta(days=days_after_today)
    assert refusal(app, lambda: app.activities.record_outcome(activity_id, **OUTCOME, stream_link="javascript:alert(1)")) == (
        "stream_link", "invalid_link"
    )
    app.activities.record_outcome(activity_id, **OUTCOME)
    assert (activity(app, activity_id).status, activity(app, activity_id).outcome) == ("held", OUTCOME)


FIGURE_REFUSALS = [
    row("more_young_people_than_participants", dict(young_people=41), ("young_people", "more_than_participants")),
    row("more_with_fewer_opportunities_than_young_people",
        dict(fewer_opportunities=31), ("fewer_opportunities", "more_than_young_people")),
    row("no_centre_attended", dict(centres_attended=0), ("centres_attended", "at_least_one")),
    row("a_negative_count", dict(participants=-1), ("participants", "invalid_number")),
    row("over_a_million_participants", dict(participants=1_000_001), ("participants", "invalid_number")),
]


@pytest.mark.parametrize("change, refused", FIGURE_REFUSALS)
def test_reported_figures_are_consistent_young_people_within_participants(app, change, refused):
    activity_id = an_activity(app, dates=LAST_MONTH)
    assert refusal(app, lambda: app.activities.record_outcome(activity_id, **{**OUTCOME, **change})) == refused
    app.activities.record_outcome(activity_id, **OUTCOME)
    correction = dict(OUTCOME, happened_on=TODAY, reason="Преброяване по списъците")
    assert refusal(app, lambda: app.activities.correct_outcome(activity_id, **{**correction, **change})) == refused


def test_only_a_reported_outcome_is_corrected_with_a_reason_a_date_and_a_change(app):
    activity_id = an_activity(app, dates=LAST_MONTH)
    fix = dict(OUTCOME, participants=42, happened_on=TODAY, reason="Двама закъснели участници")
    assert refusal(app, lambda: app.activities.correct_outcome(activity_id, **fix)) == (None, "no_outcome_yet")
    app.activities.record_outcome(activity_id, **OUTCOME)
    assert refusal(app, lambda: app.activities.correct_outcome(activity_id, **{**fix, "reason": ""})) == ("reason", "required")
    assert refusal(app, lambda: app.activities.correct_outcome(activity_id, **{**fix, "happened_on": None})) == (
        "happened_on", "invalid_date"
    )
    assert refusal(app, lambda: app.activities.correct_outcome(activity_id, **{**fix, "participants": 40})) == (
        None, "nothing_to_correct"
    )


def test_a_correction_is_its_own_event_and_the_reported_outcome_stays_as_it_was_recorded(app):
    activity_id = an_activity(app, dates=LAST_MONTH)
    app.activities.record_outcome(activity_id, **OUTCOME, summary="Конференция на живо")
    held_before = app.recorder.select_notifications(app.last_notification_id(), 1)[0]
    app.activities.correct_outcome(activity_id, **dict(OUTCOME, participants=42), happened_on=LAST_MONTH[1], reason="Списъци")
    held_after = app.recorder.select_notifications(held_before.id, 1)[0]
    assert (held_after.topic, held_after.state) == (held_before.topic, held_before.state)
    held, corrected = list(app.repository.event_store.get(activity_id))[-2:]
    assert (type(held).__name__, held.participants) == ("Held", 40)
    assert (type(corrected).__name__, corrected.participants, corrected.happened_on) == (
        "OutcomeCorrected", 42, LAST_MONTH[1]
    )
    assert corrected.timestamp > held.timestamp  # recorded when it was recorded, not when it happened
    assert activity(app, activity_id).outcome == dict(OUTCOME, participants=42)


@pytest.mark.parametrize(
    "command",
    [
        row("cancel", lambda app, i, c: app.activities.cancel_activity(i, "Няма зала")),
        row("join", lambda app, i, c: app.activities.join_activity(i, c, 1)),
        row("record_outcome", lambda app, i, c: app.activities.record_outcome(i, **OUTCOME)),
        row("add_co_organiser", lambda app, i, c: app.activities.add_co_organiser(i, c)),
    ],
)
def test_a_command_on_an_unknown_activity_is_not_found(app, command):
    centre_id = a_centre(app)
    for unknown in (uuid4(), centre_id):  # no aggregate at all, or a centre's
        assert refusal(app, lambda: command(app, unknown, centre_id))[1] == NotFound.code
