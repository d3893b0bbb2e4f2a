"""Sessions, CSRF and who-did-it: forged and cross-centre requests store nothing, rights follow the
chair's handover and the account's state at once, passwords live only as argon2id hashes, every
event names who did it, and every response carries the security headers."""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from litestar.testing import TestClient

from domain.account import Account
from application.actor import acting_as
from infra.settings import load_settings
from tests.security.conftest import TODAY, Site
from tests.support.accounts import PASSWORD
from tests.support.processes import ROOT, environment
from tests.support.stream import stream_messages
from tests.support.web import CONFIRMED

SOON = TODAY + timedelta(days=45)


def an_activity(site: Site, host: str) -> uuid.UUID:
    with acting_as("test-setup"):
        activity_id, _ = site.store.activities.plan_activity(
            host_centre_id=site.centres[host], title="Кръгла маса", kind="round_table", starts_on=SOON,
            ends_on=SOON, city="Перник",
        )
    site.settle()
    return activity_id


def an_applicant(site: Site) -> uuid.UUID:
    """A centre that has applied for membership and waits for the decision."""
    with acting_as("test-setup"):
        centre_id, _ = site.store.centres.register_centre(name=f"Младежки център {uuid.uuid4().hex[:8]}", city="Русе")
        site.store.centres.apply_for_membership(centre_id, "Искаме да работим заедно")
    site.settle()
    return centre_id


def signed_in_as_a_new(site: Site, role: str, centre: str | None = "dobrich") -> tuple[uuid.UUID, str]:
    """A new account of its own for a test that changes it; (account id, session token)."""
    username = f"{role}-{uuid.uuid4().hex[:8]}"
    account_id = site.open_account(username, role, centre)
    return account_id, site.session_of(username)


@pytest.fixture(autouse=True)
def a_clean_address(site: Site):
    """Failed sign-ins count against the test client's one address too: each test starts afresh."""
    yield
    site.services.security.clear_failures("ip:testclient")


PRIVATE = "/account/password"  # a page for every signed-in role (the centres' directory is public)


def sent_to_sign_in(response) -> bool:
    return response.status_code == 303 and response.headers["location"].startswith("/login")


# CSRF ---------------------------------------------------------------------------------------------


def test_a_post_without_the_csrf_token_is_refused_and_stores_nothing(site: Site):
    url = f"/centres/{site.centres['dobrich']}/profile"
    form = {"city": "Добрич", "description": "Подправено"}
    before = site.stored()
    assert site.post(url, form, role="coordinator", htmx=True, csrf=False).status_code == 403
    assert site.post(url, form, role="coordinator", csrf=False).status_code == 403  # a plain form too
    forged = site.post(url, form, role="coordinator", csrf=False, headers={"x-csrftoken": "forged"})
    assert forged.status_code == 403
    assert site.stored() == before
    # while the same request with the token goes through
    assert site.post(url, form, role="coordinator", htmx=True).status_code == 200
    assert site.stored() == before + 1


def test_signing_in_and_out_need_the_csrf_token_too(site: Site):
    response = site.post("/login", {"username": "dobrich", "password": site.passwords["dobrich"]}, csrf=False)
    assert response.status_code == 403 and "mrezha_session" not in response.cookies
    _, token = signed_in_as_a_new(site, "member")
    assert site.post("/logout", {}, token=token, csrf=False).status_code == 403
    assert site.get(PRIVATE, token=token).status_code == 200  # still signed in


# Another centre's records ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "form"),
    [
        ("cancel", {"reason": "Отменяме чуждата дейност"}),
        ("reschedule", {"starts_on": SOON.isoformat(), "ends_on": (SOON + timedelta(days=1)).isoformat()}),
        ("presentation", {"speaker": "Някой", "organisation": "Друг", "presentation_title": "Чужда"}),
    ],
)
def test_another_centres_activity_cannot_be_changed_by_its_id(site: Site, action: str, form: dict[str, str]):
    # Given an activity Pernik hosts
    activity_id = an_activity(site, "pernik")
    before = site.stored()
    # When Dobrich's coordinator sends the form to its address
    response = site.post(f"/activities/{activity_id}/{action}", form, role="coordinator", htmx=True)
    # Then it is refused and the activity is as it was
    assert response.status_code == 403
    assert site.stored() == before
    activity = site.store.repository.get(activity_id)
    assert (activity.status, activity.starts_on, activity.presentations) == ("planned", SOON, [])
    # while Pernik's own coordinator may
    assert site.post(f"/activities/{activity_id}/{action}", form, role="other_coordinator", htmx=True).status_code == 200


