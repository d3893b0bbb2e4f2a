"""A visitor's calendar is kept rendered (web.fragments) and is still always right: a fact projected
since, another filter, another language, a signed-in user each get their own page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.support.site import Site, running_site

TODAY = date.today()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("kept"))) as running:
        yield running


@pytest.fixture
def visitor(site: Site) -> Iterator[Site]:
    site.web.sign_out()
    try:
        yield site
    finally:
        site.web.client.cookies.delete("lang")
        site.web.sign_in("secretariat")


def plan(site: Site, title: str, kind: str = "exchange") -> str:
    host = site.member(f"Младежки център – {title}", city="Враца")
    activity, _ = site.store.activities.plan_activity(
        host_centre_id=host, title=title, kind=kind, starts_on=TODAY + timedelta(days=3),
        ends_on=TODAY + timedelta(days=3), city="Враца")
    site.settle()
    return str(activity)


def rows(site: Site, url: str, **kwargs: object) -> str:
    response = site.web.get(url, **kwargs)
    assert response.status_code == 200
    return BeautifulSoup(response.text, "html.parser").select_one("#activity-rows").get_text(" ", strip=True)


def test_a_visitor_sees_an_activity_projected_after_the_calendar_was_kept(visitor: Site):
    plan(visitor, "Първа среща")
    assert "Първа среща" in rows(visitor, "/calendar")  # kept now
    plan(visitor, "Втора среща")
    assert "Втора среща" in rows(visitor, "/calendar")
    assert "Втора среща" in rows(visitor, "/calendar", headers={"HX-Request": "true", "HX-Target": "calendar-results"})


def test_a_visitor_s_kept_calendar_is_kept_per_filter_and_per_language(visitor: Site):
    plan(visitor, "Обучение на обучители", kind="training")
    assert "Обучение на обучители" in rows(visitor, "/calendar")
    assert "Обучение на обучители" not in rows(visitor, "/calendar?kind=exchange")
    assert "Обучение на обучители" in rows(visitor, "/calendar?kind=training")
    visitor.web.client.cookies.set("lang", "en")
    page = visitor.page("/calendar")
    assert page.select_one("select[name=when] option[selected]").get_text(strip=True) == "Upcoming"
    visitor.web.client.cookies.set("lang", "bg")
    page = visitor.page("/calendar")
    assert page.select_one("select[name=when] option[selected]").get_text(strip=True) == "Предстоящи"


def test_the_htmx_part_of_a_visitor_s_calendar_is_the_results_alone(visitor: Site):
    response = visitor.web.get("/calendar?when=past", headers={"HX-Request": "true", "HX-Target": "calendar-results"})
    assert response.status_code == 200
    page = BeautifulSoup(response.text, "html.parser")
    assert page.select_one("#calendar-results") is not None and page.select_one("html, h1, form") is None
    assert "since=" in page.select_one("#calendar-results")["data-sse-connect"]


def test_a_signed_in_user_never_gets_the_visitor_s_kept_calendar(site: Site):
    site.web.sign_out()
    assert site.page("/calendar").select_one("#activity-form") is None  # kept for visitors
    site.web.sign_in("secretariat")
    assert site.page("/calendar").select_one("#activity-form") is not None


def test_a_signed_in_user_s_table_of_activities_is_kept_and_still_shows_what_was_projected_since(site: Site):
    plan(site, "Трета среща")
    assert "Трета среща" in rows(site, "/calendar")  # the table kept now
    plan(site, "Четвърта среща", kind="training")
    assert "Четвърта среща" in rows(site, "/calendar")
    assert "Четвърта среща" not in rows(site, "/calendar?kind=exchange")
    assert "Четвърта среща" in rows(site, "/calendar?kind=training",
                                    headers={"HX-Request": "true", "HX-Target": "calendar-results"})
    assert site.page("/calendar").select_one("#activity-form") is not None
