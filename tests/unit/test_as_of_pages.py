"""A day's page as the templates write it: ``DayLinks`` gives every link of the site the day and
every form the day's hidden field, other links and everything else as written; a live page comes
out as written; and what counts as a day."""

from __future__ import annotations

from datetime import date

import jinja2
import pytest

from web import as_of
from web.as_of import BadAsOf, DayLinks, parse_day

DAY = date(2026, 6, 1)


def _rendered(source: str, day: date | None, **context: object) -> str:
    env = jinja2.Environment(extensions=[DayLinks], autoescape=True)
    env.filters["day_link"] = as_of.day_link
    env.globals.update(as_of.TEMPLATE_GLOBALS)
    token = as_of._SHOWN.set(day)
    try:
        return env.from_string(source).render(**context)
    finally:
        as_of._SHOWN.reset(token)


LINKS = ('<a href="/calendar?kind=exchange&amp;when=past#list">c</a> <a href="https://europa.eu/x">e</a> '
         '<link href="/static/app.css"> <div hx-get="?page=2"></div> <a href="/x?as_of=2020-01-01">o</a> '
         '<a href="#content">s</a> <a data-live href="/calendar">now</a> <a data-action="/x">d</a> '
         '<div data-hx-get="/more"></div>')


def test_links_of_the_site_keep_the_day_and_other_links_stay_as_they_were():
    assert _rendered(LINKS, DAY) == (
        '<a href="/calendar?kind=exchange&amp;when=past&amp;as_of=2026-06-01#list">c</a> '
        '<a href="https://europa.eu/x">e</a> <link href="/static/app.css"> '
        '<div hx-get="?page=2&amp;as_of=2026-06-01"></div> <a href="/x?as_of=2026-06-01">o</a> '
        '<a href="#content">s</a> <a data-live href="/calendar">now</a> <a data-action="/x">d</a> '
        '<div data-hx-get="/more?as_of=2026-06-01"></div>'
    )


def test_a_live_page_comes_out_as_written():
    assert _rendered(LINKS, None) == LINKS
    assert _rendered('<form action="/calendar"><select name="kind"></select></form>', None) == (
        '<form action="/calendar"><select name="kind"></select></form>')


def test_a_link_written_with_an_expression_keeps_the_day_and_its_value_is_escaped():
    source = '<a href="/activities/{{ id }}?tab=a&amp;b={{ b }}">a</a>'
    assert _rendered(source, DAY, id="7", b="<1>") == '<a href="/activities/7?tab=a&amp;b=%3C1%3E&amp;as_of=2026-06-01">a</a>'
    assert _rendered(source, None, id="7", b="<1>") == '<a href="/activities/7?tab=a&amp;b=&lt;1&gt;">a</a>'


def test_a_search_form_stays_and_sends_the_day_along():
    assert _rendered('<form action="/calendar" class="filters"><select name="kind"></select></form>', DAY) == (
        '<form action="/calendar?as_of=2026-06-01" class="filters"><input type="hidden" name="as_of" '
        'value="2026-06-01"><select name="kind"></select></form>'
    )


def test_a_link_whose_value_ends_inside_an_expression_is_refused_when_the_template_is_read():
    with pytest.raises(jinja2.TemplateSyntaxError):
        _rendered('<a href="{{ "/x" }}">x</a>', DAY)


@pytest.mark.parametrize("raw", ["2026-06-01", "2000-01-01", "2100-12-31"])
def test_a_day_is_written_year_month_day_between_2000_and_2100(raw: str):
    assert parse_day(raw) == date.fromisoformat(raw)


@pytest.mark.parametrize("raw", ["", "2026-6-1", "20260601", "2026-02-30", "1999-12-31", "2101-01-01", "٢٠٢٦-06-01",
                                 "2026-06-01T10:00", " 2026-06-01"])
def test_anything_else_is_not_a_day(raw: str):
    with pytest.raises(BadAsOf):
        parse_day(raw)
