"""The steps that are hard to take back ask first, also without JavaScript: a plain form post that does not
carry the answer (``_confirmed``, which the page's script sets once its dialog is answered) stores nothing
and is answered with the same form asking the question, what it will do named, the typed values, the CSRF
token and the one-time submission key kept; sending that form stores the step once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from uuid import UUID

import pytest
from bs4 import BeautifulSoup

from tests.support.site import Site, running_site

TODAY = date.today()
SOON = TODAY + timedelta(days=40)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(tmp_path_factory.mktemp("confirm-no-js")) as running:
        running.web.sign_in("secretariat")
        yield running


def form_on(page: BeautifulSoup, selector: str) -> dict[str, str]:
    """What a browser without JavaScript sends for this form: its fields as they stand."""
    form = page.select_one(selector)
    assert form is not None, selector
    return {field["name"]: field.get("value", "") for field in form.select("input[name]")}


def asked(site: Site, url: str, data: dict[str, str], form: str) -> tuple[BeautifulSoup, dict[str, str]]:
    """Posts the form as a browser without JavaScript would; the answer asks, stores nothing, and its form
    (found by ``form``) is returned with what it would send."""
    before = site.stored()
    response = site.web.post_form(url, data, htmx=False)
    assert response.status_code == 200, response.text
    assert site.stored() == before  # nothing stored before the answer
    page = BeautifulSoup(response.text, "html.parser")
    asking = page.select_one(f"{form}.confirming")
    assert asking is not None, response.text
    assert asking.select_one(".confirm-question[role=alert]") is not None
    sent = form_on(page, f"{form}.confirming")
    assert sent["_confirmed"] == "yes"
    assert sent["_csrf_token"] and sent["_submission"] == data["_submission"]  # the same one-time key
    assert asking.select_one("a.cancel")["href"] == url.rsplit("/", 1)[0]  # back to the page, nothing done
    return page, sent


def confirmed(site: Site, url: str, sent: dict[str, str]) -> None:
    """The confirmation sent (the CSRF token from the form, as a browser does): stored once, even twice sent."""
    before = site.stored()
    response = site.web.post_form(url, sent, htmx=False, csrf=False)
    assert [r.status_code for r in response.history] == [303], response.text  # to the page, as every form
    assert response.url.path == url.rsplit("/", 1)[0]
    site.settle()
    assert site.stored() > before
    stored = site.stored()
    again = site.web.post_form(url, sent, htmx=False, csrf=False)
    assert [r.status_code for r in again.history] == [303]
    assert site.stored() == stored


KEY = "0123456789abcdef0123456789abcde"


def key(n: int) -> str:
    return f"{KEY}{n}"


def test_the_handover_asks_naming_year_centre_and_date_then_is_recorded_once(site: Site):
    chair = site.member("МЦ Бъдещ председател")
    site.settle()
    year = TODAY.year + 1
    data = {"year": str(year), "centre_id": str(chair), "handed_over_on": TODAY.isoformat(), "_submission": key(1)}

    page, sent = asked(site, "/network/handover", data, "#handover-form")

    question = page.select_one("#handover-form .confirm-question").get_text(" ", strip=True)
    assert str(year) in question and "МЦ Бъдещ председател" in question
    assert TODAY.strftime("%d.%m.%Y") in question  # the date written the Bulgarian way
    assert {k: sent[k] for k in ("year", "centre_id", "handed_over_on")} == {k: data[k] for k in ("year", "centre_id", "handed_over_on")}
    assert "Да," in page.select_one("#handover-form button[type=submit]").get_text()
    assert site.store.network.chair_of(year) is None

    confirmed(site, "/network/handover", sent)
    assert site.store.network.chair_of(year) == chair


def test_a_handover_with_mistakes_is_answered_with_them_not_with_the_question(site: Site):
    member = site.member("МЦ Нетърпелив")
    site.settle()
    later = (TODAY + timedelta(days=30)).isoformat()

    response = site.web.post_form("/network/handover", {
        "year": str(TODAY.year + 2), "centre_id": str(member), "handed_over_on": later, "_submission": key(2),
    }, htmx=False)

    assert response.status_code == 422
    page = BeautifulSoup(response.text, "html.parser")
    assert page.select_one("#handover-handed_over_on")["aria-invalid"] == "true"
    assert page.select_one(".confirming") is None


def test_admitting_asks_then_admits(site: Site):
    applicant, _ = site.store.centres.register_centre(name="МЦ Кандидат без скрипт", city="Русе")
    site.store.centres.apply_for_membership(applicant)
    site.settle()
    url = f"/centres/{applicant}/admit"

    page, sent = asked(site, url, {"_submission": key(3)}, "#admit-form")

    assert "МЦ Кандидат без скрипт" in page.select_one("#admit-form .confirm-question").get_text()
    assert site.store.repository.get(applicant).membership == "applied"
    confirmed(site, url, sent)
    assert site.store.repository.get(applicant).membership == "admitted"


def test_withdrawing_a_participant_asks_for_that_one_then_withdraws_it(site: Site):
    host, guest, other = site.member("МЦ Домакин без скрипт"), site.member("МЦ Гост без скрипт"), site.member("МЦ Остава")
    activity_id, _ = site.store.activities.plan_activity(
        host_centre_id=host, title="Кръгла маса без скрипт", kind="round_table", starts_on=SOON, ends_on=SOON, city="Русе")
    site.store.activities.join_activity(activity_id, guest, 3)
    site.store.activities.join_activity(activity_id, other, 2)
    site.settle()
    url = f"/activities/{activity_id}/withdraw"

    page, sent = asked(site, url, {"centre_id": str(guest), "_submission": key(4)}, f"#participation-{guest} form")

    question = page.select_one(f"#participation-{guest} .confirm-question").get_text()
    assert "МЦ Гост без скрипт" in question and "Кръгла маса без скрипт" in question
    assert page.select_one(f"#participation-{other} .confirming") is None  # only the row asked about asks
    confirmed(site, url, sent)
    assert str(guest) not in site.store.repository.get(activity_id).participants


def test_unlinking_a_plan_item_asks_then_unlinks(site: Site):
    year = TODAY.year
    chair = site.member("МЦ Председател без скрипт")
    site.store.network.hand_over_chair(year, chair, TODAY)
    site.store.plans.draft_plan(year, ["Обмяна на опит"])
    site.store.plans.add_plan_item(year, kind="training", theme="Обучение без скрипт", month=3)
    item = next(iter(site.store.plans.plan_of(year).items))
    activity_id, _ = site.store.activities.plan_activity(
        host_centre_id=chair, title="Свързана по грешка", kind="exchange", starts_on=date(year, 3, 2),
        ends_on=date(year, 3, 3), city="Добрич")
    site.store.plans.link_plan_item(year, UUID(item), activity_id)
    site.settle()
    url = f"/plans/{year}/unlink"

    page, sent = asked(site, url, {"item_id": item, "activity_id": str(activity_id), "_submission": key(5)},
                       "form[id^=unlink-]")

    assert "Свързана по грешка" in page.select_one(".confirming .confirm-question").get_text()
    confirmed(site, url, sent)
    assert str(activity_id) not in site.store.plans.plan_of(year).linked


def test_every_form_that_asks_carries_the_answer_its_script_sets(site: Site):
    host, guest = site.member("МЦ Домакин с въпроси"), site.member("МЦ Гост с въпроси")
    activity_id, _ = site.store.activities.plan_activity(
        host_centre_id=host, title="Обмен с въпроси", kind="exchange", starts_on=SOON, ends_on=SOON, city="Русе")
    site.store.activities.join_activity(activity_id, guest, 3)
    site.store.centres.add_staff_member(host, "Мария Иванова", "youth_worker")
    site.settle()

    asking = [form for url in ("/network", f"/centres/{host}", f"/activities/{activity_id}")
              for form in site.page(url).select("form[data-hx-confirm]")]

    assert len(asking) >= 5
    for form in asking:
        answer = form.select_one("input[type=hidden][name=_confirmed]")
        assert answer is not None and answer["value"] == "", form["action"]
