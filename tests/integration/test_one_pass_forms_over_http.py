"""Every mistake in one answer, through HTTP, for the forms that used to answer in rounds: the chair's handover,
the annual meeting, joining an activity and the Quality Label's dated steps. Several bad fields are sent at
once; all of them come back marked together (each message beside its field, the count in the live region),
with a 422, what was typed kept and nothing stored."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from uuid import UUID

import pytest
from bs4 import BeautifulSoup

from tests.support.site import Site, running_site

TODAY = date.today()
SOON = TODAY + timedelta(days=40)
REQUIRED = "Полето е задължително."


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(tmp_path_factory.mktemp("one-pass")) as running:
        running.web.sign_in("secretariat")
        yield running


def answered_in_one_pass(site: Site, url: str, data: dict[str, str], form: str) -> BeautifulSoup:
    """The form's answer: a 422 that stored nothing, the fields it marked checked against their messages and
    the live region's count."""
    before = site.stored()
    response = site.web.post_form(url, data)
    assert response.status_code == 422, response.text
    assert site.stored() == before
    page = BeautifulSoup(response.text, "html.parser")
    marked = page.select(f"#{form}-form [aria-invalid=true]")
    for field in marked:  # each message beside its field, and the field says so
        error = page.select_one(f"#{field['id']}-error")
        assert error is not None and error["id"] in field["aria-describedby"].split()
    summary = page.select_one(f"#{form}-form p.errors-summary[role=alert]")
    assert summary is not None and summary.get_text(strip=True).startswith(f"{len(marked)} полета")
    return page


def marked(page: BeautifulSoup, form: str) -> set[str]:
    return {field["name"] for field in page.select(f"#{form}-form [aria-invalid=true]")}


def suspended_centre(site: Site, name: str) -> UUID:
    centre = site.member(name)
    site.store.centres.suspend_centre(centre, "Неплатен членски внос")
    return centre


# The chair's handover and the annual meeting -----------------------------------------------------------


def test_a_handover_without_year_and_centre_and_dated_in_the_future_is_refused_for_all_three(site: Site):
    later = (TODAY + timedelta(days=30)).isoformat()

    page = answered_in_one_pass(site, "/network/handover",
                                {"year": "двайсет", "centre_id": "", "handed_over_on": later}, "handover")

    assert marked(page, "handover") == {"year", "centre_id", "handed_over_on"}
    assert page.select_one("#handover-year")["value"] == "двайсет"
    assert page.select_one("#handover-handed_over_on")["value"] == later


def test_a_handover_to_a_suspended_centre_dated_in_the_future_is_refused_for_both(site: Site):
    suspended = suspended_centre(site, "МЦ Спрян за председател")
    site.settle()
    later = (TODAY + timedelta(days=30)).isoformat()

    page = answered_in_one_pass(site, "/network/handover",
                                {"year": str(TODAY.year + 1), "centre_id": str(suspended), "handed_over_on": later},
                                "handover")

    assert marked(page, "handover") == {"centre_id", "handed_over_on"}
    assert page.select_one("#handover-year")["value"] == str(TODAY.year + 1)


def test_an_annual_meeting_without_date_chair_and_priorities_for_a_year_without_plan_is_refused_at_once(site: Site):
    page = answered_in_one_pass(site, "/network/meeting",
                                {"held_on": "", "report_year": "2019", "next_chair_id": "", "priorities": "  \n "},
                                "meeting")

    assert marked(page, "meeting") == {"held_on", "report_year", "next_chair_id", "priorities"}
    assert page.select_one("#meeting-priorities-error").get_text(strip=True) == REQUIRED
    assert page.select_one("#meeting-report_year")["value"] == "2019"


def test_the_meeting_seen_from_the_plan_s_page_reports_every_mistake_at_once(site: Site):
    year = TODAY.year - 1  # its own year: the handover tests above take the years after this one
    chair = site.member("МЦ Председател на плана")
    site.store.network.hand_over_chair(year, chair, date(year, 1, 15))
    site.store.plans.draft_plan(year, ["Качество"])
    site.store.plans.add_plan_item(year, kind="exchange", theme="Обмен", month=5)
    site.store.plans.publish_plan(year)
    site.settle()

    page = answered_in_one_pass(site, f"/plans/{year}/report",
                                {"held_on": "", "next_chair_id": "", "priorities": ""}, "report")

    assert marked(page, "report") == {"held_on", "next_chair_id", "priorities"}


