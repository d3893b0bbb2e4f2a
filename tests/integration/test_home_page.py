"""The network at a glance: this year's figures by kind, the next activities and the newest members."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID

import pytest

from tests.support.site import Site, running_site

TODAY = date.today()
NEW_YEAR = date(TODAY.year, 1, 1)  # this year, and never after today
NEXT_YEAR = date(TODAY.year + 1, 1, 10)  # always to come, and never this year


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    with running_site(tmp_path) as running:
        yield running


def plan(site: Site, host: UUID, title: str, kind: str, on: date) -> UUID:
    activity_id, _ = site.store.activities.plan_activity(
        host_centre_id=host, title=title, kind=kind, starts_on=on, ends_on=on, city="Враца"
    )
    return activity_id


def held(site: Site, activity_id: UUID, participants: int, young_people: int) -> None:
    site.store.activities.record_outcome(
        activity_id, participants=participants, young_people=young_people, fewer_opportunities=0, centres_attended=1
    )


def cells(row) -> list[str]:
    return [cell.get_text(strip=True) for cell in row.select("td, th")]


def test_the_home_page_shows_this_years_figures_the_next_activities_and_the_newest_members(site):
    # Given seven centres admitted one after the other, the newest then suspended, and one only registered
    members = [site.member(f"Младежки център №{n}") for n in range(1, 8)]
    site.store.centres.suspend_centre(members[-1], "Неплатен членски внос")
    site.store.centres.register_centre(name="Младежки център – кандидат", city="Плевен")
    host = members[0]
    # And this year's activities: held, corrected, cancelled and not yet reported; last year's; next year's
    held(site, plan(site, host, "Конференция А", "conference", NEW_YEAR), 40, 30)
    corrected = plan(site, host, "Конференция Б", "conference", NEW_YEAR)
    held(site, corrected, 20, 10)
    site.store.activities.correct_outcome(corrected, participants=25, young_people=12, fewer_opportunities=0, centres_attended=1,
                               happened_on=NEW_YEAR, reason="Списъци")
    held(site, plan(site, host, "Обмен В", "exchange", NEW_YEAR), 10, 5)
    site.store.activities.cancel_activity(plan(site, host, "Обмен Г", "exchange", NEW_YEAR), "Няма зала")
    unreported = plan(site, host, "Обучение Д", "training", NEW_YEAR)
    held(site, plan(site, host, "Миналогодишна конференция", "conference", NEW_YEAR - timedelta(days=200)), 99, 99)
    site.store.activities.cancel_activity(plan(site, host, "Отменена онлайн среща", "online_meeting", NEXT_YEAR), "Болест")
    coming = [  # planned in this order, each n days into next year
        plan(site, host, f"Онлайн среща {n}", "online_meeting", NEXT_YEAR + timedelta(days=n))
        for n in (3, 1, 2, 5, 4, 6)
    ]
    site.settle()

    page = site.page("/")

    # Then this year's figures count each kind's activities, held, cancelled, participants and young people
    rows = [cells(row) for row in page.select("#figures-by-kind tbody tr")]
    assert rows == [
        ["Конференция", "2", "2", "0", "65", "42"],
        ["Обмен", "2", "1", "1", "10", "5"],
        ["Обучение", "1", "0", "0", "0", "0"],
    ]
    assert cells(page.select_one("#figures-by-kind tfoot tr")) == ["Общо", "5", "3", "1", "75", "47"]
    assert [a.get_text(strip=True) for a in page.select(".figures article h2")] == ["6", "13", "75", "0"]  # no project reached anyone
    # And the next activities are the five soonest still planned, soonest first (cancelled ones left out)
    next_ids = [a["href"].removeprefix("/activities/") for a in page.select("#next-activities a")]
    soonest = ([unreported] if NEW_YEAR >= TODAY else []) + [coming[i] for i in (1, 2, 0, 4, 3)]
    assert next_ids == [str(i) for i in soonest[:5]]
    # And the newest members are the five last admitted still in good standing, newest first
    newest = [a.get_text(strip=True) for a in page.select("#newest-members a")]
    assert newest == [f"Младежки център №{n}" for n in (6, 5, 4, 3, 2)]