def test_another_centres_profile_cannot_be_changed_by_its_id(site: Site):
    before = site.stored()
    response = site.post(f"/centres/{site.centres['pernik']}/profile", {"city": "Добрич"}, role="coordinator", htmx=True)
    assert response.status_code == 403
    assert site.stored() == before
    assert site.store.repository.get(site.centres["pernik"]).city == "Перник"


def test_a_centre_cannot_be_joined_to_an_activity_by_another_centres_user(site: Site):
    activity_id = an_activity(site, "stara_zagora")
    before = site.stored()
    form = {"centre_id": str(site.centres["pernik"]), "expected_participants": "5"}
    assert site.post(f"/activities/{activity_id}/join", form, role="member", htmx=True).status_code == 403
    assert site.stored() == before
    assert str(site.centres["pernik"]) not in site.store.repository.get(activity_id).participants


# Rights that change while signed in -----------------------------------------------------------------


def test_after_a_handover_the_old_chairs_users_lose_chair_rights_and_the_new_chairs_gain_them(site: Site):
    first, second = an_applicant(site), an_applicant(site)
    # Vratsa chairs this year: its coordinator admits a member; Dobrich's may not
    assert site.post(f"/centres/{first}/admit", CONFIRMED, role="chair", htmx=True).status_code == 200
    before = site.stored()
    assert site.post(f"/centres/{second}/admit", {}, role="coordinator", htmx=True).status_code == 403
    assert site.stored() == before

    # When the chair is handed over to Dobrich (for next year, today)
    form = {"year": str(TODAY.year + 1), "centre_id": str(site.centres["dobrich"]), "handed_over_on": TODAY.isoformat()}
    assert site.post("/network/handover", {**form, **CONFIRMED}, role="secretariat", htmx=True).status_code == 200

    # Then, in the same sessions, Vratsa's coordinator is refused and Dobrich's is let through
    before = site.stored()
    assert site.post(f"/centres/{second}/admit", {}, role="chair", htmx=True).status_code == 403
    assert site.stored() == before
    assert site.post(f"/centres/{second}/admit", CONFIRMED, role="coordinator", htmx=True).status_code == 200
    assert site.store.repository.get(second).membership == "admitted"
    # and the pages say who chairs
    assert "председател" in account_menu(site, "coordinator") and "председател" not in account_menu(site, "chair")


def account_menu(site: Site, role: str) -> str:
    return BeautifulSoup(site.get("/", role=role).text, "html.parser").select_one("li.account").get_text(" ")


def test_a_disabled_accounts_session_stops_working_at_once(site: Site):
    account_id, token = signed_in_as_a_new(site, "coordinator")
    assert site.get(PRIVATE, token=token).status_code == 200
    # When the secretariat disables the account
    response = site.post(f"/accounts/{account_id}/disable", {"reason": "Напусна центъра"}, role="secretariat", htmx=True)
    assert response.status_code == 200
    # Then its very next request is sent to sign in, and a form it sends stores nothing
    assert sent_to_sign_in(site.get(PRIVATE, token=token))
    before = site.stored()
    response = site.post(f"/centres/{site.centres['dobrich']}/staff", {"staff_name": "X", "role": "youth_worker"}, token=token)
    assert sent_to_sign_in(response)
    assert site.stored() == before
    # and signing in again is refused
    username = site.store.repository.get(account_id).username
    assert site.sign_in(username, PASSWORD).status_code == 401


