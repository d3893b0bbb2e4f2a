"""A day's page on its way out: links of the site keep the day, commands are left out, the rest of
the page comes back as it was; and what counts as a day."""

from __future__ import annotations

from datetime import date

import pytest

from web.as_of import BadAsOf, keep_day, parse_day

DAY = date(2026, 6, 1)


def test_links_of_the_site_keep_the_day_and_other_links_stay_as_they_were():
    page = ('<a href="/calendar?kind=exchange&amp;when=past#list">c</a> <a href="https://europa.eu/x">e</a> '
            '<link href="/static/app.css"> <div hx-get="?page=2"></div> <a href="/x?as_of=2020-01-01">o</a> '
            '<a href="#content">s</a> <a data-live href="/calendar">now</a>')
    assert keep_day(page, DAY) == (
        '<a href="/calendar?kind=exchange&amp;when=past&amp;as_of=2026-06-01#list">c</a> '
        '<a href="https://europa.eu/x">e</a> <link href="/static/app.css"> '
        '<div hx-get="?page=2&amp;as_of=2026-06-01"></div> <a href="/x?as_of=2026-06-01">o</a> '
        '<a href="#content">s</a> <a data-live href="/calendar">now</a>'
    )


def test_commands_are_left_out_to_their_end_and_what_follows_stays():
    page = ('<p>a</p><form method="post" action="/c"><input name="x"><div><button>go</button></div></form>'
            '<div class="row" hx-post="/j"><div>inner</div><div>more</div></div><input hx-delete="/d">'
            '<FORM METHOD="POST"></FORM><button class="x" data-hx-post="/p">go</button><p>b</p>')
    assert keep_day(page, DAY) == "<p>a</p><p>b</p>"


def test_a_search_form_stays_and_sends_the_day_along():
    assert keep_day('<form action="/calendar" class="filters"><select name="kind"></select></form>', DAY) == (
        '<form action="/calendar?as_of=2026-06-01" class="filters"><input type="hidden" name="as_of" '
        'value="2026-06-01"><select name="kind"></select></form>'
    )


@pytest.mark.parametrize("raw", ["2026-06-01", "2000-01-01", "2100-12-31"])
def test_a_day_is_written_year_month_day_between_2000_and_2100(raw: str):
    assert parse_day(raw) == date.fromisoformat(raw)


@pytest.mark.parametrize("raw", ["", "2026-6-1", "20260601", "2026-02-30", "1999-12-31", "2101-01-01", "٢٠٢٦-06-01",
                                 "2026-06-01T10:00", " 2026-06-01"])
def test_anything_else_is_not_a_day(raw: str):
    with pytest.raises(BadAsOf):
        parse_day(raw)


def test_a_live_page_does_not_follow_the_live_read_models_on_a_day():
    page = ('<div data-hx-ext="sse" data-sse-connect="/live/network?since=7" data-sse-close="close" '
            'data-sse-swap="update">x</div>')
    assert keep_day(page, DAY) == '<div data-sse-close="close" data-sse-swap="update">x</div>'


def _keep_day_by_the_first_patterns(html: str, day: date) -> str:
    """``keep_day`` as first written (a link found by a look-behind and a word boundary at every
    position, the commands and the live streams looked for on every page): the reference the
    faster scan must agree with."""
    import re
    from html import escape, unescape

    from web.as_of import _FORM, _LIVE, PARAM, _without_commands, with_day

    first_link = re.compile(r"(?<!data-live )\b(href|hx-get|action)=\"([^\"]*)\"")

    def link(match: re.Match[str]) -> str:
        value = unescape(match.group(2))
        changed = with_day(value, day)
        return match.group(0) if changed == value else f'{match.group(1)}="{escape(changed, quote=True)}"'

    hidden = f'<input type="hidden" name="{PARAM}" value="{day.isoformat()}">'
    html = first_link.sub(link, _LIVE.sub("", _without_commands(html)))
    return _FORM.sub(lambda form: form.group(0) + hidden, html)


@pytest.mark.parametrize("page", [
    '<a href="/a">a</a><a data-live href="/b">now</a><a data-live  href="/c">two spaces</a>',
    '<div data-action="/x" xhref="/y" hx-get="/z" data-hx-get="/w" _href="/v" ähref="/u"></div>',
    '<a href="/a" class="x" action="/b">', 'href="/start"', '<a\nhref="/nl">\thx-get="/tab"</a>',
    '<a HREF="/upper">u</a><form action="/s"></form><form action="/t" method="post"><a href="/in"></a></form>',
    '<div hx-ext="sse" sse-connect="/live">x</div><a href="/after">a</a>', '<p>no links</p>', '',
    '<a href="/calendar?kind=exchange&amp;when=past#list">c</a><a href="//other.example/x">o</a><a href="/static/x.css">',
    '<button hx-post="/j">go</button><a href="/x?as_of=2020-01-01">o</a><input hx-delete="/d"><form METHOD="POST"></form>',
])
def test_the_page_is_rewritten_as_by_the_first_patterns(page: str):
    assert keep_day(page, DAY) == _keep_day_by_the_first_patterns(page, DAY)


def test_real_pages_are_rewritten_as_by_the_first_patterns():
    from pathlib import Path

    pages = sorted(Path(__file__).parents[2].joinpath("web", "templates").rglob("*.html"))
    assert len(pages) > 20
    for page in pages:  # the templates' own text: every link, form and command as the pages write them
        text = page.read_text(encoding="utf-8")
        assert keep_day(text, DAY) == _keep_day_by_the_first_patterns(text, DAY), page
