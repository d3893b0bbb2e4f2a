"""The demo network, running for real, with one signed-in person per role.

Each test module gets its own: a nats-server, the relay and the projector as
processes, the litestar app under a test client, one SQLite file. Requests carry
the cookies they are given explicitly (the session of the role asked for, and
the CSRF cookie), so one client serves every role at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from infra.bus import last_published_id
from demo.seeds import load_demo_if_empty
from application.actor import acting_as
from infra.settings import Settings
from application.app import MrezhaApplication
from projections.base import position
from projections.catalog import all_projections
from projections.sql import Database
from tests.support.accounts import PASSWORD
from tests.support.processes import eventually
from tests.support.site import start_platform
from tests.support.stream import run_apart
from web.auth import UNSAFE
from web.commands import Action

TODAY = date.today()

# Who asks, seen from the record a request is about: the Dobrich centre's record, or a command
# done for Dobrich. Vratsa chairs the network this year (the demo's handover).
ROLES = ("anonymous", "member", "coordinator", "other_coordinator", "chair", "secretariat", "auditor")
SIGNED_IN = ROLES[1:]
USERS = {  # role -> the user name that plays it (the demo's accounts where one fits)
    "member": "dobrich-member",
    "coordinator": "dobrich",
    "other_coordinator": "pernik-coordinator",
    "chair": "vratsa",
    "secretariat": "secretariat",
    "auditor": "auditor",
}
EXTRA_ACCOUNTS = (("dobrich-member", "member", "dobrich"), ("pernik-coordinator", "coordinator", "pernik"))
PAYLOADS = {  # what an attacker types into a field
    "script": "<script>alert(1)</script>",
    "html": '"><img src=x onerror=alert(1)>',
    "sql": "'; DROP TABLE centres; --",
    "template": "{{7*7}}",
    "textarea": "</textarea><svg onload=alert(1)>",
}
CITIES = {"Стара Загора": "stara_zagora", "Враца": "vratsa", "Добрич": "dobrich", "Перник": "pernik", "Пловдив": "plovdiv"}


# The app's own routes and the commands they run ---------------------------------------------


def unsafe_handlers(app: Any) -> list[tuple[str, Any]]:
    return [
        (route.path, handler)
        for route in app.routes
        for handler in getattr(route, "route_handlers", [])
        if set(handler.http_methods) & UNSAFE
    ]


def actions(app: Any) -> dict[str, tuple[str, Action]]:
    """command -> the route path that runs it and its action (the command's name and form), as the routes
    declare them in ``opt={"action": ...}``."""
    found: dict[str, tuple[str, Action]] = {}
    for path, handler in unsafe_handlers(app):
        action = handler.opt.get("action")
        if action is None:
            continue
        assert isinstance(action, Action), f"{path}: opt['action'] is not a web.commands.Action"
        assert action.name not in found, f"{action.name} is run by {found[action.name][0]} and by {path}"
        found[action.name] = (path, action)
    return found


def route_commands(app: Any) -> dict[str, str]:
    """command -> the route path that runs it."""
    return {command: path for command, (path, _) in actions(app).items()}


def form_of(app: Any, command: str) -> Any:
    """The msgspec form a command's body is parsed into (None: the handler reads its few fields itself)."""
    return actions(app)[command][1].form


@dataclass
class Site:
    """The running demo and ways to talk to it as anyone."""

    settings: Settings
    client: TestClient
    passwords: dict[str, str]
    centres: dict[str, uuid.UUID] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)  # role -> session token
    csrf_of: dict[str, str] = field(default_factory=dict)  # session token -> the CSRF token bound to it

    # The parts -------------------------------------------------------------------------

    @property
    def services(self) -> Any:
        return self.client.app.state.services

    @property
    def store(self) -> MrezhaApplication:
        return self.services.app

    @property
    def db(self) -> Database:
        return self.services.db

    @property
    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken") or ""

    # What is stored, projected, published -----------------------------------------------

    def stored(self) -> int:
        """The store's last notification id."""
        return self.store.last_notification_id()

    def settle(self) -> None:
        """Wait until every read model has projected everything stored."""
        last = self.stored()
        eventually(
            lambda: all(position(self.db, p.name) >= last for p in all_projections()), 30,
            "the read models never caught up with the store",
        )

    def published(self) -> int:
        """The notification id of the newest message on the stream."""

        async def newest() -> int:
            import nats

            from tests.support.stream import as_admin

            nc = await nats.connect(as_admin(self.settings.nats_url))
            try:
                return await last_published_id(nc.jetstream())
            finally:
                await nc.close()

        return run_apart(newest())

    def relayed(self) -> int:
        """Wait until the relay has published everything stored; the newest id on the stream."""
        eventually(lambda: self.published() == self.stored(), 20, "the relay never caught up with the store")
        return self.published()

    # Requests as someone ------------------------------------------------------------------

    def csrf_for(self, token: str | None) -> str:
        """The CSRF token a browser holding this session has (each session has its own)."""
        return self.csrf_of.get(token or "", self.csrf)

    def cookies(self, token: str | None) -> str:
        return f"csrftoken={self.csrf_for(token)}" + (f"; mrezha_session={token}" if token else "")

    def request(
        self, method: str, url: str, *, role: str = "anonymous", token: str | None = None,
        data: Any = None, htmx: bool = False, csrf: bool = True, headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> Any:
        token = token if token is not None else self.sessions.get(role)
        sent = {"cookie": self.cookies(token), **(headers or {})}
        if htmx:
            sent["HX-Request"] = "true"
        if csrf and method.upper() not in ("GET", "HEAD"):
            sent["x-csrftoken"] = self.csrf_for(token)
        csrf = self.csrf
        response = self.client.request(method, url, data=data, headers=sent, follow_redirects=False, **kwargs)
        if "csrftoken" in response.cookies and csrf:  # a new session's own token: kept apart, with its session
            if "mrezha_session" in response.cookies:
                self.csrf_of[response.cookies["mrezha_session"]] = response.cookies["csrftoken"]
            self.client.cookies.delete("csrftoken")
            self.client.cookies.set("csrftoken", csrf)  # the anonymous token stays the client's own
        return response

    def get(self, url: str, role: str = "anonymous", **kwargs: Any) -> Any:
        return self.request("GET", url, role=role, **kwargs)

    def post(self, url: str, data: Any = None, role: str = "anonymous", **kwargs: Any) -> Any:
        return self.request("POST", url, role=role, data=data if data is not None else {}, **kwargs)

    def sign_in(self, username: str, password: str | None = None, url: str = "/login") -> Any:
        """The login response; its session token (if any) is in ``response.cookies``."""
        password = password if password is not None else self.passwords[username]
        response = self.post(url, {"username": username, "password": password, "next": "/"}, token="")
        self.client.cookies.delete("mrezha_session")  # sessions travel only when a request asks for one
        return response

    def session_of(self, username: str, password: str | None = None) -> str:
        response = self.sign_in(username, password)
        assert response.status_code == 303, response.text
        return response.cookies["mrezha_session"]

    def open_account(self, username: str, role: str, centre: str | None = None, password: str = PASSWORD) -> uuid.UUID:
        with acting_as("test-setup"):
            account_id, _ = self.store.accounts.open_account(
                username=username, display_name=username.replace("-", " ").title(), role=role,
                centre_id=self.centres[centre] if centre else None, password=password,
            )
        self.passwords[username] = password
        return account_id


def start_site(directory: Path, stack: ExitStack, database_url: str = "") -> Site:
    """The demo network with its processes, and a signed-in session for every role (on a SQLite file
    unless ``database_url`` names another database)."""
    settings, client = start_platform(directory, stack, database_url)
    client.get("/")  # the CSRF cookie, as a browser gets it with its first page
    site = Site(settings, client, passwords={})
    passwords = load_demo_if_empty(site.store)
    assert passwords, "the store was not empty: no demo"
    site.passwords.update(passwords)
    site.settle()
    site.centres = {CITIES[row["city"]]: uuid.UUID(row["id"]) for row in site.db.fetchall("SELECT id, city FROM centres")}
    for username, role, centre in EXTRA_ACCOUNTS:
        site.open_account(username, role, centre)
    site.settle()
    site.sessions = {role: site.session_of(USERS[role]) for role in SIGNED_IN}
    return site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with ExitStack() as stack:
        yield start_site(tmp_path_factory.mktemp("security"), stack)


def html_responses_are_safe(text: str) -> None:
    """No script of the page's own but files, and no element with an event handler attribute."""
    from bs4 import BeautifulSoup

    page = BeautifulSoup(text, "html.parser")
    inline = [  # a JSON-LD block is data the browser never runs (its escaping: test_structured_data.py)
        script for script in page.find_all("script") if not script.get("src") and script.get("type") != "application/ld+json"
    ]
    assert inline == [], f"inline script in the page: {inline[:1]}"
    handlers = [
        (tag.name, name) for tag in page.find_all(True) for name in tag.attrs if name.lower().startswith("on")
    ]
    assert handlers == [], f"event handler attributes in the page: {handlers[:3]}"
