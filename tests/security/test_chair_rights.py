"""Chair rights belong to the coordinators of the chair centre in good standing, and a year's plan to
that year's chair: a member of the chair centre, a coordinator of a suspended chair centre and the chair
of another year are refused (403), with nothing stored; the secretariat may always act."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from application.actor import acting_as
from tests.security.conftest import TODAY, Site

LAST_YEAR, NEXT_YEAR = TODAY.year - 1, TODAY.year + 1


def governance_requests(site: Site) -> dict[str, tuple[str, dict[str, str]]]:
    c = site.centres
    return {
        "centre.suspend": (f"/centres/{c['dobrich']}/suspend", {"reason": "Неплатен членски внос"}),
        "network.rotation": ("/network/rotation", {"order": ",".join(str(c[k]) for k in ("dobrich", "vratsa", "pernik"))}),
        "network.handover": ("/network/handover", {"year": str(NEXT_YEAR), "centre_id": str(c["dobrich"]),
                                                   "handed_over_on": TODAY.isoformat()}),
    }


def plan_item(site: Site, year: int) -> tuple[str, dict[str, str]]:
    return f"/plans/{year}/item", {"kind": "seminar", "theme": f"Семинар {uuid.uuid4().hex[:6]}", "month": "11",
                                   "host_centre_id": str(site.centres["vratsa"])}


def refused(site: Site, url: str, data: dict[str, str], token: str) -> bool:
    before = site.stored()
    response = site.post(url, data, token=token, htmx=True)
    return response.status_code == 403 and site.stored() == before


def let_through(site: Site, url: str, data: dict[str, str], token: str) -> bool:
    return site.post(url, data, token=token, htmx=True).status_code in (200, 201, 303, 422)


@pytest.fixture(scope="module")
def vratsa_member(site: Site) -> str:
    site.open_account("vratsa-member", "member", "vratsa")
    site.settle()
    return site.session_of("vratsa-member")


def test_a_plain_member_of_the_chair_centre_has_no_chair_rights(site: Site, vratsa_member: str):
    for command, (url, data) in governance_requests(site).items():
        assert refused(site, url, data, vratsa_member), command
    assert refused(site, *plan_item(site, TODAY.year), vratsa_member)


def test_the_member_is_not_even_offered_the_chair_s_forms(site: Site, vratsa_member: str):
    page = site.get("/network", token=vratsa_member)
    assert page.status_code == 200 and 'action="/network/rotation"' not in page.text
    assert "/suspend" not in site.get(f"/centres/{site.centres['dobrich']}", token=vratsa_member).text


def test_a_coordinator_of_a_suspended_chair_centre_has_no_chair_rights(site: Site):
    vratsa = site.sessions["chair"]
    with acting_as("test-setup"):
        site.store.centres.suspend_centre(site.centres["vratsa"], "Неплатен членски внос")
    site.settle()
    try:
        for command, (url, data) in governance_requests(site).items():
            assert refused(site, url, data, vratsa), command
        assert refused(site, *plan_item(site, TODAY.year), vratsa)
    finally:
        with acting_as("test-setup"):
            site.store.centres.reinstate_centre(site.centres["vratsa"])
        site.settle()


def test_this_year_s_chair_cannot_change_another_year_s_plan(site: Site):
    assert refused(site, *plan_item(site, LAST_YEAR), site.sessions["chair"])
    assert 'action="/plans/%d/item"' % LAST_YEAR not in site.get(f"/plans/{LAST_YEAR}", token=site.sessions["chair"]).text
    assert let_through(site, *plan_item(site, LAST_YEAR), site.sessions["secretariat"])


def test_the_outgoing_chair_keeps_its_plan_when_next_year_s_handover_is_recorded(site: Site):
    # Next year's chair is named today: Dobrich takes over the network's decisions, not this year's plan
    with acting_as("test-setup"):
        if site.store.repository.get(site.centres["dobrich"]).membership == "suspended":
            site.store.centres.reinstate_centre(site.centres["dobrich"])  # should an earlier refusal have failed
        site.store.network.hand_over_chair(NEXT_YEAR, site.centres["dobrich"], TODAY - timedelta(days=0))
    site.settle()
    assert let_through(site, *plan_item(site, TODAY.year), site.sessions["chair"])
    assert refused(site, *plan_item(site, TODAY.year), site.sessions["coordinator"])
    assert 'action="/plans/%d/item"' % TODAY.year in site.get(f"/plans/{TODAY.year}", token=site.sessions["chair"]).text
