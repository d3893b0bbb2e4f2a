"""One centre and its activity through their forms, on SQLite and on PostgreSQL: each step's
fragment already shows what it recorded, and the pages agree."""

from __future__ import annotations

from datetime import date, timedelta

from bs4 import BeautifulSoup

from tests.support.web import CONFIRMED, as_swapped

NEXT_MONTH = (date.today() + timedelta(days=30), date.today() + timedelta(days=32))


def test_a_centre_and_its_activity_go_through_their_forms_on_either_database(web, relay, projector):
    def post(url: str, data: dict[str, str], status: int = 200) -> BeautifulSoup:
        response = web.post_form(url, {**data, **CONFIRMED})  # a question asked first is answered yes
        assert response.status_code == status, response.text
        return as_swapped(response.text)

    # A centre registers, applies, is admitted and records its staff
    vratsa = post("/centres", {"name": "Младежки център – Враца", "city": "Враца"}, 201)
    centre = "/centres/" + vratsa.select_one("#centre-list li.just-added")["id"].removeprefix("centre-")
    post(f"{centre}/apply", {"motivation": "Член на мрежата"})
    assert post(f"{centre}/admit", {}).select_one("#membership-state.membership-admitted") is not None
    assert "Иван Колев" in post(f"{centre}/staff", {"staff_name": "Иван Колев", "role": "coordinator"}).select_one(
        "#staff-list").get_text()
    # It plans a conference, and a presentation is added to it
    planned = post("/activities", {
        "title": "Младежката работа във Враца", "kind": "conference", "host_centre_id": centre.split("/")[-1],
        "starts_on": str(NEXT_MONTH[0]), "ends_on": str(NEXT_MONTH[1]), "city": "Враца",
    }, 201)
    activity = "/activities/" + planned.select_one("#activity-rows tr.just-added")["id"].removeprefix("activity-")
    page = post(f"{activity}/presentation", {"speaker": "Алекс Леви", "presentation_title": "Социален хъб"})
    assert "Социален хъб" in page.select_one("#presentation-list").get_text()
    # And a second member centre joins it with its participants
    dobrich = post("/centres", {"name": "Младежки център – Добрич", "city": "Добрич"}, 201)
    dobrich_id = dobrich.select_one("#centre-list li.just-added")["id"].removeprefix("centre-")
    post(f"/centres/{dobrich_id}/apply", {})
    post(f"/centres/{dobrich_id}/admit", {})
    page = post(f"{activity}/join", {"centre_id": dobrich_id, "expected_participants": "12"})
    row = page.select_one(f"#participation-{dobrich_id}").get_text(" ", strip=True)
    assert "Младежки център – Добрич Участник 12" in row
    # Then it is cancelled, and its page, history and the centre's page say so
    page = post(f"{activity}/cancel", {"reason": "Няма зала"})
    assert page.select_one("#activity-status").get_text(strip=True) == "Отменена"
    assert len(page.select("#history li")) == 4  # planned, presentation added, a centre joined, cancelled
    profile = BeautifulSoup(web.get(centre).text, "html.parser")
    assert "Младежката работа във Враца" in profile.select_one("#hosted-rows").get_text()
