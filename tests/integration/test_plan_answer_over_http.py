"""What planning an activity answers, by the calendar the form is on: on the calendar as it opens, the form and
the new row only (into the table out of band); on a filtered or paged calendar, that calendar's first page drawn
again with the new activity on top, so the table never contradicts the filter the page shows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.support.web import as_swapped

SOON = date.today() + timedelta(days=20)


@pytest.fixture
def vratsa(web, store) -> str:
    web.sign_in_as("secretariat", username="secretariat")
    centre_id, _ = store.centres.register_centre(name="Младежки център Враца", city="Враца")
    store.centres.apply_for_membership(centre_id)
    store.centres.admit_centre(centre_id)
    store.activities.plan_activity(host_centre_id=centre_id, title="Младежка конференция", kind="conference",
                                   starts_on=SOON, ends_on=SOON, city="Враца")
    return str(centre_id)


def plan(web, host: str, from_page: str):
    response = web.post_form("/activities", {
        "title": "Обмен на добри практики", "kind": "exchange", "starts_on": str(SOON), "ends_on": str(SOON),
        "city": "Враца", "host_centre_id": host,
    }, from_page=from_page)
    assert response.status_code == 201, response.text
    return as_swapped(response.text)


def test_planned_on_the_calendar_as_it_opens_the_answer_adds_the_new_row_only(web, vratsa):
    page = plan(web, vratsa, "/calendar")

    rows = page.select("#activity-rows tr")
    assert [row.get("class") for row in rows] == [["just-added"]]
    assert "Обмен на добри практики" in rows[0].text
    assert page.select_one("#calendar-results") is None  # the rest of the table stays as the page has it


def test_planned_on_a_filtered_calendar_the_answer_draws_that_calendar_again_with_the_new_activity_on_top(
    web, vratsa
):
    page = plan(web, vratsa, "/calendar?kind=conference")

    results = page.select_one("#calendar-results")
    assert results is not None and results["data-hx-swap-oob"] == "true"
    assert "kind=conference" in results["data-sse-connect"]  # its live stream follows the page's filter
    rows = [row.get_text(" ", strip=True) for row in page.select("#activity-rows tr")]
    assert "Обмен на добри практики" in rows[0] and "Младежка конференция" in rows[1]
    assert len(rows) == 2