def test_a_role_taken_away_is_gone_from_the_next_request(site: Site):
    account_id, token = signed_in_as_a_new(site, "coordinator")
    url, form = f"/centres/{site.centres['dobrich']}/staff", {"staff_name": "Мария", "role": "youth_worker"}
    assert site.post(url, form, token=token, htmx=True).status_code == 200
    assert site.post(f"/accounts/{account_id}/role", {"role": "member", "centre_id": str(site.centres["dobrich"])},
                     role="secretariat", htmx=True).status_code == 200
    before = site.stored()
    assert site.post(url, form, token=token, htmx=True).status_code == 403
    assert site.stored() == before


def test_a_password_change_ends_the_other_sessions(site: Site):
    account_id, here = signed_in_as_a_new(site, "member")
    username = site.store.repository.get(account_id).username
    elsewhere = site.session_of(username, PASSWORD)
    # When the password is changed in one session
    form = {"current_password": PASSWORD, "new_password": "a-brand-new-passphrase", "repeat_password": "a-brand-new-passphrase"}
    response = site.post("/account/password", form, token=here)
    assert response.status_code == 200
    renewed = response.cookies["mrezha_session"]
    # Then the other session and the old token of this one have ended, the renewed one works
    assert sent_to_sign_in(site.get(PRIVATE, token=elsewhere))
    assert sent_to_sign_in(site.get(PRIVATE, token=here))
    assert site.get(PRIVATE, token=renewed).status_code == 200
    # and only the new password signs in
    assert site.sign_in(username, PASSWORD).status_code == 401
    assert site.sign_in(username, "a-brand-new-passphrase").status_code == 303


def test_a_password_reset_by_the_secretariat_ends_the_accounts_sessions(site: Site):
    account_id, token = signed_in_as_a_new(site, "member")
    form = {"password": "set-by-the-secretariat"}
    assert site.post(f"/accounts/{account_id}/reset-password", form, role="secretariat", htmx=True).status_code == 200
    assert sent_to_sign_in(site.get(PRIVATE, token=token))


def test_signing_out_ends_the_session_on_the_server(site: Site):
    _, token = signed_in_as_a_new(site, "member")
    assert site.post("/logout", {}, token=token).status_code == 303
    assert sent_to_sign_in(site.get(PRIVATE, token=token))  # the old cookie, replayed


def test_a_made_up_session_token_is_nobody(site: Site):
    for token in ("x" * 43, "' OR '1'='1", "y" * 5000):
        assert sent_to_sign_in(site.get(PRIVATE, token=token))


def stays_on_this_site(location: str) -> bool:
    """Read as a browser reads a Location: tabs and newlines dropped, backslashes taken for slashes."""
    cleaned = re.sub(r"[\t\n\r]", "", location).replace("\\", "/")
    return urlsplit(urljoin("https://mrezha.example/here", cleaned)).netloc == "mrezha.example"


@pytest.mark.parametrize(
    "target",
    ["//evil.example/", "https://evil.example/", "/\\evil.example", "/\t/evil.example", "/\\/evil.example",
     "javascript:alert(1)", " //evil.example"],
)
def test_signing_in_or_switching_language_never_sends_one_to_another_site(site: Site, target: str):
    password = site.passwords["auditor"]
    response = site.post("/login", {"username": "auditor", "password": password, "next": target})
    assert response.status_code == 303 and stays_on_this_site(response.headers["location"])
    response = site.get("/lang/en", params={"next": target})
    assert response.status_code == 303 and stays_on_this_site(response.headers["location"])


def test_the_site_check_itself_knows_a_way_out():
    assert not stays_on_this_site("/\\evil.example") and not stays_on_this_site("/\t/evil.example")
    assert stays_on_this_site("/%5Cevil.example") and stays_on_this_site("/centres")


# Throttling --------------------------------------------------------------------------------------------


