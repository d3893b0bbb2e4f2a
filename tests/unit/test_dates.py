"""Dates the Bulgarian way (26.11.2026 г.), the English way beside it, times in Sofia's local time,
and the machine form that HTML's <time datetime> accepts."""

from datetime import date

from web.dates import day, machine_moment, moment
from web.i18n import current_locale

NBSP = "\u00a0"


def in_locale(locale, function, value):
    token = current_locale.set(locale)
    try:
        return function(value)
    finally:
        current_locale.reset(token)


def test_a_date_reads_the_bulgarian_way_in_bulgarian_and_never_breaks_before_its_year_mark():
    assert in_locale("bg", day, date(2026, 11, 26)) == f"26.11.2026{NBSP}г."
    assert in_locale("bg", day, "2026-03-05") == f"05.03.2026{NBSP}г."


def test_a_date_reads_the_english_way_in_english():
    assert in_locale("en", day, "2026-11-26") == f"26{NBSP}Nov{NBSP}2026"


def test_a_recorded_time_is_shown_in_sofia_local_time_summer_and_winter():
    assert in_locale("bg", moment, "2026-07-01T09:30:00.123456+00:00") == f"01.07.2026{NBSP}г., 12:30"
    assert in_locale("bg", moment, "2026-12-01T09:30:00+00:00") == f"01.12.2026{NBSP}г., 11:30"


def test_the_machine_form_has_no_microseconds():
    assert machine_moment("2026-07-01T09:30:00.123456+00:00") == "2026-07-01T09:30:00Z"


def test_nothing_is_shown_for_no_date():
    assert in_locale("bg", day, None) == "" and in_locale("bg", moment, "") == ""
