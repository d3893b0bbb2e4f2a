"""The public directory: a visitor sees the member centres (name, city, Quality Label, activities hosted
and joined) and each one's public page; staff and contacts stay for the signed-in. No link on a public
page leads a visitor into a sign-in wall, and the links that do ask to sign in say why."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from demo.governance import PRACTICES
from tests.support.site import Site, running_site

TODAY = date.today()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("directory"))) as running:
        yield running


@pytest.fixture(scope="module")
def centres(site: Site) -> dict[str, str]:
    # Given Vratsa, with the Quality Label, a coordinator and a contact, hosts a training Dobrich joined
    vratsa, _ = site.store.centres.register_centre(name="Младежки център – Враца", city="Враца",
                                                   contact="vratsa@example.org, 0888 123 456", address="ул. Лиляна 1")
    site.store.centres.apply_for_membership(vratsa)
    site.store.centres.admit_centre(vratsa)
    site.store.centres.apply_for_label(vratsa, TODAY - timedelta(days=90))
    site.store.centres.record_label_inspection(vratsa, TODAY - timedelta(days=60))
    site.store.centres.award_label(vratsa, TODAY - timedelta(days=30), TODAY + timedelta(days=700))
    site.store.centres.add_staff_member(vratsa, "Иван Колев", "coordinator")
    dobrich = site.member("Младежки център – Добрич", city="Добрич")
    activity, _ = site.store.activities.plan_activity(
        host_centre_id=vratsa, title="Обучение във Враца", kind="training", starts_on=TODAY + timedelta(days=9),
        ends_on=TODAY + timedelta(days=9), city="Враца")
    site.store.activities.join_activity(activity, dobrich, 4)
    practice, _ = site.store.practices.share_practice(
        centre_id=dobrich, **{k: v for k, v in PRACTICES[0].items() if k not in ("key", "centre")})
    # And Pleven applied but is not a member
    pleven, _ = site.store.centres.register_centre(name="Младежки център – Плевен", city="Плевен")
    site.store.centres.apply_for_membership(pleven)
    site.settle()
    return {"vratsa": str(vratsa), "dobrich": str(dobrich), "pleven": str(pleven), "activity": str(activity),
            "practice": str(practice)}


@pytest.fixture
def visitor(site: Site) -> Iterator[Site]:
    site.web.sign_out()
    try:
        yield site
    finally:
        site.web.sign_in("secretariat")


def test_a_visitor_sees_the_member_centres_with_city_label_and_activities(visitor, centres):
    page = visitor.page("/centres")
    rows = {li["id"].removeprefix("centre-"): " ".join(li.get_text().split()) for li in page.select("#centre-list li[id]")}
    assert set(rows) == {centres["vratsa"], centres["dobrich"]}  # not Pleven, which only applied
    assert rows[centres["vratsa"]] == ("Младежки център – Враца · Враца ★ Знак за качество "
                                       "· домакин на 1 дейност, участник в 0")
    assert rows[centres["dobrich"]].endswith("· домакин на 0 дейности, участник в 1")
    assert page.select_one("form[data-hx-post], details.register") is None


def test_a_visitors_view_of_a_centre_keeps_its_staff_and_contacts_for_the_signed_in(visitor, centres):
    page = visitor.page(f"/centres/{centres['vratsa']}")
    text = page.get_text()
    assert "Обучение във Враца" in page.select_one("#hosted-rows").get_text()
    assert page.select_one("#quality-label") is not None
    assert "Иван Колев" not in text and "vratsa@example.org" not in text and "ул. Лиляна" not in text
    assert page.select_one(".timeline") is None and page.select_one("form[method=post]:not(.inline)") is None
    why = page.select_one("#profile-sign-in")
    assert "персоналът" in why.get_text().casefold() and why.a["href"] == f"/login?next=/centres/{centres['vratsa']}"
    assert visitor.web.get(f"/centres/{centres['pleven']}").status_code == 404  # not a member: no public page


def test_the_signed_in_still_see_staff_contacts_and_every_centre(site, centres):
    page = site.page(f"/centres/{centres['vratsa']}")
    assert "Иван Колев" in page.select_one("#staff-list").get_text() and "vratsa@example.org" in page.get_text()
    assert centres["pleven"] in [li.get("id", "").removeprefix("centre-") for li in site.page("/centres").select("#centre-list li")]


def public_pages(centres: dict[str, str]) -> list[str]:
    return ["/", "/calendar", "/network", "/practices", "/projects", "/centres", f"/centres/{centres['vratsa']}",
            f"/activities/{centres['activity']}", f"/practices/{centres['practice']}"]


def test_no_link_on_a_public_page_leads_a_visitor_to_a_sign_in_wall(visitor, centres):
    walls = []
    for url in public_pages(centres):
        page = visitor.page(url)
        for a in page.select("main a[href], footer a[href]"):
            target = urlsplit(a["href"])
            if target.netloc or not target.path.startswith("/") or target.path in ("/login",) or target.path.startswith("/lang/"):
                continue
            response = visitor.web.get(a["href"], follow_redirects=False)
            if response.status_code in (301, 302, 303, 307, 401) and "/login" in response.headers.get("location", "/login"):
                walls.append(f"{url} -> {a['href']}")
    assert walls == []


def test_a_link_that_asks_a_visitor_to_sign_in_says_why(visitor, centres):
    for url in public_pages(centres):
        for a in visitor.page(url).select("main a[href^='/login']"):
            why = a.find_parent(class_="sign-in-why")
            assert why is not None and len(why.get_text(strip=True)) > len(a.get_text(strip=True)) + 20, (url, str(a))
    page = BeautifulSoup(visitor.web.get("/plans").text, "html.parser")  # a private page: the sign-in page says why
    assert "влезте, за да я видите" in page.select_one("#why-sign-in").get_text()
