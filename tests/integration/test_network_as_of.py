"""``?as_of=DAY``: a page shows the network as the record stood at the end of that day, on SQLite
and on PostgreSQL: an outcome corrected later shows as first reported before the correction, as
corrected after it; a banner says so; links keep the day; forms are left out; a bad day is a 400."""

from __future__ import annotations

import dataclasses
import itertools
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import eventsourcing.domain
import pytest
from bs4 import BeautifulSoup

from tests.conftest import postgres_dsn
from tests.support.processes import eventually
from tests.support.site import Site, running_site

BASE = date.today() + timedelta(days=30)  # after every event the site stored when it started (sign-ins)
PLANNED, REPORTED, CORRECTED = BASE, BASE + timedelta(days=5), BASE + timedelta(days=15)
BETWEEN = REPORTED + timedelta(days=4)
OUTCOME = dict(participants=40, young_people=30, fewer_opportunities=10, centres_attended=2)


@contextmanager
def recorded_on(site: Site, day: date) -> Iterator[None]:
    """Commands stored as if on ``day``: the library's clock (the events' timestamps) and the
    application's "today" both say so (noon in Sofia, a microsecond later each time)."""
    ticks = itertools.count()
    noon = datetime.combine(day, time(10, 0), timezone.utc)
    original, clock = eventsourcing.domain.datetime_now_with_tzinfo, site.store.clock
    eventsourcing.domain.datetime_now_with_tzinfo = lambda: noon + timedelta(microseconds=next(ticks))
    site.store.clock = lambda: day
    try:
        yield
    finally:
        eventsourcing.domain.datetime_now_with_tzinfo, site.store.clock = original, clock


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    database_url, schema = "", ""
    if request.param == "postgres":
        schema = f"t_{uuid.uuid4().hex[:12]}"
        database_url = f"{postgres_dsn()}?schema={schema}"
    try:
        with running_site(tmp_path_factory.mktemp("as-of"), database_url) as running:
            yield running
    finally:
        if schema:
            import psycopg

            with psycopg.connect(postgres_dsn(), autocommit=True) as connection:
                connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(scope="module")
def activity(site: Site) -> str:
    """An activity planned, held and reported with 40 participants; corrected to 42 ten days later."""
    with recorded_on(site, PLANNED):
        host = site.member("Младежки център Вчера")
        activity_id, _ = site.store.activities.plan_activity(
            host_centre_id=host, title="Обмен по време", kind="exchange", city="Добрич",
            starts_on=PLANNED + timedelta(days=1), ends_on=PLANNED + timedelta(days=2),
        )
    with recorded_on(site, REPORTED):
        site.store.activities.record_outcome(activity_id, **OUTCOME)
    with recorded_on(site, CORRECTED):
        site.store.activities.correct_outcome(activity_id, **dict(OUTCOME, participants=42),
                                              happened_on=PLANNED + timedelta(days=2), reason="Списъкът на място")
    site.settle()
    return f"/activities/{activity_id}"


def participants(page: BeautifulSoup) -> str:
    figures = page.select_one("#outcome-figures")
    assert figures is not None, "the outcome is not on the page"
    return figures.find_all("dd")[0].get_text(strip=True)


def test_before_the_correction_the_outcome_shows_as_first_reported(site: Site, activity: str):
    assert participants(site.page(f"{activity}?as_of={BETWEEN.isoformat()}")) == "40"


def test_from_the_day_of_the_correction_the_outcome_shows_as_corrected(site: Site, activity: str):
    assert participants(site.page(f"{activity}?as_of={CORRECTED.isoformat()}")) == "42"
    assert participants(site.page(activity)) == "42"  # and the live page, as always


def test_before_it_was_recorded_the_activity_is_not_there(site: Site, activity: str):
    assert site.web.get(f"{activity}?as_of={(PLANNED - timedelta(days=1)).isoformat()}").status_code == 404


def test_the_banner_names_the_day_and_links_to_the_network_now(site: Site, activity: str):
    page = site.page(f"{activity}?as_of={BETWEEN.isoformat()}")
    banner = page.select_one("#as-of")
    assert banner is not None
    assert BETWEEN.strftime("%d.%m.%Y") in banner.get_text()  # the Bulgarian way, via the day filter
    assert banner.select_one("a[data-live]")["href"] == activity
    assert site.page(activity).select_one("#as-of") is None


