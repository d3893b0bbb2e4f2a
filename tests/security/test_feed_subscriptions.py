"""Secret calendar subscription URLs: a calendar program without a session reads the feed by its token;
the centre's coordinator (or the secretariat) shows, rotates and revokes the centre's, each user their
own; only a digest is stored, and nothing of it reaches the event store."""

from __future__ import annotations

import hashlib
import re

import icalendar

from infra.feed_tokens import account_scope, centre_scope
from tests.security.conftest import Site


def subscription_url(site: Site, page: str, role: str) -> str | None:
    response = site.get(page, role=role)
    assert response.status_code == 200
    found = re.search(r'id="subscription-url"[^>]*value="([^"]+)"', response.text)
    return found.group(1) if found else None


def feed_path(url: str) -> str:
    return "/feeds/" + url.split("/feeds/", 1)[1]


def test_a_centres_coordinator_makes_a_url_a_calendar_program_reads_without_signing_in(site: Site):
    dobrich = site.centres["dobrich"]
    before = site.stored()
    response = site.post(f"/centres/{dobrich}/feed-rotate", role="coordinator")
    assert response.status_code == 303
    url = subscription_url(site, f"/centres/{dobrich}", "coordinator")
    assert url and url.startswith(site.settings.site_url.rstrip("/") + "/feeds/")
    feed = site.get(feed_path(url))  # no session: the token is the authorisation
    assert feed.status_code == 200 and feed.headers["content-type"] == "text/calendar; charset=utf-8"
    hosted = {row["id"] for row in site.db.fetchall(
        "SELECT activity_id AS id FROM calendar_participations WHERE centre_id = ?", (str(dobrich),))}
    events = icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    assert {str(e["UID"]).removesuffix("@mrezha") for e in events} == hosted and hosted
    assert site.get(feed_path(url), headers={"If-None-Match": feed.headers["etag"]}).status_code == 304
    assert site.stored() == before, "a subscription URL is no domain fact: no event"


def test_rotating_stops_the_old_url_and_revoking_stops_every_url(site: Site):
    dobrich = site.centres["dobrich"]
    site.post(f"/centres/{dobrich}/feed-rotate", role="secretariat")
    old = subscription_url(site, f"/centres/{dobrich}", "secretariat")
    site.post(f"/centres/{dobrich}/feed-rotate", role="coordinator")
    new = subscription_url(site, f"/centres/{dobrich}", "coordinator")
    assert old and new and old != new
    assert site.get(feed_path(old)).status_code == 404
    assert site.get(feed_path(new)).status_code == 200
    site.post(f"/centres/{dobrich}/feed-revoke", role="coordinator")
    assert site.get(feed_path(new)).status_code == 404
    assert subscription_url(site, f"/centres/{dobrich}", "coordinator") is None


def test_only_those_who_may_manage_it_see_a_centres_url(site: Site):
    dobrich = site.centres["dobrich"]
    site.post(f"/centres/{dobrich}/feed-rotate", role="coordinator")
    for role in ("member", "other_coordinator", "auditor", "chair"):
        page = site.get(f"/centres/{dobrich}", role=role)
        assert "/feeds/" not in page.text and "feed-rotate-form" not in page.text, role
    assert site.post(f"/centres/{dobrich}/feed-rotate", role="other_coordinator").status_code == 403


def test_a_rotation_without_the_csrf_token_is_refused(site: Site):
    dobrich = site.centres["dobrich"]
    site.post(f"/centres/{dobrich}/feed-rotate", role="coordinator")
    url = subscription_url(site, f"/centres/{dobrich}", "coordinator")
    response = site.post(f"/centres/{dobrich}/feed-rotate", role="coordinator", csrf=False)
    assert response.status_code == 403
    assert subscription_url(site, f"/centres/{dobrich}", "coordinator") == url


def test_each_user_has_an_own_url_for_my_activities(site: Site):
    site.post("/account/own-feed-rotate", role="member")
    url = subscription_url(site, "/account/calendar", "member")
    assert url
    assert subscription_url(site, "/account/calendar", "coordinator") != url  # another user's is another
    feed = site.get(feed_path(url))
    assert feed.status_code == 200 and b"BEGIN:VCALENDAR" in feed.content
    site.post("/account/own-feed-revoke", role="member")
    assert site.get(feed_path(url)).status_code == 404


def test_only_a_digest_of_the_token_is_stored(site: Site):
    dobrich = site.centres["dobrich"]
    site.post(f"/centres/{dobrich}/feed-rotate", role="coordinator")
    token = feed_path(subscription_url(site, f"/centres/{dobrich}", "coordinator") or "").split("/")[2]
    row = site.db.fetchone("SELECT * FROM feed_tokens WHERE scope = ?", (centre_scope(dobrich),))
    assert row is not None and token not in str(row.values())
    assert row["token_digest"] == hashlib.sha256(token.encode()).hexdigest()
    assert account_scope("x") == "account:x"


def test_a_made_up_token_is_not_found(site: Site):
    for token in ("x", "a" * 43, "a" * 200, "%00"):
        assert site.get(f"/feeds/{token}/calendar.ics").status_code == 404
