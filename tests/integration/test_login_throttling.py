"""Over real HTTP from two loopback addresses. Login throttling slows a guesser down without locking the owner out: ``mrezha web`` answers real
HTTP on every loopback address; a guesser at 127.0.0.1 is held back while the owner of the name, at
127.0.0.2, still signs in with the right password; and a success clears no address's count."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from infra.settings import Settings
from tests.support.accounts import PASSWORD, open_account
from tests.support.server import WebServer


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    return sqlite_url


@pytest.fixture
def server(settings: Settings, tmp_path: Path) -> Iterator[int]:
    """``mrezha web`` listening on every address; its port."""
    open_account(settings, "secretariat", "secretariat")
    open_account(settings, "guesser", "auditor")
    everywhere = dataclasses.replace(settings, host="0.0.0.0", metrics_from=("127.0.0.2/32",))
    web = WebServer(everywhere, tmp_path)
    web.settings = dataclasses.replace(everywhere, host="127.0.0.1")  # where start() waits for /healthz
    web.start()
    yield settings.port
    web.stop()


def browser_at(address: str, port: int) -> httpx.Client:
    """A client whose requests leave from ``address``, with the CSRF cookie of a first page."""
    client = httpx.Client(
        base_url=f"http://127.0.0.1:{port}", transport=httpx.HTTPTransport(local_address=address), timeout=60,
    )
    client.get("/login")
    return client


def sign_in(client: httpx.Client, username: str, password: str) -> httpx.Response:
    page = client.get("/login")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
    data = {"username": username, "password": password, "next": "/"}
    if token:
        data["_csrf_token"] = token.group(1)
    client.cookies.delete("mrezha_session")
    return client.post("/login", data=data, follow_redirects=False)


def test_the_owner_signs_in_from_another_address_while_a_guesser_is_held_back(server: int):
    guesser, owner = browser_at("127.0.0.1", server), browser_at("127.0.0.2", server)
    # The guesser tries passwords for the secretariat until the platform holds the address back
    answers = [sign_in(guesser, "secretariat", f"guess-{n}").status_code for n in range(8)]
    assert answers[:5] == [401] * 5 and 429 in answers
    # From its own address, the owner with the right password still gets in
    assert sign_in(owner, "secretariat", PASSWORD).status_code == 303


def test_a_success_of_the_guesser_s_own_account_does_not_clear_its_address(server: int):
    guesser = browser_at("127.0.0.1", server)
    for n in range(4):
        assert sign_in(guesser, f"someone-{n}", "a guess").status_code == 401
    assert sign_in(guesser, "guesser", PASSWORD).status_code == 303  # its own account
    assert sign_in(guesser, "someone-4", "a guess").status_code == 401  # the fifth failure from the address
    assert sign_in(guesser, "someone-5", "another guess").status_code == 429


def test_the_metrics_are_read_from_the_configured_address_only(server: int):
    # MREZHA_METRICS_FROM=127.0.0.2/32: a Prometheus there scrapes without signing in, nobody elsewhere
    assert browser_at("127.0.0.1", server).get("/metrics").status_code == 403
    scraped = browser_at("127.0.0.2", server).get("/metrics")
    assert scraped.status_code == 200 and "mrezha_events_stored_total" in scraped.text
    assert browser_at("127.0.0.1", server).get("/healthz").status_code == 200
