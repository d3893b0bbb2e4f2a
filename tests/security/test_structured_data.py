"""An activity's page carries schema.org Event JSON-LD: what search engines read, and a title holding
``</script>`` cannot break out of the data block into a script."""

from __future__ import annotations

import json
from datetime import timedelta

from bs4 import BeautifulSoup

from application.actor import acting_as
from tests.security.conftest import TODAY, Site, html_responses_are_safe

TITLE = '</script><script>alert(1)</script><!-- & "quoted"'


def structured(site: Site, activity_id: object) -> tuple[str, dict]:
    response = site.get(f"/activities/{activity_id}")
    assert response.status_code == 200
    blocks = BeautifulSoup(response.text, "html.parser").find_all("script", type="application/ld+json")
    assert len(blocks) == 1
    return response.text, json.loads(blocks[0].string)


def test_a_hostile_title_stays_inside_the_json_ld_and_the_page_runs_no_inline_script(site: Site):
    soon = TODAY + timedelta(days=30)
    with acting_as("test-setup"):
        activity_id, _ = site.store.activities.plan_activity(
            host_centre_id=site.centres["dobrich"], title=TITLE, kind="seminar", starts_on=soon, ends_on=soon,
            city="Добрич", venue="Зала 1",
        )
    site.settle()
    text, data = structured(site, activity_id)
    assert data["name"] == TITLE
    assert "</script><script>alert(1)" not in text
    html_responses_are_safe(text)
    assert data["@type"] == "Event" and data["startDate"] == soon.isoformat() and data["endDate"] == soon.isoformat()
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"]["@type"] == "Place" and data["location"]["address"]["addressLocality"] == "Добрич"
    assert data["organizer"]["@type"] == "Organization" and data["organizer"]["name"]
    assert data["url"].startswith(site.settings.site_url.rstrip("/"))


def test_an_online_meeting_is_virtual_and_a_cancelled_one_says_so(site: Site):
    soon = TODAY + timedelta(days=31)
    with acting_as("test-setup"):
        activity_id, _ = site.store.activities.plan_activity(
            host_centre_id=site.centres["dobrich"], title="Онлайн среща", kind="online_meeting", format="online",
            starts_on=soon, ends_on=soon, city="", online_link="https://meet.example/secret-room",
        )
        site.store.activities.cancel_activity(activity_id, "Няма записани")
    site.settle()
    text, data = structured(site, activity_id)
    assert data["location"]["@type"] == "VirtualLocation"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert "secret-room" not in json.dumps(data)
