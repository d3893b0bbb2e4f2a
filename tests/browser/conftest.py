"""Browser fixtures: the real web, relay and projector processes over HTTP, driven by Debian's chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, sync_playwright

from infra.settings import Settings
from tests.support.accounts import PASSWORD, open_account
from tests.support.processes import Worker
from tests.support.server import WebServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    """Browser tests drive the UI; the SQLite store is enough (integration tests cover PostgreSQL)."""
    return sqlite_url


@pytest.fixture
def site(settings: Settings, tmp_path: Path, relay: Worker, projector: Worker) -> Iterator[str]:
    """The base URL of ``mrezha web`` answering over real HTTP, with relay and projector running."""
    open_account(settings, "secretariat", "secretariat")
    server = WebServer(settings, tmp_path).start()
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def console_errors() -> list[str]:
    """Console errors (CSP violations among them) and uncaught exceptions the page reported."""
    return []


@pytest.fixture
def page(browser: Browser, site: str, console_errors: list[str]) -> Iterator[Page]:
    context = browser.new_context(base_url=site, locale="bg-BG", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            console_errors.append(f"console: {message.text} ({message.location.get('url', '')})")

    def on_page_error(error: Error) -> None:
        console_errors.append(f"pageerror: {error.message}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    # Signed in as the secretariat, who may act for any centre.
    page.goto("/login")
    page.fill("#login-username", "secretariat")
    page.fill("#login-password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url("**/")
    yield page
    context.close()
