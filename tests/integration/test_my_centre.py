""""My centre", the signed-in home page of a centre's people: its next activities, the outcomes it still
owes, the applications waiting for the chair, the coming handover and the practices it could endorse;
each part only for those who can act on it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from demo.governance import PRACTICES
from tests.support.site import Site, running_site

TODAY = date.today()
LAST_YEAR = TODAY.year - 1
CONTENT = {k: v for k, v in PRACTICES[0].items() if k not in ("key", "centre")}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("my-centre"))) as running:
        yield running


def plan(site: Site, host, title: str, starts_on: date, days: int = 0):
    activity_id, _ = site.store.activities.plan_activity(
        host_centre_id=host, title=title, kind="training", starts_on=starts_on,
        ends_on=starts_on + timedelta(days=days), city="Враца",
    )
    return activity_id


@pytest.fixture(scope="module")
def network(site: Site) -> dict[str, object]:
    # Given Vratsa chaired last year, and the annual meeting confirmed Dobrich for this year, not yet handed over
    vratsa = site.member("Младежки център – Враца", city="Враца")
    dobrich = site.member("Младежки център – Добрич", city="Добрич")
    site.store.network.hand_over_chair(LAST_YEAR, vratsa, date(LAST_YEAR, 1, 10))
    site.store.plans.draft_plan(LAST_YEAR, ["Мрежуване"])
    site.store.plans.add_plan_item(LAST_YEAR, kind="training", theme="Обучение за мрежуване", month=10)
    site.store.plans.publish_plan(LAST_YEAR)
    site.store.network.record_annual_meeting(
        held_on=date(LAST_YEAR, 12, 15), report_year=LAST_YEAR, next_chair_id=dobrich, priorities=["Младежка заетост"],
        report=dict(items=1, held=0, cancelled=0, not_held=1, dropped=0, unplanned=0))
    # And Pernik applied for membership, Pleven is only registered
    pernik, _ = site.store.centres.register_centre(name="Младежки център – Перник", city="Перник")
    site.store.centres.apply_for_membership(pernik)
    site.store.centres.register_centre(name="Младежки център – Плевен", city="Плевен")
    # And Vratsa's activities: two to come, one ended without an outcome, one reported, one cancelled
    later = plan(site, vratsa, "Обучение след месец", TODAY + timedelta(days=30))
    sooner = plan(site, vratsa, "Обучение след седмица", TODAY + timedelta(days=7))
    due = plan(site, vratsa, "Обучение без отчет", TODAY - timedelta(days=20), days=1)
    reported = plan(site, vratsa, "Обучение с отчет", TODAY - timedelta(days=10))
    site.store.activities.record_outcome(reported, participants=10, young_people=8, fewer_opportunities=1,
                                         centres_attended=1)
    site.store.activities.cancel_activity(plan(site, vratsa, "Отменено обучение", TODAY - timedelta(days=5)), "Болест")
    # And Dobrich's exchange that Vratsa joined, and one it did not
    joined = plan(site, dobrich, "Обмен в Добрич", TODAY + timedelta(days=14))
    site.store.activities.join_activity(joined, vratsa, 5)
    plan(site, dobrich, "Друг обмен в Добрич", TODAY + timedelta(days=3))
    # And Dobrich shares two practices, Vratsa endorsed one of them and shared its own
    endorsed, _ = site.store.practices.share_practice(centre_id=dobrich, **{**CONTENT, "title": "Одобрена практика"})
    site.store.practices.endorse_practice(endorsed, vratsa, "Работи")
    waiting, _ = site.store.practices.share_practice(centre_id=dobrich, **{**CONTENT, "title": "Практика за одобрение"})
    site.store.practices.share_practice(centre_id=vratsa, **{**CONTENT, "title": "Собствена практика"})
    site.settle()
    return {"vratsa": vratsa, "dobrich": dobrich, "pernik": pernik, "later": later, "sooner": sooner, "due": due,
            "joined": joined, "waiting": waiting}


def home(site: Site, role: str, centre) -> object:
    site.web.sign_in_as(role, centre, username=f"{role}-{str(centre)[:8]}")
    try:
        return site.page("/")
    finally:
        site.web.sign_in("secretariat")


def links(page, section: str) -> list[str]:
    return [a["href"] for a in page.select(f"#{section} li a")]


def test_the_chairs_coordinator_sees_what_is_coming_and_everything_waiting_for_them(site, network):
    page = home(site, "coordinator", network["vratsa"])
    assert page.select_one("h1").get_text(strip=True) == "Моят център"
    # the next activities it hosts or joined, soonest first; not the ones it has nothing to do with
    assert links(page, "my-next-activities") == [
        f"/activities/{network[key]}" for key in ("sooner", "joined", "later")]
    assert "Участник" in page.select("#my-next-activities li")[1].get_text()
    # what it hosted and must still report (not the reported nor the cancelled one)
    assert links(page, "outcomes-due") == [f"/activities/{network['due']}#outcome"]
    # the application waiting for the chair (not the centre that only registered)
    assert links(page, "applications") == [f"/centres/{network['pernik']}#membership"]
    # the handover coming up: Dobrich, confirmed by the annual meeting
    handover = " ".join(page.select_one("#coming-handover").get_text().split())
    assert f"Потвърден председател за {TODAY.year} г.: Младежки център – Добрич" in handover
    assert f"общо събрание от 15.12.{LAST_YEAR} г." in handover
    # the other centres' practices it has not endorsed yet
    assert links(page, "practices-to-endorse") == [f"/practices/{network['waiting']}"]


def test_a_member_sees_the_activities_and_the_handover_but_nothing_only_a_coordinator_may_act_on(site, network):
    page = home(site, "member", network["vratsa"])
    assert links(page, "my-next-activities")[0] == f"/activities/{network['sooner']}"
    assert page.select_one("#handover") is not None
    assert [page.select_one(f"#{part}") for part in ("outcomes-due", "applications", "practices-to-endorse")] == [
        None, None, None]


def test_a_coordinator_of_a_centre_not_chairing_sees_no_applications(site, network):
    page = home(site, "coordinator", network["dobrich"])
    assert page.select_one("#applications") is None
    titles = [a.get_text(strip=True) for a in page.select("#my-next-activities li a")]
    assert titles == ["Друг обмен в Добрич", "Обмен в Добрич"]  # its own two exchanges, soonest first
    assert "вашият център поема председателството" in page.select_one("#coming-handover").get_text()


def test_the_secretariat_and_visitors_still_land_on_the_network_at_a_glance(site, network):
    assert site.page("/").select_one("#figures-by-kind") is not None  # the secretariat has no centre
    site.web.sign_out()
    try:
        assert site.page("/").select_one("#figures-by-kind") is not None
    finally:
        site.web.sign_in("secretariat")
