"""Who may send the governance and practice forms: anyone reads; the year's chair and the secretariat
govern; a coordinator shares, endorses and adopts for their own centre only."""

from __future__ import annotations

from datetime import date

from bs4 import BeautifulSoup

from tests.support.governance import PRACTICE, PRACTICE_FORM
from tests.support.processes import eventually


def member(store, name: str):
    centre_id, _ = store.centres.register_centre(name=name, city="Враца")
    store.centres.apply_for_membership(centre_id)
    store.centres.admit_centre(centre_id)
    return centre_id


def test_the_chairs_coordinator_governs_and_another_centres_coordinator_only_acts_for_its_own_centre(
    web, store, relay, projector
):
    year = date.today().year
    vratsa, dobrich = member(store, "Младежки център – Враца"), member(store, "Младежки център – Добрич")
    store.network.hand_over_chair(year, vratsa, date(year, 1, 1))
    practice_id, _ = store.practices.share_practice(centre_id=vratsa, **PRACTICE)
    eventually(lambda: web.get(f"/practices/{practice_id}").status_code == 200, 30, "the practice was not projected")

    # Anyone reads the network and the library; no form is offered to a visitor
    web.sign_out()
    for url in ("/network", "/practices", f"/practices/{practice_id}"):
        page = web.get(url)
        assert page.status_code == 200, url
        assert BeautifulSoup(page.text, "html.parser").select("form.action-form") == [], url
    # the plan is the members' reading: a visitor is asked to sign in, and no page links to it
    assert web.get(f"/plans/{year}", follow_redirects=False).status_code == 303
    assert 'href="/plans' not in web.get("/network").text
    web.sign_in_as("member", centre_id=dobrich, username="member-dobrich")
    plan = web.get(f"/plans/{year}")
    assert plan.status_code == 200
    assert BeautifulSoup(plan.text, "html.parser").select("form.action-form") == []

    # The coordinator of this year's chair drafts the plan
    web.sign_in_as("coordinator", centre_id=vratsa, username="koordinator-vratsa")
    assert web.post_form(f"/plans/{year}/draft", {"priorities": "Качество"}).status_code == 200

    # Another centre's coordinator may not govern, nor act for the chair's centre
    web.sign_in_as("coordinator", centre_id=dobrich, username="koordinator-dobrich")
    assert web.post_form(f"/plans/{year}/item", {"kind": "exchange", "theme": "Обмен", "month": "5"}).status_code == 403
    assert web.post_form("/network/handover", {"year": str(year + 1), "centre_id": str(dobrich),
                                               "handed_over_on": date.today().isoformat()}).status_code == 403
    assert web.post_form("/practices", {**PRACTICE_FORM, "centre_id": str(vratsa)}).status_code == 403
    assert web.post_form(f"/practices/{practice_id}/retire", {"reason": "Стара"}).status_code == 403
    # but endorses and shares for its own centre
    assert web.post_form(f"/practices/{practice_id}/endorse", {"centre_id": str(dobrich),
                                                               "comment": "Приложимо и при нас"}).status_code == 200
    assert web.post_form("/practices", {**PRACTICE_FORM, "centre_id": str(dobrich)}).status_code == 201


def test_a_malformed_or_unknown_year_or_practice_in_a_url_is_a_404(web):
    for path in ("/plans/abc", "/plans/1999", "/plans/2101", "/practices/not-a-uuid",
                 "/practices/00000000-0000-0000-0000-000000000000", "/network/nothing"):
        assert web.get(path).status_code in (404, 405), path
    assert web.post_form("/practices/00000000-0000-0000-0000-000000000000/endorse",
                         {"centre_id": "00000000-0000-0000-0000-000000000000", "comment": "Да"}).status_code == 404
