"""The real litestar app under a test client, signed in, with the CSRF token a browser would send."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from bs4 import BeautifulSoup
from litestar.testing import TestClient

from tests.support.accounts import PASSWORD

CONFIRMED = {"_confirmed": "yes"}
"""What a form that asks first sends once its question is answered yes (the page's script sets it; without
the script the server asks on a page of its own: tests/integration/test_confirmation_without_js_over_http.py)."""


def as_swapped(html: str) -> BeautifulSoup:
    """An htmx answer as the page holds it once swapped: the parts sent out of band in a ``<template>`` (a table's
    rows, which a parser drops outside a table) unwrapped, so that a selector finds them as in the page."""
    page = BeautifulSoup(html, "html.parser")
    for template in page.find_all("template"):
        template.unwrap()
    return BeautifulSoup(str(page), "html.parser")  # read anew: a template's text is not the page's text


class Browserish:
    """Wraps TestClient: fetches a page first (for the CSRF cookie) and sends the token like htmx."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.client.get("/")

    @property
    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken") or ""

    @property
    def services(self) -> Any:
        return self.client.app.state.services

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.client.get(url, **kwargs)

    def post_form(
        self, url: str, data: dict[str, str], *, htmx: bool = True, csrf: bool = True, from_page: str = ""
    ) -> Any:
        """``from_page``: the page the form is on, as htmx says it (``HX-Current-URL``)."""
        headers = {"HX-Request": "true"} if htmx else {}
        if htmx and from_page:
            headers["HX-Current-URL"] = f"http://testserver.local{from_page}"
        if csrf:
            headers["x-csrftoken"] = self.csrf
        return self.client.post(url, data=data, headers=headers)

    def open_account(self, username: str, role: str, centre_id: Any = None) -> str:
        """An account opened straight through the application (as `mrezha user add` does)."""
        self.services.app.accounts.open_account(
            username=username, display_name=username.title(), role=role,
            centre_id=UUID(centre_id) if isinstance(centre_id, str) else centre_id,
            password=PASSWORD,
        )
        return PASSWORD

    def sign_in(self, username: str, password: str = PASSWORD) -> Any:
        self.sign_out()
        response = self.post_form("/login", {"username": username, "password": password, "next": "/"}, htmx=False)
        assert response.status_code in (200, 303), response.text
        return response

    def sign_in_as(self, role: str, centre_id: Any = None, username: str | None = None) -> str:
        """Open an account with this role (for this centre) and sign in with it; returns the user name."""
        username = username or f"{role}-{len(self.client.cookies)}-{id(self) % 10_000}"
        if self.services.app.accounts.account_named(username) is None:
            self.open_account(username, role, centre_id)
        self.sign_in(username)
        return username

    def sign_out(self) -> None:
        if self.client.cookies.get("mrezha_session"):
            self.post_form("/logout", {}, htmx=False)
        self.client.cookies.delete("mrezha_session")
