"""Every date the platform accepts lies in 2000-2100, and a numeric path or query value is read strictly:
a far date or a Unicode digit is a field message or a 404, never a 500."""

from __future__ import annotations

from datetime import date

import msgspec
import pytest
from litestar.exceptions import NotFoundException

from domain.checks import check_dates
from domain.errors import DomainError, InvalidField
from domain.network import check_date
from projections.calendar_queries import month_range
from web.forms import parse_form
from web.plans.routes import year_or_404


class DatedForm(msgspec.Struct):
    starts_on: date


def test_an_activity_on_the_last_day_of_year_9999_is_refused_with_a_field_message():
    with pytest.raises(DomainError) as refused:
        check_dates(date(9999, 12, 31), date(9999, 12, 31))
    assert (refused.value.field, refused.value.code) == ("starts_on", "date_out_of_range")


def test_a_date_before_2000_is_refused_too():
    with pytest.raises(InvalidField):
        check_date("held_on", date(1, 1, 1), date(2026, 1, 1))


def test_a_form_with_a_far_date_reports_the_field():
    with pytest.raises(InvalidField) as refused:
        parse_form({"starts_on": "9999-12-31"}, DatedForm)
    assert (refused.value.field, refused.value.code) == ("starts_on", "date_out_of_range")
    assert parse_form({"starts_on": "2026-05-14"}, DatedForm).starts_on == date(2026, 5, 14)


def test_the_calendar_of_december_9999_is_empty_not_an_error():
    assert month_range("9999-12") == ("9999-12", "9999-12")
    assert month_range("²０２6-01") == ("²０２6-01", "²０２6-01")
    assert month_range("2026-12") == ("2026-12-01", "2027-01-01")


@pytest.mark.parametrize("raw", ["²", "２０２6", "٢٠٢٦", "2026 ", "+2026", ""])
def test_a_plan_year_in_unicode_digits_is_not_found(raw):
    with pytest.raises(NotFoundException):
        year_or_404(raw)
