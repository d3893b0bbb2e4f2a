"""The real litestar app under a test client, with the CSRF token a browser would send."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient


class Browserish:
    """Wraps TestClient: fetches a page first (for the CSRF cookie) and sends the token like htmx."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.client.get("/")

    @property
    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken") or ""

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.client.get(url, **kwargs)

    def post_form(self, url: str, data: dict[str, str], *, htmx: bool = True, csrf: bool = True) -> Any:
        headers = {"HX-Request": "true"} if htmx else {}
        if csrf:
            headers["x-csrftoken"] = self.csrf
        return self.client.post(url, data=data, headers=headers)
