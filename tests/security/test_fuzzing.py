"""Hypothesis against every route: forms (and JSON, multipart or raw bodies sent where forms are
expected) with any fields and values, pages with odd paths and query strings. Never a 5xx, and
a request the app refuses (any 4xx) stores nothing; a page stores nothing at all."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import postgres_dsn
from tests.security.conftest import PAYLOADS, TODAY, Site, start_site, unsafe_handlers

ODD = [
    "", " ", "\x00", "a\x00b", "\r\n", "\t", "'", '"', "\\", "%", "%00", "../../../etc/passwd", "..%2f..%2f",
    "0", "-1", "1e309", "NaN", "99999999999999999999999", "2026-02-30", "0000-00-00", "9999-12-31", "true", "null",
    "[]", "{}", str(uuid.UUID(int=0)), str(uuid.uuid4()), "٣", "𝟘", "\u202e", "\ufeff", "Ω" * 3, "я" * 10_001,
    *PAYLOADS.values(),
]
odd_text = st.one_of(
    st.sampled_from(ODD), st.text(max_size=40), st.text(alphabet="0123456789-:T. ", max_size=20),
    st.builds(lambda a, b: f"{a}\x00{b}", st.text(max_size=8), st.text(max_size=8)),  # PostgreSQL's text holds no NUL
)
short_odd_text = odd_text.filter(lambda value: len(value) < 2_000)  # for addresses: URLs have a length limit
some_value = st.one_of(odd_text, st.lists(odd_text, min_size=2, max_size=3))  # a list: the key repeated
EXAMPLES = int(os.environ.get("MREZHA_FUZZ_EXAMPLES", "40"))  # per route; raise it for a deeper search
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)


OWN_FIELDS = ("username", "password", "current_password", "new_password", "repeat_password")  # read by hand


def fields_of(handlers: list[Any]) -> list[str]:
    """The field names the forms behind these routes know, to aim at (random names are drawn too)."""
    names = {"_csrf_token", "id", "next", *OWN_FIELDS}
    for handler in handlers:
        action = handler.opt.get("action")
        if action is not None and action.form is not None:
            names |= set(action.form.__struct_fields__)
    return sorted(names) or ["x"]


def body(draw: Any, names: list[str]) -> dict[str, Any]:
    keys = draw(st.lists(st.one_of(st.sampled_from(names), st.text(max_size=12)), max_size=8, unique=True))
    return {key: draw(some_value) for key in keys}


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The demo on SQLite and on PostgreSQL (whose text cannot hold a NUL, say)."""
    with ExitStack() as stack:
        url = ""
        if request.param == "postgres":
            import psycopg

            dsn, schema = postgres_dsn(), f"t_{uuid.uuid4().hex[:12]}"
            url = f"{dsn}?schema={schema}"
            stack.callback(lambda: psycopg.connect(dsn, autocommit=True).execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        yield start_site(tmp_path_factory.mktemp("fuzz"), stack, url)


@pytest.fixture(scope="module")
def ids(site: Site) -> dict[str, list[str]]:
    """Real ids to put in paths beside made-up ones (a spare account's: the fuzz may disable it)."""
    activity = site.db.fetchone("SELECT id FROM calendar_activities ORDER BY starts_on DESC")["id"]
    practice = site.db.fetchone("SELECT id FROM practices")["id"]
    spare = site.open_account(f"spare-{uuid.uuid4().hex[:6]}", "member", "pernik")
    return {
        "centre_id": [str(site.centres["dobrich"]), str(site.centres["pernik"])],
        "activity_id": [activity],
        "practice_id": [practice],
        "account_id": [str(spare)],
        "year": [str(TODAY.year), str(TODAY.year + 1), "1999"],
        "project_id": [site.db.fetchone("SELECT id FROM projects ORDER BY id")["id"]],
    }


def path_for(draw: Any, template: str, actions: list[str], ids: dict[str, list[str]]) -> str:
    path = template
    for segment in [s for s in template.split("/") if s.startswith("{")]:
        name = segment[1:].split(":")[0]
        choices = actions if name == "action" else ids.get(name, [])
        value = draw(st.one_of(st.sampled_from(choices), short_odd_text) if choices else short_odd_text)
        path = path.replace(segment, quote(value, safe="") or "x")
    return path


UNSAFE_ROUTES = [
    "/centres", "/centres/{centre_id:str}/{action:str}", "/activities", "/activities/{activity_id:str}/{action:str}",
    "/network/{action:str}", "/plans/{year:str}/{action:str}", "/practices", "/practices/{practice_id:str}/{action:str}",
    "/accounts", "/accounts/{account_id:str}/{action:str}", "/account/password", "/account/{action:str}", "/login",
    "/logout",
    "/projects", "/projects/{project_id:str}/{action:str}",
]


def fuzzed_as(path: str) -> str:
    """The address a route is fuzzed under: the commands on one kind of record share their record's
    address, the command's name drawn (or made up)."""
    return path if path in UNSAFE_ROUTES else path.rsplit("/", 1)[0] + "/{action:str}"


def unsafe_routes(site: Site, template: str) -> list[tuple[str, Any]]:
    return [(p, h) for p, h in unsafe_handlers(site.client.app) if fuzzed_as(p) == template]


def test_the_fuzzed_routes_are_all_the_unsafe_routes(site: Site):
    assert sorted(UNSAFE_ROUTES) == sorted({fuzzed_as(p) for p, _ in unsafe_handlers(site.client.app)})


def send(site: Site, draw: Any, url: str, names: list[str], role: str) -> Any:
    """The body as a form (most often), or as JSON, multipart or raw bytes where a form is expected."""
    kind = draw(st.sampled_from(["form", "form", "form", "json", "multipart", "raw"]))
    if kind == "form":
        return site.post(url, body(draw, names), role=role, htmx=draw(st.booleans()))
    if kind == "json":
        shape = draw(st.sampled_from(["object", "list", "text", "number"]))
        value = body(draw, names) if shape == "object" else draw(
            {"list": st.lists(st.integers()), "text": st.text(max_size=20), "number": st.integers()}[shape])
        content = json.dumps(value)
        return site.request("POST", url, role=role, content=content, headers={"content-type": "application/json"})
    if kind == "multipart":
        files = {name: (draw(st.text(max_size=10)) or "f", str(value).encode("utf-8", "replace"))
                 for name, value in body(draw, names).items()}
        return site.request("POST", url, role=role, files=files or {"x": ("x", b"x")})
    content_type = draw(st.sampled_from(["application/x-www-form-urlencoded", "text/plain", "application/json",
                                         "multipart/form-data; boundary=zz", "application/octet-stream"]))
    return site.request("POST", url, role=role, content=draw(st.binary(max_size=300)),
                        headers={"content-type": content_type})


@pytest.mark.parametrize("template", UNSAFE_ROUTES)
def test_no_form_body_makes_a_server_error_or_is_stored_when_refused(site: Site, ids, template: str):
    routes = unsafe_routes(site, template)
    actions = sorted(path.rsplit("/", 1)[1] for path, _ in routes) if "{action" in template else []
    names = fields_of([handler for _, handler in routes])
    # Signing out as someone would end the session the other examples use: sign out anonymously
    roles = ["anonymous"] if template in ("/login", "/logout") else ["secretariat", "secretariat", "coordinator", "member"]

    @SETTINGS
    @given(st.data())
    def example(data: st.DataObject) -> None:
        url = path_for(data.draw, template, actions, ids)
        before = site.stored()
        response = send(site, data.draw, url, names, data.draw(st.sampled_from(roles)))
        assert response.status_code < 500, f"{url}: {response.status_code} {response.text[:300]}"
        if response.status_code >= 400:
            assert site.stored() == before, f"{url}: refused with {response.status_code} yet stored"

    try:
        example()
    finally:
        site.services.security.clear_failures("ip:testclient")


def get_routes(app: Any) -> list[tuple[str, list[str]]]:
    """Each GET route with the query parameters its handler reads."""
    routes = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if "GET" in handler.http_methods:
                params = sorted(set(handler.parsed_fn_signature.parameters) - {"request", "services", *route.path_parameters})
                routes.append((route.path, params))
    return sorted(routes)


def test_every_page_is_fuzzed(site: Site):
    assert {path for path, _ in get_routes(site.client.app)} == set(GET_ROUTES)


GET_ROUTES = [
    "/", "/lang/{code:str}", "/healthz", "/events/{file:str}", "/events", "/metrics", "/readyz", "/centres",
    "/centres/{centre_id:str}", "/calendar", "/activities/{activity_id:str}", "/activities.csv",
    "/centres/{centre_id:str}/calendar.ics", "/calendar.ics", "/participations.csv", "/network", "/plans/{year:str}",
    "/plans", "/practices", "/practices/{practice_id:str}", "/account/password", "/login", "/accounts",
    "/static/{file_path:path}", "/activities.spreadsheet.csv", "/participations.spreadsheet.csv",
    "/feeds/{token:str}/calendar.ics", "/account/calendar",
    *(f"/api/v1/{name}" for name in ("centres", "activities", "outcomes", "practices", "chairs", "plans")),
    "/schema", "/schema/openapi.json", "/schema/{path:str}",
    "/projects", "/projects/{project_id:str}", "/projects/projects.csv",
    "/projects/progress.csv", "/projects/{project_id:str}/reports/{kind:str}/{period:str}",
    "/audit/key", "/audit/{year:str}", "/audit",
    "/live/calendar", "/live/activities/{activity_id:str}", "/live/centres/{centre_id:str}", "/live/network",
]


@pytest.mark.parametrize("template", GET_ROUTES)
def test_no_page_address_makes_a_server_error_or_stores_anything(site: Site, ids, template: str):
    params = dict(get_routes(site.client.app))[template]

    @settings(max_examples=max(EXAMPLES * 3 // 10, 5), deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(st.data())
    def example(data: st.DataObject) -> None:
        url = path_for(data.draw, template.replace("{file_path:path}", "{file_path}"), ["en", "bg", "x"], ids)
        keys = data.draw(st.lists(st.one_of(st.sampled_from(params or ["q"]), st.text(max_size=8)), max_size=5))
        query = [(key, data.draw(short_odd_text)) for key in keys]
        headers = {"HX-Request": "true", "HX-Target": data.draw(st.sampled_from(["calendar-results", "centre-list",
                                                                                 "practice-results", "x"]))}
        before = site.stored()
        response = site.get(url, role=data.draw(st.sampled_from(["anonymous", "secretariat", "member"])),
                            params=query, headers=headers if data.draw(st.booleans()) else {})
        assert response.status_code < 500, f"{url}?{query}: {response.status_code} {response.text[:300]}"
        assert site.stored() == before
        assert "root:x:0:0" not in response.text

    example()


def test_a_nul_in_a_user_name_is_a_wrong_user_name(site: Site):
    """Found by the fuzzing above on PostgreSQL: the name went into the throttling table as it was."""
    response = site.post("/login", {"username": "dobrich\x00", "password": "not-the-password"})
    assert response.status_code == 401
    site.services.security.clear_failures("ip:testclient")


@pytest.mark.parametrize("path", ["/static/%00", "/static/app.css%00", "/static/vendor%00/x.js", "/static/..%2f..%2fapp.py"])
def test_a_static_file_name_no_file_can_have_is_not_found(site: Site, path: str):
    """Found by the fuzzing above: a NUL in the name was the operating system's ValueError, a 500."""
    assert site.get(path).status_code == 404
