"""Every rule of a funded project through HTTP: a refused form is a 422 with its Bulgarian message beside
its field (or atop its form, or in the page's alerts when the page no longer offers that form), what was
typed is kept, and nothing is stored. The forms are shown only to those who may send them: the
secretariat and the coordinators of the centres involved in the project."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from uuid import UUID

import pytest
from bs4 import BeautifulSoup

from domain.project import Project
from tests.support.site import Site, running_site
from tests.support.tables import row

REQUIRED = "Полето е задължително."
END_BEFORE_START = "Краят не може да е преди началото."
FORMS = ("start", "close", "cancel", "code", "partner", "indicator", "progress", "correction", "activity",
         "deliverable", "report")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(tmp_path_factory.mktemp("project-forms")) as running:
        yield running


@contextmanager
def signed_in_as(site: Site, role: str, centre_id: UUID | None) -> Iterator[None]:
    site.web.sign_in_as(role, centre_id, username=f"{role}-{str(centre_id)[:8]}")
    try:
        yield
    finally:
        site.web.sign_in("secretariat")


def a_project(site: Site, state: str) -> tuple[str, dict[str, str]]:
    """Plovdiv's Centre for Social Innovation (Plovdiv taking part) in the state asked for: "planned", "running"
    (80 consulted reported for 2020, a seminar of Plovdiv's to link), "reported" (and an interim report for
    2020 submitted), "closed". The ids a form may name: Plovdiv, another member, the seminar."""
    store = site.store
    plovdiv, other = site.member(city="Пловдив"), site.member(city="Враца")
    project, _ = store.projects.register_project(
        code="BG05M9OP001-4.002-0020-C01", title="Създаване на Център за социални иновации в Община Пловдив",
        funder="esf", beneficiary="Община Пловдив", centre_ids=[plovdiv],
        partners=[{"name": "„БД Център“ ООД", "country": "Полша"}], total_value="199408.00", currency="BGN",
        starts_on=date(2019, 3, 25), planned_end=date(2021, 6, 30),
    )
    seminar, _ = store.activities.plan_activity(
        host_centre_id=plovdiv, title="Добри практики в работата с неактивни младежи", kind="conference",
        starts_on=date(2030, 6, 23), ends_on=date(2030, 6, 23), city="Пловдив")
    if state != "planned":
        store.projects.start_project(project, date(2019, 3, 25))
        store.projects.define_indicator(project, key="consulted", name="Консултирани NEETs", unit="души", target=150)
        store.projects.report_progress(project, key="consulted", period="2020", value=80, as_of=date(2020, 12, 31))
    if state in ("reported", "closed"):
        store.projects.submit_report(project, kind="interim", period="2020")
    if state == "closed":
        store.projects.link_activity(project, seminar, "информационно събитие")
        store.projects.close_project(project, date(2021, 6, 30))
    site.settle()
    return f"/projects/{project}", {"plovdiv": str(plovdiv), "other": str(other), "seminar": str(seminar)}


def errors_shown(fragment: BeautifulSoup) -> list[str]:
    return [e.get_text(strip=True) for e in fragment.select("small.field-error, p.form-error")]


REFUSALS = [
    row("a_start_is_recorded_once", "running", "start", {"started_on": "2019-03-25"}, None,
        "Проектът вече е започнал."),
    row("a_project_does_not_end_before_it_starts", "running", "close", {"actual_end": "2019-01-01"}, "actual_end",
        END_BEFORE_START),
    row("a_closed_project_is_not_closed_again", "closed", "close", {"actual_end": "2021-06-30"}, None,
        "Проектът вече е приключил или е отменен."),
    row("a_cancellation_needs_a_reason", "running", "cancel", {"reason": " "}, "reason", REQUIRED),
    row("a_code_correction_changes_the_code", "planned", "code",
        {"code": "BG05M9OP001-4.002-0020-C01", "note": "Проверка"}, "code", "Нищо не е променено."),
    row("a_code_correction_says_why", "planned", "code", {"code": "BG05M9OP001-4.003-0020-C01", "note": ""}, "note",
        REQUIRED),
    row("a_partner_is_added_once", "running", "partner", {"name": "„бд център“ ООД", "country": "Полша"}, "name",
        "Тази организация вече е партньор."),
    row("a_centre_involved_is_no_new_partner", "running", "partner", {"name": "МЦ Пловдив", "centre_id": "{plovdiv}"},
        "centre_id", "Този център вече участва в проекта."),
    row("an_indicator_key_is_used_once", "running", "indicator",
        {"key": "consulted", "name": "Консултирани", "unit": "души", "baseline": "0", "target": "150"}, "key",
        "Проектът вече има индикатор с този ключ."),
    row("an_indicator_target_is_a_number", "running", "indicator",
        {"key": "reactivated", "name": "Реактивирани", "unit": "души", "baseline": "0", "target": "сто"}, "target",
        "Въведете цяло число, нула или повече."),
    row("progress_is_dated_within_the_project", "running", "progress",
        {"key": "consulted", "period": "2019", "value": "5", "as_of": "2019-03-24"}, "as_of",
        "Датата трябва да е в периода на проекта или до 90 дни след края му."),
    row("a_reported_figure_is_corrected_not_reported_again", "running", "progress",
        {"key": "consulted", "period": "2020", "value": "86", "as_of": "2020-12-31"}, "period",
        "За този период вече има отчетена стойност: запишете корекция."),
    row("a_closed_project_takes_no_new_progress", "closed", "progress",
        {"key": "consulted", "period": "2021", "value": "6", "as_of": "2021-06-30"}, None,
        "Проектът е приключил: не приема нов напредък, само корекции на отчетеното."),
    row("a_correction_changes_the_figure", "running", "correction",
        {"key": "consulted", "period": "2020", "value": "80", "as_of": "2021-01-15", "note": "Одит"}, "value",
        "Нищо не е променено."),
    row("a_correction_says_why", "running", "correction",
        {"key": "consulted", "period": "2020", "value": "86", "as_of": "2021-01-15", "note": ""}, "note", REQUIRED),
    row("an_activity_is_linked_once", "closed", "activity", {"activity_id": "{seminar}"}, None,
        "Тази дейност вече е свързана с проекта."),
    row("a_deliverable_link_is_a_web_address", "running", "deliverable", {"title": "Платформа", "link": "mostskills.com"},
        "link", "Въведете връзка, която започва с http:// или https://."),
    row("a_final_report_waits_for_the_close", "running", "report", {"kind": "final", "period": "2019–2021"}, "kind",
        "Окончателният отчет се подава след приключването на проекта."),
    row("a_report_is_submitted_once", "reported", "report", {"kind": "interim", "period": "2020"}, "period",
        "Отчет от този вид за този период вече е подаден."),
]


@pytest.mark.parametrize("state, action, data, field, message", REFUSALS)
def test_a_refused_project_form_shows_its_message_in_place_and_stores_nothing(site, state, action, data, field, message):
    path, ids = a_project(site, state)
    before = site.stored()
    typed = {k: v.format(**ids) for k, v in data.items()}
    response = site.web.post_form(f"{path}/{action}", typed)
    assert response.status_code == 422, response.text
    fragment = BeautifulSoup(response.text, "html.parser")
    assert errors_shown(fragment) == [message]  # once, and no other form complains
    form = fragment.select_one(f"#{action}-form")
    if field is not None:
        assert form is not None and form.select_one(f"#{action}-{field}-error").get_text(strip=True) == message
        kept = form.select_one(f'input[name="{field}"]')  # what was typed is shown again
        assert kept is None or kept["value"] == typed[field]
    elif form is not None:
        assert errors_shown(form) == [message]
    else:  # the page no longer offers the form: the message stands in the page's alerts
        assert fragment.select_one("#project-alerts p.form-error").get_text(strip=True) == message
    assert site.stored() == before


def test_a_registration_checks_every_field_in_one_pass_and_keeps_what_was_typed(site):
    before = site.stored()
    response = site.web.post_form("/projects", {
        "code": "", "title": "", "funder": "lottery", "beneficiary": "Община Пловдив", "total_value": "199 408,005",
        "currency": "BGN", "starts_on": "2019-03-25", "planned_end": "2021-06-30", "objectives": "Интеграция"})
    assert response.status_code == 422
    form = BeautifulSoup(response.text, "html.parser").select_one("#register-form")
    errors = {e["id"]: e.get_text(strip=True) for e in form.select("small.field-error")}
    assert errors == {"register-code-error": REQUIRED, "register-title-error": REQUIRED,
                      "register-funder-error": "Изберете една от предложените възможности.",
                      "register-total_value-error": "Въведете цяло число, нула или повече."}
    assert form.select_one("#register-beneficiary")["value"] == "Община Пловдив"
    assert form.select_one("#register-objectives").get_text() == "Интеграция"
    assert site.stored() == before


def test_a_registration_with_its_dates_out_of_order_is_refused_beside_the_end(site):
    before = site.stored()
    response = site.web.post_form("/projects", {
        "code": "BG06-101", "title": "Международен младежки център", "funder": "eea_norway",
        "beneficiary": "Община Стара Загора", "total_value": "1395380", "currency": "EUR",
        "starts_on": "2017-04-30", "planned_end": "2015-01-01"})
    assert response.status_code == 422
    form = BeautifulSoup(response.text, "html.parser").select_one("#register-form")
    assert form.select_one("#register-planned_end-error").get_text(strip=True) == END_BEFORE_START
    assert site.stored() == before


def test_a_project_is_registered_and_changed_through_its_forms(site):
    plovdiv = site.member("МЦ Пловдив (нов)", city="Пловдив")
    site.settle()
    # When the secretariat registers Plovdiv's project with the centre as a partner and "БД Център" abroad
    response = site.web.post_form("/projects", {
        "code": "BG05M9OP001-4.003-0020-C01", "title": "Център за социални иновации", "funder": "esf",
        "beneficiary": "Община Пловдив", "centre_id": str(plovdiv), "partner_name": "„БД Център“ ООД",
        "partner_country": "Полша", "total_value": "199 408,00", "currency": "BGN", "starts_on": "2019-03-25",
        "planned_end": "2021-06-30", "target_group": "NEETs 15–29"}, htmx=False)
    assert response.history[0].status_code == 303  # a plain form post is sent on to the new project's page
    path = response.url.path
    assert response.status_code == 200 and path.startswith("/projects/")
    # And starts it, defines an indicator, reports 80, corrects it to 86, links and adds, closes and reports
    for action, data in (
        ("start", {"started_on": "2019-03-25"}),
        ("indicator", {"key": "consulted", "name": "Консултирани NEETs", "unit": "души", "baseline": "0", "target": "150"}),
        ("progress", {"key": "consulted", "period": "2019–2021", "value": "80", "as_of": "2021-06-01", "source": "ЦСИ"}),
        ("correction", {"key": "consulted", "period": "2019–2021", "value": "86", "as_of": "2021-06-23",
                        "note": "Международна конференция"}),
        ("partner", {"name": "Сдружение „Международни инициативи за сътрудничество“", "country": "България"}),
        ("deliverable", {"title": "Наръчник за добри практики", "kind": "handbook", "link": "https://example.org/h"}),
        ("close", {"actual_end": "2021-06-30"}),
        ("report", {"kind": "final", "period": "2019–2021"}),
    ):
        answered = site.web.post_form(f"{path}/{action}", data)
        assert answered.status_code == 200, (action, answered.text)
    # Then the page shows it all, the live 86 with the first 80 beside it
    page = site.page(path)
    assert page.select_one("#project-status").get_text(strip=True) == "Приключил"
    assert "86 / 150" in page.select_one("#indicator-consulted").get_text(" ", strip=True)
    assert [li.get_text(" ", strip=True) for li in page.select("#partners li")] == [
        "„БД Център“ ООД (Полша)", "Сдружение „Международни инициативи за сътрудничество“ (България)"]
    assert page.select_one("#reports a")["href"].startswith(f"{path}/reports/final/")
    assert len(page.select("#progress tbody tr")) == 2
    # And the money as contracted, with the euro beside
    assert "199\u00a0408,00 лв. ≈ 101\u00a0955,69 €" in page.get_text(" ", strip=True)


def test_only_those_who_may_change_a_project_see_its_forms(site):
    path, ids = a_project(site, "running")
    # The secretariat sees every form the record allows (a running project is started already)
    secretariat = site.page(path)
    offered = {f["id"].removesuffix("-form") for f in secretariat.select("form.action-form")}
    assert offered == set(FORMS) - {"start"}
    # Plovdiv's coordinator sees them too; another centre's coordinator and a visitor see none
    with signed_in_as(site, "coordinator", UUID(ids["plovdiv"])):
        assert {f["id"].removesuffix("-form") for f in site.page(path).select("form.action-form")} == offered
    with signed_in_as(site, "coordinator", UUID(ids["other"])):
        assert site.page(path).select("form.action-form") == []
    site.web.sign_out()
    try:
        assert site.page(path).select("form.action-form") == []
    finally:
        site.web.sign_in("secretariat")


def test_a_coordinator_of_a_centre_not_involved_is_refused_and_nothing_is_stored(site):
    path, ids = a_project(site, "running")
    with signed_in_as(site, "coordinator", UUID(ids["other"])):
        before = site.stored()
        response = site.web.post_form(f"{path}/deliverable", {"title": "Наръчник"})
        assert response.status_code == 403
        registered = site.web.post_form("/projects", {
            "code": "X-1", "title": "Чужд проект", "funder": "esf", "beneficiary": "Община Пловдив",
            "centre_id": ids["plovdiv"], "total_value": "1", "currency": "EUR", "starts_on": "2019-03-25",
            "planned_end": "2021-06-30"})
        assert registered.status_code == 403
        assert site.stored() == before


def test_a_coordinator_registers_only_for_their_own_centre_offered_preselected(site):
    _, ids = a_project(site, "planned")
    with signed_in_as(site, "coordinator", UUID(ids["plovdiv"])):
        select = site.page("/projects").select_one("#register-centre_id")
        assert [(o["value"], o.has_attr("selected")) for o in select.select("option")] == [("", False), (ids["plovdiv"], True)]


def test_a_partner_centre_s_coordinator_may_change_the_project_once_the_partner_is_added(site):
    path, ids = a_project(site, "running")
    assert site.web.post_form(f"{path}/partner", {"name": "МЦ Враца", "country": "България",
                                                   "centre_id": ids["other"]}).status_code == 200
    with signed_in_as(site, "coordinator", UUID(ids["other"])):
        response = site.web.post_form(f"{path}/deliverable", {"title": "Двуезична интернет страница"})
        assert response.status_code == 200, response.text


def test_a_progress_form_sent_twice_records_its_figure_once(site):
    path, _ = a_project(site, "running")
    form = site.page(path).select_one("#progress-form")
    key = form.select_one('input[name="_submission"]')["value"]  # the one-time key the page drew
    data = {"_submission": key, "key": "consulted", "period": "2021", "value": "6", "as_of": "2021-06-01"}
    first, second = site.web.post_form(f"{path}/progress", data), site.web.post_form(f"{path}/progress", data)
    assert (first.status_code, second.status_code) == (200, 200)  # the second answered as the first, no error
    assert errors_shown(BeautifulSoup(second.text, "html.parser")) == []
    events = site.store.repository.event_store.get(UUID(path.rsplit("/", 1)[1]))
    assert [e.period for e in events if isinstance(e, Project.ProgressReported)] == ["2020", "2021"]
