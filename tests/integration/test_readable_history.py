"""A history a youth worker can read: who did it (a person's and a centre's names, never a user name
or an id), every field of a fact in its own order with labels instead of codes, a correction as
before → after, times in Sofia's time written the reader's way, and line breaks kept."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup

from tests.support.site import Site, running_site

YESTERDAY, TODAY = date.today() - timedelta(days=1), date.today()  # joined while on, reported once it ends


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("history"))) as running:
        yield running


@pytest.fixture(scope="module")
def story(site: Site) -> dict[str, str]:
    """Vratsa plans a training that ends today; Dobrich's coordinator joins it through the form; the
    outcome is reported with 38 participants and corrected to 36."""
    vratsa = site.member("Младежки център – Враца", city="Враца")
    dobrich = site.member("Младежки център – Добрич", city="Добрич")
    activity, _ = site.store.activities.plan_activity(
        host_centre_id=vratsa, title="Обучение за медиатори", kind="training", format="hybrid",
        starts_on=YESTERDAY, ends_on=TODAY, city="Враца", venue="Зала 1",
        theme="Медиация", description="Първи ден: теория.\nВтори ден: практика.", language="bg", capacity=40,
    )
    site.settle()
    site.web.sign_in_as("coordinator", dobrich, username="dobrich-coordinator")
    response = site.web.post_form(f"/activities/{activity}/join", {"centre_id": str(dobrich), "expected_participants": "12"})
    site.web.sign_in("secretariat")
    assert response.status_code == 200 and "form-error" not in response.text, response.text
    site.store.activities.record_outcome(activity, participants=38, young_people=30, fewer_opportunities=5,
                                         centres_attended=2, summary="Добре мина")
    site.store.activities.correct_outcome(activity, participants=36, young_people=30, fewer_opportunities=5,
                                          centres_attended=2, happened_on=YESTERDAY, reason="Двама бяха записани два пъти")
    site.settle()
    return {"activity": str(activity), "vratsa": str(vratsa), "dobrich": str(dobrich)}


def entries(page: BeautifulSoup) -> dict[str, BeautifulSoup]:
    return {li.find("strong").get_text(strip=True): li for li in page.select("#history .timeline > li")}


def fields(entry: BeautifulSoup, kind: str = "details") -> list[str]:
    return [" ".join(div.get_text(" ", strip=True).split()) for div in entry.select(f"dl.{kind} > div")]


def test_a_planned_activity_shows_every_field_in_its_own_order_with_labels_not_codes(site, story):
    planned = entries(site.page(f"/activities/{story['activity']}"))["Планирана"]
    shown = fields(planned)
    assert len(shown) == 12  # all but the empty online link; not cut at six
    assert shown[:5] == ["Заглавие: Обучение за медиатори", "Вид: Обучение", "Формат: Хибридно",
                         "Домакин: Младежки център – Враца", f"Начало: {YESTERDAY:%d.%m.%Y} г."]  # (spaces folded)
    assert "Език: български" in shown and "Капацитет: 40" in shown
    assert not any(re.search(r"[0-9a-f]{8}-[0-9a-f]{4}", text) for text in shown)


def test_a_correction_shows_only_what_changed_as_before_and_after(site, story):
    corrected = entries(site.page(f"/activities/{story['activity']}"))["Коригиран резултат"]
    assert fields(corrected, "changes") == ["Участници: 38 → 36"]
    assert not any(text.startswith("Участници") for text in fields(corrected))
    assert "Причина: Двама бяха записани два пъти" in fields(corrected)


def test_a_centre_joining_names_the_centre_and_the_person_who_did_it(site, story):
    joined = entries(site.page(f"/activities/{story['activity']}"))["Център се включи"]
    assert fields(joined) == ["Център: Младежки център – Добрич", "Очаквани участници: 12"]
    assert joined.select_one(".actor").get_text(" ", strip=True) == "— Dobrich-Coordinator, Младежки център – Добрич"
    history = site.page(f"/activities/{story['activity']}").select_one("#history").get_text(" ")
    assert "demo" not in history and "dobrich-coordinator" not in history and story["dobrich"] not in history


def test_times_are_sofias_written_the_bulgarian_way_and_the_english_way_in_english(site, story):
    planned = entries(site.page(f"/activities/{story['activity']}"))["Планирана"]
    moment = datetime.fromisoformat(planned.find("time")["datetime"].replace("Z", "+00:00")).astimezone(ZoneInfo("Europe/Sofia"))
    assert planned.find("time").get_text() == f"{moment:%d.%m.%Y}\xa0г., {moment:%H:%M}"
    site.web.get("/lang/en")
    try:
        page = site.page(f"/activities/{story['activity']}")
    finally:
        site.web.get("/lang/bg")
    planned = entries(page)["Planned"]
    assert planned.find("time").get_text() == f"{moment.day}\xa0{moment:%b}\xa0{moment.year}, {moment:%H:%M}"
    assert "Language: Bulgarian" in fields(planned)
    # what members wrote is marked Bulgarian on an English page
    title = planned.select("dl.details dd")[0]
    assert title.find("span")["lang"] == "bg" and title.get_text() == "Обучение за медиатори"
    assert page.select_one("#activity-panel h1")["lang"] == "bg" and page.find("html")["lang"] == "en"
    assert all(p.get("lang") == "bg" for p in page.select("#activity-panel p") if "Първи ден" in p.get_text())


def test_line_breaks_in_long_text_are_kept_on_the_page_and_in_the_history(site, story):
    page = site.page(f"/activities/{story['activity']}")
    description = [p for p in page.select("#activity-panel p") if "Първи ден" in p.get_text()][0]
    assert [str(node).strip() for node in description.contents if str(node).strip()] == [
        "Първи ден: теория.", "<br/>", "Втори ден: практика."]
    planned = entries(page)["Планирана"]
    assert planned.select_one(".long-text br") is not None
