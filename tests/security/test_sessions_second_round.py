"""Sessions and their cookies, second round: CSRF tokens bound to the session and renewed at sign-in,
sessions that end when idle or old (and are purged), one session per browser, and cookies that are
Secure and ``__Host-`` prefixed when the public URL is https, where unknown hosts are refused."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from litestar.testing import TestClient

from infra.settings import SettingsError, load_settings
from tests.security.conftest import Site
from tests.support.accounts import PASSWORD
from web.app import create_app


def a_member(site: Site) -> str:
    username = f"member-{uuid.uuid4().hex[:8]}"
    site.open_account(username, "member", "dobrich")
    return username


def sent_to_sign_in(response) -> bool:
    return response.status_code == 303 and response.headers["location"].startswith("/login")


def a_post_with(site: Site, token: str, csrf: str):
    """A password change (the one command every role may send) with the given session and CSRF token."""
    form = {"current_password": "not-it", "new_password": "a-brand-new-passphrase", "repeat_password": "x"}
    cookies = f"csrftoken={csrf}; mrezha_session={token}"
    return site.client.post("/account/password", data=form, headers={"cookie": cookies, "x-csrftoken": csrf},
                            follow_redirects=False)


# CSRF ------------------------------------------------------------------------------------------------


def test_a_csrf_token_of_one_session_is_refused_with_another(site: Site):
    mine, theirs = site.session_of(a_member(site)), site.session_of(a_member(site))
    assert a_post_with(site, mine, site.csrf_for(mine)).status_code == 422  # its own: let through
    assert a_post_with(site, mine, site.csrf_for(theirs)).status_code == 403


def test_signing_in_renews_the_csrf_token(site: Site):
    before = site.csrf
    token = site.session_of(a_member(site))
    assert site.csrf_for(token) != before
    # the token the browser had before signing in no longer goes with the session
    assert a_post_with(site, token, before).status_code == 403


# Sessions ----------------------------------------------------------------------------------------------


def test_sessions_last_30_minutes_idle_and_12_hours_at_most_unless_configured():
    defaults = load_settings({})
    assert (defaults.session_idle_minutes, defaults.session_max_hours) == (30, 12)
    configured = load_settings({"MREZHA_SESSION_IDLE_MINUTES": "10", "MREZHA_SESSION_MAX_HOURS": "4"})
    assert (configured.session_idle_minutes, configured.session_max_hours) == (10, 4)
    with pytest.raises(SettingsError):
        load_settings({"MREZHA_SESSION_IDLE_MINUTES": "²"})


def aged(site: Site, token: str, **ago: timedelta) -> None:
    """Make a stored session look older (as its clock would after that long)."""
    import hashlib

    digest = hashlib.sha256(token.encode()).hexdigest()
    now = datetime.now(timezone.utc)
    with site.db.transaction() as tx:
        for column, span in ago.items():
            tx.execute(f"UPDATE web_sessions SET {column} = ? WHERE token_digest = ?", ((now - span).isoformat(), digest))


def test_a_session_idle_for_more_than_half_an_hour_has_ended(site: Site):
    token = site.session_of(a_member(site))
    aged(site, token, last_seen=timedelta(minutes=29))
    assert site.get("/account/password", token=token).status_code == 200
    aged(site, token, last_seen=timedelta(minutes=31))
    assert sent_to_sign_in(site.get("/account/password", token=token))


def test_a_session_older_than_twelve_hours_has_ended_however_busy(site: Site):
    token = site.session_of(a_member(site))
    aged(site, token, created_at=timedelta(hours=12, minutes=1))
    assert sent_to_sign_in(site.get("/account/password", token=token))


def test_expired_sessions_are_purged(site: Site):
    idle, old = site.session_of(a_member(site)), site.session_of(a_member(site))
    aged(site, idle, last_seen=timedelta(hours=1))
    aged(site, old, created_at=timedelta(days=2))
    site.session_of(a_member(site))  # any new sign-in
    rows = site.db.fetchone("SELECT COUNT(*) AS n FROM web_sessions WHERE last_seen < ? OR created_at < ?",
                            ((datetime.now(timezone.utc) - timedelta(minutes=30)).isoformat(),
                             (datetime.now(timezone.utc) - timedelta(hours=12)).isoformat()))
    assert rows is not None and rows["n"] == 0


def test_a_new_sign_in_in_the_same_browser_ends_the_previous_session(site: Site):
    first = site.session_of(a_member(site))
    other = a_member(site)
    response = site.post("/login", {"username": other, "password": PASSWORD, "next": "/"}, token=first)
    assert response.status_code == 303
    assert sent_to_sign_in(site.get("/account/password", token=first))


# Behind TLS --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def over_https(site: Site):
    settings = dataclasses.replace(site.settings, public_url="https://mrezha.example.org")
    with TestClient(app=create_app(settings), base_url="https://mrezha.example.org") as client:
        yield client


def test_over_https_the_cookies_are_secure_and_host_prefixed(site: Site, over_https: TestClient):
    username = a_member(site)
    page = over_https.get("/login")
    assert page.status_code == 200
    anonymous = page.headers["set-cookie"]
    assert anonymous.startswith("__Host-csrftoken=") and "secure" in anonymous.lower()
    csrf = over_https.cookies.get("__Host-csrftoken")
    response = over_https.post("/login", data={"username": username, "password": PASSWORD, "next": "/"},
                               headers={"x-csrftoken": csrf}, follow_redirects=False)
    assert response.status_code == 303
    cookies = response.headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith("__Host-mrezha_session="))
    bound = next(c for c in cookies if c.startswith("__Host-csrftoken="))
    for cookie in (session, bound):
        assert "secure" in cookie.lower() and "path=/" in cookie.lower() and "domain" not in cookie.lower()


def test_with_a_public_url_requests_for_another_host_are_refused(over_https: TestClient):
    assert over_https.get("/healthz").status_code == 200
    assert over_https.get("/healthz", headers={"host": "evil.example"}).status_code == 400
