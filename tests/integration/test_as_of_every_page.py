"""Every read page of the demo network, as of a day, as a visitor, a member, a coordinator and the
secretariat see it: each link of the site keeps the day, each form that stays sends it along, no form
or button sends a command, and no page follows the live read models. The pages are walked from the
front page by their own links (and their htmx parts by their ``hx-get``), a few of each shape."""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from litestar.testing import TestClient

from infra.settings import load_settings
from projections.catalog import all_projections
from tests.support.accounts import demo_loaded
from tests.support.processes import eventually
from tests.support.rebuild import rebuild_from_store
from tests.support.web import Browserish
from web.as_of import with_day

ROLES = ("anonymous", "pernik", "dobrich", "secretariat")
NOT_PAGES = re.compile(r"^/(static|logout|lang|api|feeds|metrics|healthz|readyz|audit/key|live)|\.(csv|ics|json|xml|txt)(\?|$)|/export")
SHAPE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+|=[^&]*")
MOST_PAGES = 70
COMMANDS = ("form[method=post i], [hx-post], [hx-put], [hx-patch], [hx-delete], "
            "[data-hx-post], [data-hx-put], [data-hx-patch], [data-hx-delete]")
LIVE = "[sse-connect], [data-sse-connect], [hx-ext=sse], [data-hx-ext=sse]"
LINKS = ("href", "hx-get", "action")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """The demo network projected straight from the store, the web app over it; the demo accounts' passwords."""
    directory = tmp_path_factory.mktemp("as-of-every-page")
    settings = load_settings({"MREZHA_DATA_DIR": str(directory / "data"), "MREZHA_DEMO": "off",
                              "MREZHA_DATABASE_URL": f"sqlite:///{directory / 'mrezha.sqlite'}"})
    with demo_loaded(settings) as (store, db, passwords):
        rebuild_from_store(store, db, all_projections())
    from web.app import create_app

    with TestClient(app=create_app(settings)) as client:
        yield client, passwords


def fetched(client: TestClient, url: str, htmx: bool = False) -> Any:
    """The page, once the day's read models are ready ("preparing…" meanwhile)."""
    headers = {"HX-Request": "true"} if htmx else {}
    answers: list[Any] = []
    eventually(lambda: answers.append(client.get(url, headers=headers)) or answers[-1].status_code != 503, 30,
               f"{url} was never ready")
    return answers[-1]


def at_the_start_of_a_word(name: str, attribute: str) -> bool:
    return name == attribute or name.endswith("-" + attribute)


def what_is_wrong(html: str, day: date) -> list[str]:
    """What a page of ``day`` shows that it should not: links without the day, forms that do not
    send it, commands, a live stream."""
    page = BeautifulSoup(html, "html.parser")
    wrong = [f"a command: {str(element)[:120]}" for element in page.select(COMMANDS)]
    wrong += [f"a live stream: {str(element)[:120]}" for element in page.select(LIVE)]
    for element in page.find_all(True):
        if element.has_attr("data-live"):
            continue  # the banner's link to the network now
        for name, value in element.attrs.items():
            if any(at_the_start_of_a_word(name, link) for link in LINKS) and with_day(value, day) != value:
                wrong.append(f"a link without the day: {name}={value!r} on <{element.name}>")
    for form in page.select("form:not([method=dialog])"):
        if form.select_one(f"input[type=hidden][name=as_of][value='{day.isoformat()}']") is None:
            wrong.append(f"a form that does not send the day: {str(form)[:120]}")
    return wrong


def walked(client: TestClient, day: date) -> Iterator[tuple[str, str]]:
    """The pages of ``day`` reachable by links from the front page (and their htmx parts), a few of each shape."""
    start = f"/?as_of={day.isoformat()}"
    queue, seen, shapes = deque([(start, False)]), {start}, Counter[str]()
    while queue and sum(shapes.values()) < MOST_PAGES:
        url, htmx = queue.popleft()
        shape = SHAPE.sub("#", url) + (" (htmx)" if htmx else "")
        if shapes[shape]:
            continue
        shapes[shape] += 1
        response = fetched(client, url, htmx)
        assert response.status_code == 200, (url, response.status_code)
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        yield url, response.text
        page = BeautifulSoup(response.text, "html.parser")
        for element in page.select("a[href], [data-hx-get], [hx-get]"):
            for link, as_htmx in ((element.get("href"), False), (element.get("data-hx-get") or element.get("hx-get"), True)):
                if (isinstance(link, str) and link.startswith("/") and not link.startswith("//")
                        and not element.has_attr("data-live") and not NOT_PAGES.search(link)
                        and "as_of=" in link and (link, as_htmx) not in seen):
                    seen.add((link, as_htmx))
                    queue.append((link, as_htmx))


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_a_day_keeps_the_day_and_sends_no_command(demo: tuple[TestClient, dict[str, str]], role: str):
    client, passwords = demo
    web = Browserish(client)
    web.sign_out()
    if role != "anonymous":
        web.sign_in(role, passwords[role])
    day = client.app.state.services.app.today()
    pages = dict(walked(client, day))
    assert len(pages) > 12, sorted(pages)
    problems = {url: wrong for url, html in pages.items() if (wrong := what_is_wrong(html, day))}
    assert problems == {}


def test_two_days_of_the_same_record_each_keep_their_own_day(demo: tuple[TestClient, dict[str, str]]):
    """Tomorrow the record is as it is today (the same read models), but its pages keep tomorrow: a
    visitor's calendar, kept rendered per read models, is not served with another day's links."""
    client, _ = demo
    Browserish(client).sign_out()
    today = client.app.state.services.app.today()
    for day in (today, today + timedelta(days=1)):
        html = fetched(client, f"/calendar?as_of={day.isoformat()}").text
        assert what_is_wrong(html, day) == [], day


def test_the_walk_is_checked_against_what_a_day_s_page_must_not_show():
    page = ('<a href="/calendar">c</a><a data-live href="/x">now</a><form action="/calendar"></form>'
            '<form method="post" action="/c"></form><div data-sse-connect="/live/x"></div>')
    assert what_is_wrong(page, date(2026, 6, 1)) == [
        'a command: <form action="/c" method="post"></form>',
        'a live stream: <div data-sse-connect="/live/x"></div>',
        "a link without the day: href='/calendar' on <a>",
        "a link without the day: action='/calendar' on <form>",
        "a link without the day: action='/c' on <form>",
        'a form that does not send the day: <form action="/calendar"></form>',
        'a form that does not send the day: <form action="/c" method="post"></form>',
    ]
