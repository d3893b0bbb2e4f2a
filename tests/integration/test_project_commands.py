"""Every rule of a funded project, through the application on a real SQLite store: the exact
domain error, nothing stored when a command is refused, and figures that keep their history."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from application.app import MrezhaApplication
from domain.project import EUR_IN_BGN, Project, in_euro
from tests.support.commands import a_centre, refusal, sqlite_application

TODAY = date(2026, 5, 1)
CSI = dict(  # Plovdiv's Centre for Social Innovation, as the seeds give it
    code="BG05M9OP001-4.002-0020-C01", title="Създаване на Център за социални иновации в Община Пловдив",
    funder="esf", programme="ОП „Развитие на човешките ресурси“ 2014-2020", component="4.003 Транснационални партньорства",
    beneficiary="Община Пловдив", partners=[{"name": "„БД Център“ ООД", "country": "Полша"}],
    total_value="199408.00", currency="BGN", starts_on=date(2019, 3, 25), planned_end=date(2021, 6, 30),
    target_group="NEETs на възраст 15–29 години", objectives="Устойчиво интегриране на пазара на труда",
)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[MrezhaApplication]:
    application = sqlite_application(tmp_path / "store.sqlite", TODAY)
    yield application
    application.close()


def register(app: MrezhaApplication, **changes: Any) -> UUID:
    project_id, _ = app.projects.register_project(**{**CSI, **changes})
    return project_id


def with_indicator(app: MrezhaApplication) -> UUID:
    project_id = register(app)
    app.projects.start_project(project_id, date(2019, 3, 25))
    app.projects.define_indicator(project_id, key="consulted", name="Консултирани NEETs", unit="души", target=150)
    return project_id


def test_a_registered_project_keeps_its_money_in_the_contract_currency_with_the_euro_beside_it(app):
    project = app.repository.get(register(app))
    assert isinstance(project, Project) and project.status == "planned"
    assert in_euro(Decimal("199408.00"), "BGN") == Decimal("101955.69")
    assert in_euro(Decimal("1395380"), "EUR") == Decimal("1395380.00")
    assert EUR_IN_BGN == Decimal("1.95583")


@pytest.mark.parametrize("changes, expected", [
    (dict(planned_end=date(2019, 3, 1)), ("planned_end", "end_before_start")),
    (dict(starts_on=date(1999, 12, 31)), ("starts_on", "invalid_date")),
    (dict(planned_end=date(2101, 1, 1)), ("planned_end", "invalid_date")),
    (dict(total_value="12,345"), ("total_value", "invalid_number")),
    (dict(total_value="-1"), ("total_value", "invalid_number")),
    (dict(currency="USD"), ("currency", "invalid_choice")),
    (dict(funder="lottery"), ("funder", "invalid_choice")),
    (dict(code=" "), ("code", "required")),
])
def test_a_project_with_a_broken_fact_is_refused(app, changes, expected):
    assert refusal(app, lambda: register(app, **changes)) == expected


def test_a_beneficiary_centre_must_be_a_member_in_good_standing(app):
    suspended = a_centre(app, membership="suspended")
    assert refusal(app, lambda: register(app, beneficiary_centre_id=suspended)) == ("beneficiary_centre_id", "centre_not_member")


def test_progress_dated_outside_the_period_and_its_reporting_window_is_refused(app):
    project_id = with_indicator(app)
    report = app.projects.report_progress
    assert refusal(app, lambda: report(project_id, key="consulted", period="2019", value=5, as_of=date(2019, 3, 24))) == (
        "as_of", "outside_project_period")
    assert refusal(app, lambda: report(project_id, key="consulted", period="2021", value=5, as_of=date(2021, 9, 29))) == (
        "as_of", "outside_project_period")
    report(project_id, key="consulted", period="2021", value=86, as_of=date(2021, 9, 28))  # 90 days after the end


def test_a_reported_figure_is_never_overwritten_only_corrected_beside_it(app):
    project_id = with_indicator(app)
    app.projects.report_progress(project_id, key="consulted", period="2020", value=80, as_of=date(2020, 12, 31))
    assert refusal(app, lambda: app.projects.report_progress(
        project_id, key="consulted", period="2020", value=86, as_of=date(2020, 12, 31))) == ("period", "progress_reported")
    app.projects.correct_progress(project_id, key="consulted", period="2020", value=86, as_of=date(2021, 1, 15),
                                  note="Пропуснати записи от единното гише")
    history = [type(e).__name__ for e in app.repository.event_store.get(project_id)]
    assert history[-2:] == ["ProgressReported", "ProgressCorrected"]
    corrected = list(app.repository.event_store.get(project_id))[-1]
    assert (corrected.was, corrected.value) == ("80", "86")


def test_an_unchanged_correction_and_one_without_a_first_report_are_refused(app):
    project_id = with_indicator(app)
    assert refusal(app, lambda: app.projects.correct_progress(
        project_id, key="consulted", period="2020", value=1, as_of=date(2020, 5, 1), note="x")) == ("period", "no_progress_to_correct")
    app.projects.report_progress(project_id, key="consulted", period="2020", value=80, as_of=date(2020, 12, 31))
    assert refusal(app, lambda: app.projects.correct_progress(
        project_id, key="consulted", period="2020", value="80", as_of=date(2020, 12, 31), note="x")) == ("value", "nothing_changed")


def test_a_closed_project_takes_no_new_progress_but_takes_corrections(app):
    project_id = with_indicator(app)
    app.projects.report_progress(project_id, key="consulted", period="2021", value=80, as_of=date(2021, 6, 1))
    app.projects.close_project(project_id, date(2021, 6, 30))
    assert refusal(app, lambda: app.projects.report_progress(
        project_id, key="consulted", period="2021-Q3", value=6, as_of=date(2021, 7, 10))) == (None, "project_closed")
    app.projects.correct_progress(project_id, key="consulted", period="2021", value=86, as_of=date(2021, 7, 10), note="Окончателно")


def test_a_closed_project_cannot_end_before_it_started(app):
    project_id = with_indicator(app)
    assert refusal(app, lambda: app.projects.close_project(project_id, date(2019, 1, 1))) == ("actual_end", "end_before_start")


def test_a_differing_code_is_a_correction_that_keeps_the_first(app):
    project_id = register(app)
    app.projects.correct_project_code(project_id, "BG05M9OP001-4.003-0020-C01", "Договорът е по 4.003")
    corrected = list(app.repository.event_store.get(project_id))[-1]
    assert (corrected.was, corrected.code) == ("BG05M9OP001-4.002-0020-C01", "BG05M9OP001-4.003-0020-C01")


def test_a_submitted_report_keeps_its_figures_when_a_later_correction_is_recorded(app):
    project_id = with_indicator(app)
    app.projects.report_progress(project_id, key="consulted", period="2020", value=80, as_of=date(2020, 12, 31))
    app.projects.submit_report(project_id, kind="interim", period="2020")
    app.projects.correct_progress(project_id, key="consulted", period="2020", value=86, as_of=date(2021, 2, 1), note="Одит")
    submitted = next(e for e in app.repository.event_store.get(project_id) if type(e).__name__ == "ReportSubmitted")
    assert submitted.indicators["consulted"]["actual"] == "80"
    assert app.repository.get(project_id).figures()[0]["consulted"]["actual"] == "86"
    assert refusal(app, lambda: app.projects.submit_report(project_id, kind="interim", period="2020")) == (
        "period", "report_submitted")
    assert refusal(app, lambda: app.projects.submit_report(project_id, kind="final", period="2021")) == (
        "kind", "final_report_before_close")


def test_a_deliverable_link_must_be_a_web_address(app):
    project_id = register(app)
    assert refusal(app, lambda: app.projects.add_deliverable(project_id, title="Наръчник", link="mostskills.com")) == (
        "link", "invalid_link")
    app.projects.add_deliverable(project_id, title="Платформа", kind="platform", link="http://www.mostskills.com")