# Joining an activity -------------------------------------------------------------------------------------


def an_activity(site: Site, host: UUID) -> str:
    activity_id, _ = site.store.activities.plan_activity(
        host_centre_id=host, title="Обмен за всички грешки", kind="exchange", starts_on=SOON, ends_on=SOON,
        city="Добрич", capacity=10,
    )
    site.settle()
    return f"/activities/{activity_id}"


def test_joining_without_a_centre_and_with_no_participants_is_refused_for_both(site: Site):
    url = an_activity(site, site.member("МЦ Домакин на обмена"))

    page = answered_in_one_pass(site, f"{url}/join", {"centre_id": "", "expected_participants": "0"}, "join")

    assert marked(page, "join") == {"centre_id", "expected_participants"}
    assert page.select_one("#join-expected_participants")["value"] == "0"


def test_joining_for_a_suspended_centre_with_an_unreadable_number_is_refused_for_both(site: Site):
    url = an_activity(site, site.member("МЦ Домакин на втория обмен"))
    suspended = suspended_centre(site, "МЦ Спрян за обмен")
    site.settle()

    page = answered_in_one_pass(site, f"{url}/join", {"centre_id": str(suspended), "expected_participants": "много"},
                                "join")

    assert marked(page, "join") == {"centre_id", "expected_participants"}
    assert page.select_one("#join-expected_participants")["value"] == "много"


def test_joining_again_with_no_participants_is_refused_for_both(site: Site):
    url = an_activity(site, site.member("МЦ Домакин на третия обмен"))
    joined = site.member("МЦ Вече включен")
    site.store.activities.join_activity(UUID(url.rsplit("/", 1)[1]), joined, 2)
    site.settle()

    page = answered_in_one_pass(site, f"{url}/join", {"centre_id": str(joined), "expected_participants": "0"}, "join")

    assert marked(page, "join") == {"centre_id", "expected_participants"}


# The Quality Label's dated steps -------------------------------------------------------------------------


def a_centre_with_its_label(site: Site, name: str, state: str) -> str:
    centre = site.member(name)
    site.store.centres.apply_for_label(centre, date(2024, 1, 10))
    if state in ("inspected", "awarded"):
        site.store.centres.record_label_inspection(centre, date(2024, 3, 1))
    if state == "awarded":
        site.store.centres.award_label(centre, date(2024, 4, 1), date(2027, 4, 1))
    site.settle()
    return f"/centres/{centre}"


def test_an_inspection_with_an_impossible_date_and_overlong_notes_is_refused_for_both(site: Site):
    url = a_centre_with_its_label(site, "МЦ Инспектиран", "applied")
    notes = "Бележка " * 70  # 560 characters

    page = answered_in_one_pass(site, f"{url}/label-inspect", {"on": "2026-02-30", "notes": notes}, "label-inspect")

    assert marked(page, "label-inspect") == {"on", "notes"}
    assert page.select_one("#label-inspect-on")["value"] == "2026-02-30"
    assert page.select_one("#label-inspect-notes")["value"] == notes


def test_a_renewal_without_a_readable_date_and_not_later_than_the_label_is_refused_for_both(site: Site):
    url = a_centre_with_its_label(site, "МЦ Подновяващ", "awarded")

    page = answered_in_one_pass(site, f"{url}/label-renew", {"on": "вчера", "valid_until": "2026-01-01"},
                                "label-renew")

    assert marked(page, "label-renew") == {"on", "valid_until"}
    assert page.select_one("#label-renew-valid_until")["value"] == "2026-01-01"


def test_a_withdrawal_without_date_and_reason_is_refused_for_both(site: Site):
    url = a_centre_with_its_label(site, "МЦ Оттеглен знак", "awarded")

    page = answered_in_one_pass(site, f"{url}/label-withdraw", {"on": "", "reason": " "}, "label-withdraw")

    assert marked(page, "label-withdraw") == {"on", "reason"}
    assert page.select_one("#label-withdraw-reason-error").get_text(strip=True) == REQUIRED
