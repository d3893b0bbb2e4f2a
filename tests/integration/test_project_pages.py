"""The project pages over HTTP: the register with its euro total, a project's page with its bars, SVG chart,
first report and correction side by side, and its frozen report unchanged by a later correction; the CSVs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.support.site import Site, running_site


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    with running_site(tmp_path) as running:
        yield running


def test_a_project_page_shows_the_live_figure_and_the_report_keeps_the_submitted_one(site):
    # Given the Plovdiv project with 80 consulted reported, an interim report submitted, then corrected to 86
    plovdiv = site.member("Младежки център Пловдив", city="Пловдив")
    project, _ = site.store.projects.register_project(
        code="BG05M9OP001-4.003-0020-C01", title="Създаване на Център за социални иновации в Община Пловдив",
        funder="esf", beneficiary="Община Пловдив", centre_ids=[plovdiv],
        partners=[{"name": "„БД Център“ ООД", "country": "Полша"}], total_value="199408.00", currency="BGN",
        starts_on=date(2019, 3, 25), planned_end=date(2021, 6, 30),
    )
    site.store.projects.start_project(project, date(2019, 3, 25))
    site.store.projects.define_indicator(project, key="consulted", name="Консултирани NEETs", unit="души", target=150)
    site.store.projects.report_progress(project, key="consulted", period="2020", value=80, as_of=date(2020, 12, 31))
    site.store.projects.submit_report(project, kind="interim", period="2020")
    site.store.projects.correct_progress(project, key="consulted", period="2020", value=86, as_of=date(2021, 1, 10),
                                         note="Пропуснати записи")
    site.settle()

    # Then the register shows the lev amount with its euro value and the euro total
    register = site.page("/projects").get_text(" ", strip=True)
    assert "199\u00a0408,00 лв. ≈ 101\u00a0955,69 €" in register
    # And the project's page shows the live 86, both the first report and the correction, a bar and an SVG chart
    page = site.page(f"/projects/{project}")
    text = page.get_text(" ", strip=True)
    assert "86 / 150" in text
    assert [row.select("td")[2].get_text(" ", strip=True).split(" ")[0] for row in page.select("tbody tr")] == ["80", "86"]
    assert page.select_one("progress")["value"] == "57"
    assert page.select_one("svg.chart polyline") is not None
    # And the submitted report still shows 80
    report = site.page(f"/projects/{project}/reports/interim/2020")
    assert [td.get_text(strip=True) for td in report.select("tbody td")][2] == "80"
    # And the CSV of progress holds both rows
    progress_csv = site.web.get("/projects/progress.csv").text
    assert progress_csv.count(str(project)) == 2 and ",80," in progress_csv and ",86," in progress_csv


def test_the_home_page_counts_young_people_reached_by_projects_this_year(site):
    # Given a running project reaching 40 young people this year, then corrected to 45, and 30 in an earlier year
    today = site.store.today()
    project, _ = site.store.projects.register_project(
        code="BG06-101", title="Международен младежки център", funder="eea_norway", beneficiary="Община Стара Загора",
        total_value="1395380", currency="EUR", starts_on=date(today.year - 1, 1, 1), planned_end=date(today.year, 12, 31),
    )
    site.store.projects.define_indicator(project, key="reached", name="Обхванати младежи", unit="младежи", target=700)
    site.store.projects.report_progress(project, key="reached", period="previous", value=30, as_of=date(today.year - 1, 6, 1))
    site.store.projects.report_progress(project, key="reached", period="this", value=40, as_of=date(today.year, 1, 1))
    site.store.projects.correct_progress(project, key="reached", period="this", value=45, as_of=date(today.year, 1, 1), note="x")
    site.settle()
    # Then the home page counts this year's figure as corrected
    reach = site.page("/").select_one('.figures article:has(a[href="/projects"]) h2')
    assert reach is not None and reach.get_text(strip=True) == "45"


def test_a_centres_page_lists_the_projects_it_takes_part_in(site):
    # Given Plovdiv involved in a project and Vratsa in none
    plovdiv, vratsa = site.member("МЦ Пловдив", city="Пловдив"), site.member("МЦ Враца", city="Враца")
    project, _ = site.store.projects.register_project(
        code="BG05M9OP001-4.003-0020-C01", title="Център за социални иновации", funder="esf", beneficiary="Община Пловдив",
        centre_ids=[plovdiv], total_value="199408.00", currency="BGN", starts_on=date(2019, 3, 25),
        planned_end=date(2021, 6, 30),
    )
    site.settle()
    # Then Plovdiv's page links to it and Vratsa's shows no projects
    links = [a["href"] for a in site.page(f"/centres/{plovdiv}").select("#centre-projects a")]
    assert links == [f"/projects/{project}"]
    assert site.page(f"/centres/{vratsa}").select("#centre-projects") == []


def test_the_register_filters_by_programme_and_by_centre_and_totals_what_it_shows(site):
    # Given an ESF project of Plovdiv's under OP HRD and an EEA project of Stara Zagora's under another programme
    plovdiv, zagora = site.member("МЦ Пловдив", city="Пловдив"), site.member("МЦ Стара Загора", city="Стара Загора")
    hrd, _ = site.store.projects.register_project(
        code="BG05M9OP001-4.003-0020-C01", title="Център за социални иновации", funder="esf", beneficiary="Община Пловдив",
        programme="ОП „Развитие на човешките ресурси“", centre_ids=[plovdiv], total_value="199408.00", currency="BGN",
        starts_on=date(2019, 3, 25), planned_end=date(2021, 6, 30))
    eea, _ = site.store.projects.register_project(
        code="BG06-101", title="Международен младежки център", funder="eea_norway", beneficiary="Община Стара Загора",
        programme="BG06 Деца и младежи в риск", centre_ids=[zagora], total_value="1395380", currency="EUR",
        starts_on=date(2015, 1, 1), planned_end=date(2017, 4, 30))
    site.settle()
    # Then the register offers both programmes and the member centres to filter by
    page = site.page("/projects")
    assert {o["value"] for o in page.select("select[name=programme] option")} >= {
        "ОП „Развитие на човешките ресурси“", "BG06 Деца и младежи в риск"}
    assert {o["value"] for o in page.select("select[name=centre] option")} >= {str(plovdiv), str(zagora)}

    def shown(query: str) -> tuple[list[str], str]:
        listed = site.page(f"/projects?{query}")
        return [a["href"] for a in listed.select("ul.cards a[href^='/projects/']")], listed.get_text(" ", strip=True)

    # And a programme shows its project only, with its total in euro
    links, text = shown("programme=%D0%9E%D0%9F%20%E2%80%9E%D0%A0%D0%B0%D0%B7%D0%B2%D0%B8%D1%82%D0%B8%D0%B5%20%D0%BD%D0%B0%20"
                        "%D1%87%D0%BE%D0%B2%D0%B5%D1%88%D0%BA%D0%B8%D1%82%D0%B5%20%D1%80%D0%B5%D1%81%D1%83%D1%80%D1%81%D0%B8%E2%80%9C")
    assert links == [f"/projects/{hrd}"] and "101\u00a0955,69 €" in text
    # And a centre shows the projects it takes part in
    links, _ = shown(f"centre={zagora}")
    assert links == [f"/projects/{eea}"]