def test_every_link_of_the_site_keeps_the_day(site: Site, activity: str):
    day = BETWEEN.isoformat()
    page = site.page(f"{activity}?as_of={day}")
    links = [a["href"] for a in page.select("a[href]") if a["href"].startswith("/") and not a.has_attr("data-live")
             and not a["href"].startswith("/static/")]
    assert links, "the page has no links to check"
    assert all(f"as_of={day}" in link for link in links), [link for link in links if day not in link]
    for element in page.select("[hx-get], [data-hx-get]"):
        assert f"as_of={day}" in (element.get("hx-get") or element["data-hx-get"])


def test_forms_and_command_buttons_are_left_out(site: Site, activity: str):
    live = site.page(activity)
    assert live.select("form[method=post], [hx-post], [data-hx-post]"), "the live page should offer commands"
    past = site.page(f"{activity}?as_of={BETWEEN.isoformat()}")
    assert past.select("form[method=post], form[method=POST], [hx-post], [hx-put], [hx-delete], [hx-patch], "
                       "[data-hx-post], [data-hx-put], [data-hx-delete], [data-hx-patch]") == []
    assert not past.find(string=re.compile("Record the correction|Запиши корекцията"))


def test_a_search_form_keeps_the_day(site: Site, activity: str):
    page = site.page(f"/calendar?as_of={BETWEEN.isoformat()}")
    forms = page.select("form")
    assert forms, "the calendar has a filter form"
    for form in forms:
        assert form.select_one(f"input[type=hidden][name=as_of][value='{BETWEEN.isoformat()}']") is not None


def test_a_second_request_for_the_day_reuses_its_replay(site: Site, activity: str):
    models: Any = site.web.services.as_of
    site.page(f"{activity}?as_of={BETWEEN.isoformat()}")
    cached = models.cached()
    site.page(f"/calendar?as_of={BETWEEN.isoformat()}")
    assert models.cached() == cached


@pytest.mark.parametrize("value", ["yesterday", "2026-13-01", "2026-02-30", "1999-12-31", "2101-01-01", "", "20260601",
                                   "2026-06-01T00:00"])
def test_a_day_that_is_not_one_is_a_400_that_says_how_to_write_it(site: Site, activity: str, value: str):
    response = site.web.get(f"{activity}?as_of={value}")
    assert response.status_code == 400, response.status_code
    text = BeautifulSoup(response.text, "html.parser").get_text()
    assert "2026-06-01" in text and "2000" in text and "2100" in text


def test_the_day_as_written_is_shown_escaped(site: Site, activity: str):
    response = site.web.get(f"{activity}?as_of=<b>1</b>")
    assert response.status_code == 400
    assert "<b>1</b>" not in response.text and "&lt;b&gt;1&lt;/b&gt;" in response.text


def test_a_day_still_being_replayed_says_preparing_and_reloads_until_it_is_ready(site: Site, activity: str):
    state = site.web.client.app.state
    live = state.services
    state.services = dataclasses.replace(live, settings=dataclasses.replace(live.settings, as_of_wait_seconds=0))
    try:
        url = f"{activity}?as_of={PLANNED.isoformat()}"  # a position no other test asks for: planned, not held
        response = site.web.get(url)
        assert response.status_code == 503
        assert response.headers["retry-after"] == "2"
        page = BeautifulSoup(response.text, "html.parser")
        assert page.select_one("meta[http-equiv=refresh]") is not None
        assert page.select_one("#as-of-problem h1").get_text(strip=True) == "Подготвя се…"
        eventually(lambda: site.web.get(url).status_code == 200, 30, "the day was never ready")
        assert site.page(url).select_one("#outcome-figures") is None
    finally:
        state.services = live


def test_a_day_s_page_does_not_follow_the_live_read_models(site: Site, activity: str):
    assert site.page(activity).select("[data-sse-connect]"), "the live page should follow the read models"
    assert site.page(f"{activity}?as_of={BETWEEN.isoformat()}").select("[data-sse-connect], [sse-connect]") == []