def test_an_address_is_held_back_after_five_failures_and_the_name_only_slowed(site: Site):
    victim = f"throttled-{uuid.uuid4().hex[:6]}"
    site.open_account(victim, "member", "dobrich")
    try:
        for _ in range(5):
            assert site.sign_in(victim, "wrong-password-guess").status_code == 401
        # The sixth try from that address waits, though the password is right
        refused = site.sign_in(victim, PASSWORD)
        assert refused.status_code == 429 and "mrezha_session" not in refused.cookies
        assert int(refused.headers["retry-after"]) >= 1
        # From another address (the address's own count starts afresh) the owner gets in, a little later
        site.services.security.clear_failures("ip:testclient")
        assert site.sign_in(victim, PASSWORD).status_code == 303
    finally:
        site.services.security.clear_failures("ip:testclient")


def test_a_wrong_current_password_in_the_password_form_counts_as_a_failed_sign_in(site: Site):
    _, token = signed_in_as_a_new(site, "member")
    form = {"current_password": "a-guess", "new_password": "a-brand-new-passphrase",
            "repeat_password": "a-brand-new-passphrase"}
    try:
        answers = [site.post("/account/password", form, token=token).status_code for _ in range(6)]
        assert answers == [422] * 5 + [429]
    finally:
        site.services.security.clear_failures("ip:testclient")


# Cookies ------------------------------------------------------------------------------------------------


def session_cookie(response) -> str:
    return next(h for h in response.headers.get_list("set-cookie") if h.startswith("mrezha_session="))


def test_the_session_cookie_is_httponly_and_samesite_and_secure_over_https(site: Site):
    username = f"cookie-{uuid.uuid4().hex[:6]}"
    site.open_account(username, "member", "dobrich")
    plain = session_cookie(site.sign_in(username, PASSWORD)).lower()
    assert "httponly" in plain and "samesite=lax" in plain and "secure" not in plain
    secure = session_cookie(site.sign_in(username, PASSWORD, url="https://testserver.local/login")).lower()
    assert "httponly" in secure and "samesite=lax" in secure and "; secure" in secure
    # the session renewed by a password change is made the same way
    token = site.session_of(username, PASSWORD)
    form = {"current_password": PASSWORD, "new_password": "another-fine-passphrase", "repeat_password": "another-fine-passphrase"}
    renewed = session_cookie(site.post("https://testserver.local/account/password", form, token=token)).lower()
    assert "httponly" in renewed and "samesite=lax" in renewed and "; secure" in renewed


# Passwords ---------------------------------------------------------------------------------------------


