"""Forms that never lose work, through HTTP: a refusal answered inside the form with what was typed, every
mistake in one answer, the sign-in after an expired session back to the page, only the choices a user may
make (preselected when there is one), forms gone once used, questions before the hard steps, limits shown,
and a link to the wrong activity undone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from uuid import UUID

import pytest
from bs4 import BeautifulSoup

from domain.activity import DESCRIPTION_MAX, TITLE_MAX
from tests.support.site import Site, running_site
from tests.support.web import CONFIRMED

TODAY = date.today()
SOON = TODAY + timedelta(days=40)
REQUIRED = "Полето е задължително."
NOT_YOUR_CENTRE = "Можете да действате само от името на своя център: изберете го тук."


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(tmp_path_factory.mktemp("keep-work")) as running:
        yield running


@pytest.fixture
def as_secretariat(site: Site) -> Iterator[Site]:
    site.web.sign_in("secretariat")
    yield site


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def an_activity(site: Site, host: UUID, title: str = "Обмен на опит") -> str:
    activity_id, _ = site.store.activities.plan_activity(
        host_centre_id=host, title=title, kind="exchange", starts_on=SOON, ends_on=SOON, city="Добрич",
    )
    site.settle()
    return str(activity_id)


def coordinator_of(site: Site, centre: UUID) -> str:
    return site.web.sign_in_as("coordinator", centre_id=centre, username=f"coord-{str(centre)[:8]}")


# 403 inside the form ------------------------------------------------------------------------------


def test_a_centre_the_user_may_not_act_for_is_refused_inside_the_form_with_what_was_typed(site: Site):
    # Given a coordinator of Dobrich, and Vratsa, a member centre they do not belong to
    dobrich, vratsa = site.member("МЦ Добрич А"), site.member("МЦ Враца А", "Враца")
    site.settle()
    coordinator_of(site, dobrich)
    before = site.stored()

    # When the planning form is sent for Vratsa (a page drawn before the account changed, or a forged one)
    typed = {"title": "Лятна академия", "kind": "training", "host_centre_id": str(vratsa),
             "starts_on": SOON.isoformat(), "ends_on": SOON.isoformat(), "city": "Враца", "venue": "Зала 2"}
    response = site.web.post_form("/activities", typed)

    # Then it is refused (403) inside the form: the host field says why, everything typed is still there
    assert response.status_code == 403
    page = soup(response)
    assert page.select_one("#activity-form") is not None, "the form, not a bare error page"
    assert page.select_one("#activity-host_centre_id-error").get_text(strip=True) == NOT_YOUR_CENTRE
    assert page.select_one("#activity-host_centre_id")["aria-invalid"] == "true"
    assert page.select_one("#activity-title")["value"] == "Лятна академия"
    assert page.select_one("#activity-venue")["value"] == "Зала 2"
    assert site.stored() == before  # and nothing stored


def test_the_host_select_lists_only_the_user_s_centre_and_starts_on_it(site: Site):
    dobrich = site.member("МЦ Добрич Б")
    site.member("МЦ Враца Б", "Враца")
    site.settle()
    coordinator_of(site, dobrich)

    options = site.page("/calendar").select("#activity-host_centre_id option")

    # the empty first option HTML asks of a required select, then the one centre, chosen
    assert [(o["value"], o.has_attr("selected")) for o in options] == [("", False), (str(dobrich), True)]


def test_a_practice_is_shared_only_as_the_user_s_own_centre(site: Site):
    plovdiv = site.member("МЦ Пловдив Б", "Пловдив")
    site.member("МЦ Русе Б", "Русе")
    site.settle()
    coordinator_of(site, plovdiv)

    options = site.page("/practices").select("#share-centre_id option")

    assert [(o["value"], o.has_attr("selected")) for o in options] == [("", False), (str(plovdiv), True)]


# Every mistake in one answer ----------------------------------------------------------------------


def test_planning_reports_every_mistake_in_one_answer(as_secretariat: Site):
    site = as_secretariat
    # When the form is sent without title, host, city and with a malformed start
    response = site.web.post_form("/activities", {
        "title": "", "kind": "exchange", "host_centre_id": "", "starts_on": "2026-13-01", "ends_on": "",
        "city": "", "venue": "Читалище",
    })

    # Then all of them are marked at once, not the unreadable fields first and the rest on the next try
    assert response.status_code == 422
    page = soup(response)
    marked = {e["id"].removeprefix("activity-") for e in page.select("#activity-form [aria-invalid=true]")}
    assert marked == {"title", "host_centre_id", "starts_on", "ends_on", "city"}
    assert page.select_one("#activity-title-error").get_text(strip=True) == REQUIRED
    assert page.select_one("#activity-city-error").get_text(strip=True) == REQUIRED
    assert page.select_one("p.errors-summary[role=alert]").get_text(strip=True).startswith("5 полета")
    assert page.select_one("#activity-venue")["value"] == "Читалище"


def test_a_host_out_of_good_standing_and_a_missing_title_are_reported_together(as_secretariat: Site):
    site = as_secretariat
    suspended = site.member("МЦ Спрян")
    site.store.centres.suspend_centre(suspended, "Неплатен внос")
    site.settle()

    response = site.web.post_form("/activities", {
        "title": "", "kind": "exchange", "host_centre_id": str(suspended), "starts_on": SOON.isoformat(),
        "ends_on": SOON.isoformat(), "city": "Перник",
    })

    page = soup(response)
    assert response.status_code == 422
    assert page.select_one("#activity-title-error") is not None
    assert page.select_one("#activity-host_centre_id-error") is not None


def test_a_plan_item_without_month_and_theme_is_refused_for_both_at_once(as_secretariat: Site):
    site = as_secretariat
    year = TODAY.year + 1  # its own year: the unlinking test below drafts this year's plan
    site.store.network.hand_over_chair(year, site.member("МЦ Председател Б"), TODAY)  # in the year before: allowed
    site.store.plans.draft_plan(year, ["Обмяна на опит"])
    site.settle()

    response = site.web.post_form(f"/plans/{year}/item", {"kind": "seminar", "month": "", "theme": ""})

    assert response.status_code == 422
    marked = {e["name"] for e in soup(response).select("#item-form [aria-invalid=true]")}
    assert marked == {"month", "theme"}


def test_an_outcome_and_its_correction_report_every_mistake_in_one_answer(as_secretariat: Site):
    site = as_secretariat
    host = site.member()
    activity_id, _ = site.store.activities.plan_activity(
        host_centre_id=host, title="Семинар за резултатите", kind="seminar", starts_on=TODAY - timedelta(days=3),
        ends_on=TODAY - timedelta(days=2), city="Добрич",
    )
    site.settle()
    url = f"/activities/{activity_id}"

    # An outcome with a figure left out and a link that is no link
    response = site.web.post_form(f"{url}/outcome", {
        "participants": "", "young_people": "20", "fewer_opportunities": "5", "centres_attended": "3",
        "materials_link": "materials.pdf",
    })
    assert response.status_code == 422
    marked = {e["name"] for e in soup(response).select("#outcome-form [aria-invalid=true]")}
    assert marked == {"participants", "materials_link"}

    # A correction without its date and without its reason
    site.store.activities.record_outcome(activity_id, participants=30, young_people=20, fewer_opportunities=5,
                                         centres_attended=3)
    site.settle()
    response = site.web.post_form(f"{url}/correction", {
        "participants": "28", "young_people": "20", "fewer_opportunities": "5", "centres_attended": "3",
        "happened_on": "", "reason": "",
    })
    assert response.status_code == 422
    marked = {e["name"] for e in soup(response).select("#correction-form [aria-invalid=true]")}
    assert marked == {"happened_on", "reason"}


def test_new_dates_report_every_mistake_in_one_answer(as_secretariat: Site):
    site = as_secretariat
    activity = an_activity(site, site.member(), "Обмен за нови дати")

    response = site.web.post_form(f"/activities/{activity}/reschedule",
                                  {"starts_on": "", "ends_on": SOON.isoformat(), "reason": "я" * 501})

    assert response.status_code == 422
    marked = {e["name"] for e in soup(response).select("#reschedule-form [aria-invalid=true]")}
    assert marked == {"starts_on", "reason"}


# Back to the page after signing in ----------------------------------------------------------------


def test_a_form_sent_after_the_session_ended_leads_to_signing_in_and_back_to_its_page(site: Site):
    host = site.member()
    activity = an_activity(site, host)
    site.web.sign_out()
    url = f"/activities/{activity}"
    origin = str(site.web.client.base_url).rstrip("/")

    # An htmx form: htmx names the page it was on
    response = site.web.client.post(f"{url}/join", data={"centre_id": str(host)},
                                    headers={"HX-Request": "true", "HX-Current-URL": f"{origin}{url}",
                                             "x-csrftoken": site.web.csrf})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == f"/login?next=%2Factivities%2F{activity}"

    # A plain form: its Referer does
    response = site.web.client.post(f"{url}/join", data={"centre_id": str(host)}, headers={"Referer": f"{origin}{url}", "x-csrftoken": site.web.csrf},
                                    follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next=%2Factivities%2F{activity}"

    # Another site's page is never where a sign-in leads
    response = site.web.client.post(f"{url}/join", data={}, headers={"HX-Request": "true",
                                    "HX-Current-URL": "https://elsewhere.example/phish", "x-csrftoken": site.web.csrf})
    assert response.headers["HX-Redirect"] == "/login?next=%2F"


def test_a_command_s_address_opened_as_a_page_leads_to_the_page_of_its_form(site: Site):
    host = site.member()
    activity = an_activity(site, host)
    site.web.sign_in("secretariat")

    for address, page in [(f"/activities/{activity}/join", f"/activities/{activity}"), ("/network/handover", "/network"),
                          (f"/centres/{host}/admit", f"/centres/{host}")]:
        response = site.web.get(address, follow_redirects=False)
        assert (response.status_code, response.headers.get("location")) == (303, page), address


# Only the choices a user may make; forms gone once used -------------------------------------------


def test_the_host_may_add_any_other_member_as_co_organiser_and_is_offered_no_join_form(site: Site):
    host, joined, other = site.member("МЦ Домакин"), site.member("МЦ Участник"), site.member("МЦ Друг")
    activity = an_activity(site, host)
    site.store.activities.join_activity(UUID(activity), joined, 5)
    site.settle()
    coordinator_of(site, host)

    page = site.page(f"/activities/{activity}")

    offered = {o["value"] for o in page.select("#co-organiser-centre_id option") if o["value"]}
    assert str(other) in offered
    assert str(host) not in offered and str(joined) not in offered  # already in it
    assert page.select_one("#join-form") is None  # nothing to join its own activity for


def test_the_join_form_starts_on_the_user_s_centre_and_is_gone_once_it_joined(site: Site):
    host, guest = site.member("МЦ Домакин В"), site.member("МЦ Гост В")
    activity = an_activity(site, host)
    coordinator_of(site, guest)

    options = site.page(f"/activities/{activity}").select("#join-centre_id option")
    assert [(o["value"], o.has_attr("selected")) for o in options] == [("", False), (str(guest), True)]

    response = site.web.post_form(f"/activities/{activity}/join", {"centre_id": str(guest), "expected_participants": "4"})
    assert response.status_code == 200
    assert soup(response).select_one("#join-form") is None
    assert site.page(f"/activities/{activity}").select_one("#join-form") is None


def test_the_endorse_form_is_gone_once_the_centre_endorsed(site: Site):
    owner, reader = site.member("МЦ Автор"), site.member("МЦ Читател")
    practice_id, _ = site.store.practices.share_practice(
        centre_id=owner, title="Клуб по интереси", problem="Няма къде да се събират.", method="Седмични срещи.",
        target_groups=["neets"], country="BG",
    )
    site.settle()
    coordinator_of(site, reader)
    url = f"/practices/{practice_id}"
    assert [o["value"] for o in site.page(url).select("#endorse-centre_id option") if o["value"]] == [str(reader)]

    response = site.web.post_form(f"{url}/endorse", {"centre_id": str(reader), "comment": "Работи и при нас"})

    assert response.status_code == 200
    assert soup(response).select_one("#endorse-form") is None


# Questions before the hard steps; limits shown -----------------------------------------------------


def test_hard_steps_ask_first_and_name_what_they_touch(as_secretariat: Site):
    site = as_secretariat
    applicant = site.store.centres.register_centre(name="МЦ Кандидат", city="Русе")[0]
    site.store.centres.apply_for_membership(applicant)
    host, guest = site.member("МЦ Домакин Г"), site.member("МЦ Гост Г")
    activity = an_activity(site, host, "Кръгла маса")
    site.store.activities.join_activity(UUID(activity), guest, 3)
    site.settle()

    centre = site.page(f"/centres/{applicant}")
    assert "МЦ Кандидат" in centre.select_one("#admit-form")["data-hx-confirm"]
    assert "МЦ Кандидат" in centre.select_one("#reject-form")["data-hx-confirm"]
    withdraw = site.page(f"/activities/{activity}").select_one(f"#participation-{guest} form")
    assert "МЦ Гост Г" in withdraw["data-hx-confirm"] and "Кръгла маса" in withdraw["data-hx-confirm"]


def test_the_handover_assumes_no_date_and_asks_before_it_is_recorded(as_secretariat: Site):
    form = as_secretariat.page("/network").select_one("#handover-form")

    assert form.select_one("#handover-handed_over_on")["value"] == ""
    assert "{handed_over_on}" in form["data-hx-confirm"]


def test_a_field_shows_the_domain_s_limit_and_text_past_it_is_kept_and_refused(as_secretariat: Site):
    site = as_secretariat
    page = site.page("/calendar")
    assert page.select_one("#activity-title")["data-maxlength"] == str(TITLE_MAX)
    assert not page.select_one("#activity-title").has_attr("maxlength")  # the browser cuts nothing
    assert page.select_one("#activity-description")["data-maxlength"] == str(DESCRIPTION_MAX)
    assert page.select_one("#activity-form")["data-hx-disabled-elt"] == "find button[type=submit]"  # busy while sent

    long_title = "Обмен " * 40  # 240 characters
    response = site.web.post_form("/activities", {"title": long_title, "kind": "exchange", "host_centre_id": "",
                                                  "starts_on": "", "ends_on": "", "city": ""})
    form = soup(response)
    assert form.select_one("#activity-title")["value"] == long_title
    assert form.select_one("#activity-title-count .count").get_text() == str(len(long_title))
    assert "too-long" in form.select_one("#activity-title-count")["class"]


def test_the_outcome_summary_may_be_as_long_as_the_domain_allows(as_secretariat: Site):
    site = as_secretariat
    host = site.member()
    activity_id, _ = site.store.activities.plan_activity(
        host_centre_id=host, title="Семинар", kind="seminar", starts_on=TODAY - timedelta(days=3),
        ends_on=TODAY - timedelta(days=2), city="Добрич",
    )
    site.settle()
    summary = site.page(f"/activities/{activity_id}").select_one("#outcome-summary")
    assert summary["data-maxlength"] == str(DESCRIPTION_MAX)


# A link to the wrong activity undone ----------------------------------------------------------------


def test_an_activity_linked_to_the_wrong_item_is_unlinked_and_the_item_is_no_longer_held(as_secretariat: Site):
    site = as_secretariat
    year = TODAY.year  # no other test of this module drafts a plan
    chair = site.member("МЦ Председател")
    site.store.network.hand_over_chair(year, chair, TODAY)
    site.store.plans.draft_plan(year, ["Обмяна на опит"])
    site.store.plans.add_plan_item(year, kind="training", theme="Обучение на обучители", month=3)
    item = next(iter(site.store.plans.plan_of(year).items))
    activity_id, _ = site.store.activities.plan_activity(
        host_centre_id=chair, title="Грешната дейност", kind="exchange", starts_on=date(year, 3, 2),
        ends_on=date(year, 3, 3), city="Добрич",
    )
    site.store.plans.link_plan_item(year, UUID(item), activity_id)
    site.settle()
    page = site.page(f"/plans/{year}")
    assert "Грешната дейност" in page.select_one(f"#item-{item}").get_text()
    unlink = page.select_one("form[id^=unlink-]")
    assert "Грешната дейност" in unlink["data-hx-confirm"]
    assert "Обучение на обучители" in page.select_one("form[id^=drop-]")["data-hx-confirm"]  # dropping asks too

    response = site.web.post_form(f"/plans/{year}/unlink", {"item_id": item, "activity_id": str(activity_id), **CONFIRMED})

    assert response.status_code == 200
    page = soup(response)
    assert "Грешната дейност" not in page.select_one(f"#item-{item}").get_text()
    assert "Дейността е отвързана" in page.get_text()  # in the plan's history
    # and it may now realise another item: it is offered again
    assert str(activity_id) in {o["value"] for o in page.select("select[name=activity_id] option")}
    again = site.web.post_form(f"/plans/{year}/unlink", {"item_id": item, "activity_id": str(activity_id), **CONFIRMED})
    assert again.status_code == 422
    assert "Тази дейност не е свързана с тази точка." in again.text
