"""A coordinator cannot take the public calendar down: a far date is a field message, a Unicode digit
or a far month in a path or query a 404 or an empty page, and the feeds keep answering."""

from __future__ import annotations

from datetime import date

from tests.security.conftest import Site


def test_an_activity_dated_9999_12_31_is_refused_with_a_field_message_and_the_feeds_answer(site: Site):
    before = site.stored()
    response = site.post("/activities", {
        "title": "Краят на времето", "kind": "seminar", "format": "live", "host_centre_id": str(site.centres["dobrich"]),
        "starts_on": "9999-12-31", "ends_on": "9999-12-31", "city": "Добрич",
    }, role="coordinator", htmx=True)
    assert response.status_code == 422 and "2100" in response.text
    assert site.stored() == before
    assert site.get("/calendar.ics").status_code == 200
    assert site.get(f"/centres/{site.centres['dobrich']}/calendar.ics", role="coordinator").status_code == 200


def test_far_months_and_unicode_digits_answer_as_not_found_or_empty_never_500(site: Site):
    for url in ("/calendar?month=9999-12", "/calendar?month=%D9%A2%D9%A0%D9%A2%D9%A6-12", "/calendar?month=0000-01"):
        assert site.get(url).status_code == 200, url
    for url in ("/plans/%C2%B2", "/plans/%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%96", "/plans/9999"):
        assert site.get(url, role="member").status_code == 404, url
    assert site.get(f"/plans/{date.today().year}", role="member").status_code == 200