def test_a_password_is_stored_only_as_an_argon2id_hash(site: Site):
    first, second, third = (f"Pass-{uuid.uuid4().hex}" for _ in range(3))
    username = f"secret-{uuid.uuid4().hex[:6]}"
    # Given an account opened, its password changed by its owner and reset by the secretariat, all over HTTP
    form = {"username": username, "display_name": "Тайна", "role": "member", "centre_id": str(site.centres["dobrich"]),
            "password": first}
    assert site.post("/accounts", form, role="secretariat", htmx=True).status_code == 201
    token = site.session_of(username, first)
    form = {"current_password": first, "new_password": second, "repeat_password": second}
    assert site.post("/account/password", form, token=token).status_code == 200
    account_id = Account.create_id(username)
    assert site.post(f"/accounts/{account_id}/reset-password", {"password": third}, role="secretariat",
                     htmx=True).status_code == 200
    # and a refused form that carried a password
    form = {"username": "?", "display_name": "Тайна", "role": "member", "password": first}
    refused = site.post("/accounts", form, role="secretariat", htmx=True)
    assert refused.status_code == 422 and first not in refused.text
    site.settle()
    site.relayed()

    # Then the credentials hold an argon2id hash of the latest password
    row = site.db.fetchone("SELECT password_hash FROM account_credentials WHERE account_id = ?", (str(account_id),))
    digest = row["password_hash"]
    assert digest.startswith("$argon2id$")
    # and no password, nor the hash, is in any event, any message on the stream, or any other table
    events = b"".join(n.state for n in site.store.recorder.select_notifications(1, 1_000_000))
    messages = b"".join(m.data + repr(m.headers).encode() for m in stream_messages(site.settings.nats_url))
    tables = [r["name"] for r in site.db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")]
    rows = repr([site.db.fetchall(f'SELECT * FROM "{t}"') for t in tables if t != "account_credentials"]).encode()
    assert username.encode() in events and username.encode() in messages  # the account is there, its secrets not
    for secret in (first, second, third, digest):
        assert secret.encode() not in events
        assert secret.encode() not in messages
        assert secret.encode() not in rows
    # nor, in clear, anywhere in the database's files
    files = b"".join(p.read_bytes() for p in site.settings.sqlite_path.parent.glob(site.settings.sqlite_path.name + "*"))
    assert not any(secret.encode() in files for secret in (first, second, third))


def test_mrezha_user_add_creates_the_first_secretariat_account_that_can_sign_in(tmp_path: Path):
    settings = load_settings({"MREZHA_DATA_DIR": str(tmp_path / "data"),
                              "MREZHA_DATABASE_URL": f"sqlite:///{tmp_path / 'mrezha.sqlite'}"})
    # Given an empty Mrezha, when the first account is created from the command line
    done = subprocess.run(
        [sys.executable, "-m", "mrezha", "user", "add", "first-admin", "--role", "secretariat", "--name", "Първи",
         "--password-stdin"],
        input="the-first-passphrase\n", capture_output=True, text=True, env=environment(settings), cwd=ROOT, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    # Then it signs in to the web and may manage accounts
    from web.app import create_app

    with ExitStack() as stack:
        client = stack.enter_context(TestClient(app=create_app(settings)))
        client.get("/")
        csrf = {"x-csrftoken": client.cookies.get("csrftoken")}
        wrong = client.post("/login", data={"username": "first-admin", "password": "not-it-at-all"}, headers=csrf)
        assert wrong.status_code == 401
        response = client.post("/login", data={"username": "first-admin", "password": "the-first-passphrase"},
                               headers=csrf, follow_redirects=False)
        assert response.status_code == 303
        assert client.get("/accounts").status_code == 200
        # and its opening was recorded as done from the command line
        store = client.app.state.services.app
        opened = store.mapper.to_domain_event(store.recorder.select_notifications(1, 1)[0])
        assert (opened.username, opened.role, opened.metadata["user"]) == ("first-admin", "secretariat", "cli")


def test_a_password_given_to_mrezha_user_add_must_be_long_enough(tmp_path: Path):
    settings = load_settings({"MREZHA_DATA_DIR": str(tmp_path / "data"),
                              "MREZHA_DATABASE_URL": f"sqlite:///{tmp_path / 'mrezha.sqlite'}"})
    done = subprocess.run(
        [sys.executable, "-m", "mrezha", "user", "add", "first-admin", "--role", "secretariat", "--password-stdin"],
        input="short\n", capture_output=True, text=True, env=environment(settings), cwd=ROOT, timeout=60,
    )
    assert done.returncode == 2 and "password" in done.stderr


# Who did it ---------------------------------------------------------------------------------------------


def test_every_stored_event_names_who_did_it_in_its_metadata_and_on_the_stream(site: Site):
    dobrich = str(site.centres["dobrich"])
    # When Dobrich's coordinator and the secretariat each change something
    form = {"city": "Добрич", "description": f"Описание {uuid.uuid4().hex[:6]}"}
    assert site.post(f"/centres/{dobrich}/profile", form, role="coordinator", htmx=True).status_code == 200
    by_coordinator = site.stored()
    assert site.post(f"/centres/{dobrich}/staff", {"staff_name": "Анна", "role": "youth_worker"}, role="secretariat",
                     htmx=True).status_code == 200
    by_secretariat = site.stored()
    site.relayed()
    # Then the store gives each event back with its actor
    notifications = {n.id: n for n in site.store.recorder.select_notifications(1, 1_000_000)}
    actor = {i: site.store.mapper.to_domain_event(n).metadata for i, n in notifications.items()}
    assert actor[by_coordinator] == {"user": "dobrich", "centre": dobrich}
    assert actor[by_secretariat] == {"user": "secretariat", "centre": ""}
    assert all(a["user"] for a in actor.values()), "an event without its actor"
    # and the stream carries the same as CloudEvents headers
    headers = {int(m.headers["ce-id"]): m.headers for m in stream_messages(site.settings.nats_url)}
    assert set(headers) == set(notifications)
    assert (headers[by_coordinator]["ce-actor"], headers[by_coordinator]["ce-actorcentre"]) == ("dobrich", dobrich)
    assert headers[by_secretariat]["ce-actor"] == "secretariat" and "ce-actorcentre" not in headers[by_secretariat]
    assert all(h["ce-actor"] == actor[i]["user"] for i, h in headers.items())


def test_timelines_show_who_did_it_to_those_signed_in(site: Site):
    activity_id = an_activity(site, "dobrich")
    form = {"speaker": "Елена", "organisation": "МЦ Добрич", "presentation_title": "Кой го направи"}
    assert site.post(f"/activities/{activity_id}/presentation", form, role="coordinator", htmx=True).status_code == 200
    # by the person's and the centre's names; a set-up step of no account names nobody
    assert actors_on(site, f"/activities/{activity_id}", "member") == ["— Координатор – МЦ Добрич, Младежки център – Добрич"]
    # An anonymous visitor sees the public activity's history, but not the user names behind it
    page = BeautifulSoup(site.get(f"/activities/{activity_id}").text, "html.parser")
    assert len(page.select(".timeline li")) == 2 and actors_on(site, f"/activities/{activity_id}", "anonymous") == []


def actors_on(site: Site, url: str, role: str) -> list[str]:
    page = BeautifulSoup(site.get(url, role=role).text, "html.parser")
    return [" ".join(li.select_one(".actor").get_text().split()) for li in page.select(".timeline li") if li.select_one(".actor")]


# Headers and limits ----------------------------------------------------------------------------------


def responses_of_every_kind(site: Site) -> dict[str, object]:
    dobrich = site.centres["dobrich"]
    return {
        "page": site.get("/"),
        "private page": site.get(f"/centres/{dobrich}", role="member"),
        "fragment": site.get("/calendar", headers={"HX-Request": "true", "HX-Target": "calendar-results"}),
        "sign in first": site.get(PRIVATE),
        "not found": site.get("/nowhere"),
        "not found fragment": site.get("/nowhere", headers={"HX-Request": "true"}),
        "method not allowed": site.request("PUT", "/centres", role="secretariat"),
        "forbidden": site.post(f"/centres/{dobrich}/profile", {"city": "x"}, role="member", htmx=True),
        "no csrf": site.post(f"/centres/{dobrich}/profile", {"city": "x"}, role="coordinator", csrf=False),
        "refused form": site.post(f"/centres/{dobrich}/profile", {"city": ""}, role="coordinator", htmx=True),
        "wrong password": site.post("/login", {"username": "nobody", "password": "x"}),
        "too large": site.post("/login", {"username": "x" * 300_000}),
        "static file": site.get("/static/app.css"),
    }


def test_every_response_carries_the_security_headers(site: Site):
    for kind, response in responses_of_every_kind(site).items():
        csp = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp, kind
        assert "frame-ancestors 'none'" in csp, kind
        assert response.headers.get("x-content-type-options") == "nosniff", kind


def test_a_request_body_over_256_kib_is_refused_with_413_and_stores_nothing(site: Site):
    before = site.stored()
    url = f"/centres/{site.centres['dobrich']}/profile"
    big = {"city": "Добрич", "description": "я" * (140 * 1024)}  # 280 KiB of UTF-8
    assert site.post(url, big, role="coordinator", htmx=True).status_code == 413
    # also when the body comes in chunks with no length announced
    chunks = (b"city=x&description=" + b"a" * 1024 for _ in range(300))
    streamed = site.request("POST", url, role="coordinator", htmx=True, content=chunks,
                            headers={"content-type": "application/x-www-form-urlencoded"})
    assert streamed.status_code == 413
    assert site.stored() == before
    # while a body just under the limit is read (and refused by the form's own rules)
    near = site.post(url, {"city": "Добрич", "description": "a" * (200 * 1024)}, role="coordinator", htmx=True)
    assert near.status_code == 422
    assert site.stored() == before
