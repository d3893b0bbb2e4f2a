"""The open-data API over the demo network: its OpenAPI document, keyset pages, ETags, JSON errors, and
no personal data (the generated cases are in test_open_data_schema.py)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from tests.conftest import postgres_dsn
from tests.security.conftest import Site, start_site

LISTS = ("centres", "activities", "outcomes", "practices", "chairs", "plans")


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The demo network on a SQLite file, and on PostgreSQL (its own schema, dropped afterwards)."""
    with ExitStack() as stack:
        database_url = ""
        if request.param == "postgres":
            import psycopg

            dsn = postgres_dsn()
            schema = f"t_{uuid.uuid4().hex[:12]}"
            database_url = f"{dsn}?schema={schema}"

            def drop() -> None:
                with psycopg.connect(dsn, autocommit=True) as connection:
                    connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

            stack.callback(drop)
        yield start_site(tmp_path_factory.mktemp("open-data"), stack, database_url)


def test_the_openapi_document_lists_every_list_of_public_facts(site: Site):
    response = site.get("/schema/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert set(paths) == {f"/api/v1/{name}" for name in LISTS}
    assert all(set(item) == {"get"} for item in paths.values()), "a page of the site leaked into the API's document"


@pytest.mark.parametrize("name", LISTS)
def test_each_list_pages_through_every_item_once_by_keyset(site: Site, name: str):
    everything = site.get(f"/api/v1/{name}?limit=500").json()
    assert everything["next"] is None
    seen, url = [], f"/api/v1/{name}?limit=1"
    while url:
        page = site.get(url).json()
        assert len(page["items"]) <= 1
        seen += page["items"]
        url = f"/api/v1/{name}?limit=1&after={page['next']}" if page["next"] else ""
    assert seen == everything["items"]
    if name != "plans":  # the demo holds one published plan at most
        assert len(seen) > 1, "the demo should fill more than one page"


def test_a_list_answers_304_to_the_etag_it_gave_and_200_after_a_change(site: Site):
    first = site.get("/api/v1/centres")
    etag = first.headers["etag"]
    again = site.get("/api/v1/centres", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    site.store.centres.register_centre(name="Младежки център – Русе", city="Русе")
    site.settle()
    changed = site.get("/api/v1/centres", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "Русе" in changed.text


def test_a_cursor_the_api_did_not_give_is_a_400_in_json(site: Site):
    response = site.get("/api/v1/activities?after=not-a-cursor")
    assert response.status_code == 400 and response.headers["content-type"] == "application/json"
    assert response.json()["status"] == 400


def test_no_personal_data_leaves_through_the_api(site: Site):
    """Staff, speakers, account names and contacts are in the read models, never in the API."""
    text = "".join(site.get(f"/api/v1/{name}?limit=500").text for name in LISTS)
    staff = [row["name"] for row in site.db.fetchall("SELECT name FROM centre_staff")]
    speakers = [row["speaker"] for row in site.db.fetchall("SELECT speaker FROM calendar_presentations")]
    accounts = [row for row in site.db.fetchall("SELECT username, display_name FROM accounts")]
    contacts = [row["contact"] for row in site.db.fetchall("SELECT contact FROM centres WHERE contact <> ''")]
    assert staff and speakers and accounts, "the demo should hold people to leave out"
    for value in staff + speakers + contacts + [a["display_name"] for a in accounts]:
        assert value not in text, value
    for key in ("contact", "speaker", "staff", "username", "display_name", "online_link", "actor"):
        assert f'"{key}"' not in text, key
    json.loads(site.get("/api/v1/practices").text)  # and it is JSON
