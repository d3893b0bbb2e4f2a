"""The rules an activity keeps when it is planned, checked on the aggregate itself."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

import pytest

from domain.activity import DESCRIPTION_MAX, KINDS, TITLE_MAX, Activity
from domain.errors import DatesOutOfOrder, InvalidField, InvalidFields

HOST = uuid4()
MAY_14 = date(2026, 5, 14)


def plan(**fields: object) -> Activity:
    return Activity.plan(
        **{
            "title": "Предизвикателствата на младежката работа",
            "kind": "exchange",
            "host_centre_id": HOST,
            "starts_on": MAY_14,
            "ends_on": date(2026, 5, 16),
            "city": "Добрич",
            **fields,
        }
    )


def refusal(**fields: object) -> tuple[str | None, str]:
    with pytest.raises(InvalidField) as caught:
        plan(**fields)
    return caught.value.field, caught.value.code


def test_a_complete_activity_is_planned_by_its_host():
    activity = plan(title="  Обмен в Добрич ")
    assert (activity.title, activity.kind, activity.format, activity.host_centre_id) == (
        "Обмен в Добрич", "exchange", "live", HOST
    )


@pytest.mark.parametrize("blank", ["", "   "])
def test_an_activity_needs_a_title(blank):
    assert refusal(title=blank) == ("title", "required")


def test_a_title_may_be_exactly_as_long_as_its_limit_but_not_one_character_longer():
    assert plan(title="я" * TITLE_MAX).title == "я" * TITLE_MAX
    assert refusal(title="я" * (TITLE_MAX + 1)) == ("title", "too_long")


def test_a_description_may_be_exactly_as_long_as_its_limit_but_not_one_character_longer():
    assert plan(description="я" * DESCRIPTION_MAX).description == "я" * DESCRIPTION_MAX
    assert refusal(description="я" * (DESCRIPTION_MAX + 1)) == ("description", "too_long")


def test_control_characters_in_a_title_are_refused():
    assert refusal(title="Обмен\x00в Добрич") == ("title", "invalid")


@pytest.mark.parametrize("kind", ["", "party", "Exchange", "exchange "])
def test_an_unknown_kind_is_refused(kind):
    assert refusal(kind=kind) == ("kind", "invalid_choice")


@pytest.mark.parametrize("kind", KINDS)
def test_every_known_kind_is_accepted(kind):
    assert plan(kind=kind).kind == kind


def test_an_unknown_format_is_refused():
    assert refusal(format="telepathic") == ("format", "invalid_choice")


def test_an_online_activity_needs_no_city():
    assert plan(format="online", city="", kind="online_meeting").city == ""


@pytest.mark.parametrize("format", ["live", "hybrid"])
def test_an_activity_held_in_a_place_needs_a_city(format):
    assert refusal(format=format, city=" ") == ("city", "required")


def test_an_online_link_must_be_http_or_https():
    assert refusal(format="online", city="", online_link="zoom.us/j/1") == ("online_link", "invalid_link")
    assert plan(format="online", city="", online_link="https://zoom.us/j/1").online_link == "https://zoom.us/j/1"


def test_an_activity_that_ends_before_it_starts_is_refused():
    with pytest.raises(DatesOutOfOrder) as caught:
        plan(starts_on=MAY_14, ends_on=MAY_14 - timedelta(days=1))
    assert (caught.value.field, caught.value.code) == ("ends_on", "end_before_start")


def test_a_one_day_activity_ends_the_day_it_starts():
    assert plan(starts_on=MAY_14, ends_on=MAY_14).ends_on == MAY_14


def test_an_activity_lasts_at_most_a_year():
    assert plan(ends_on=MAY_14 + timedelta(days=366)).ends_on == MAY_14 + timedelta(days=366)
    assert refusal(ends_on=MAY_14 + timedelta(days=367)) == ("ends_on", "too_long_span")


def test_dates_must_be_dates():
    assert refusal(starts_on="2026-05-14") == ("starts_on", "invalid_date")


@pytest.mark.parametrize("capacity", [-1, True, 1_000_001])
def test_a_capacity_must_be_a_whole_number_of_zero_or_more(capacity):
    assert refusal(capacity=capacity) == ("capacity", "invalid_number")


@pytest.mark.parametrize("capacity", [None, 0, 30])
def test_a_capacity_is_optional(capacity):
    assert plan(capacity=capacity).capacity == capacity


def test_every_bad_field_is_reported_at_once_with_one_error_each():
    with pytest.raises(InvalidFields) as caught:
        plan(title="", kind="party", capacity=-5, ends_on=MAY_14 - timedelta(days=2))
    reported = {error.field: error.code for error in caught.value.errors}
    assert reported == {
        "title": "required",
        "kind": "invalid_choice",
        "capacity": "invalid_number",
        "ends_on": "end_before_start",
    }
    assert len(caught.value.errors) == 4


def test_an_activity_is_held_in_one_of_the_languages_the_contract_names():
    assert plan(language="en").language == "en"
    with pytest.raises(InvalidField) as refused:
        plan(language="klingon")
    assert (refused.value.field, refused.value.code) == ("language", "invalid_choice")
