"""The live pages' streams over real HTTP: the web, relay and projector processes and a real nats-server.

A stream sends the partial its page includes, as an ``update`` whose id is the read models' position;
a browser that comes back with ``Last-Event-ID`` (or a page's ``since``) gets what was projected
while it was away, and nothing when it has everything.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID

import httpx
import pytest

from application.actor import acting_as
from application.app import MrezhaApplication
from infra.settings import Settings
from projections.base import position
from projections.catalog import all_projections
from projections.sql import Database
from tests.support.processes import Worker, eventually
from tests.support.server import WebServer

STREAM_SECONDS = 2.0


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    return sqlite_url


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, live_stream_seconds=STREAM_SECONDS)


@pytest.fixture
def site(settings: Settings, tmp_path: Path, relay: Worker, projector: Worker) -> Iterator[str]:
    server = WebServer(settings, tmp_path).start()
    yield server.url
    server.stop()


def member(store: MrezhaApplication, name: str) -> UUID:
    with acting_as("test"):
        centre_id, _ = store.centres.register_centre(name=name, city="Враца")
        store.centres.apply_for_membership(centre_id)
        store.centres.admit_centre(centre_id)
    return centre_id


def settled(store: MrezhaApplication, db: Database) -> int:
    """Waits until every read model has projected everything stored; returns that position."""
    last = store.last_notification_id()
    eventually(lambda: all(position(db, p.name) >= last for p in all_projections()), 20, "not projected")
    return last


def events(site: str, path: str, last_event_id: int | None = None) -> list[dict[str, str]]:
    """The events of one whole stream (it ends after its lifetime), each as its fields."""
    headers = {"Last-Event-ID": str(last_event_id)} if last_event_id is not None else {}
    with httpx.stream("GET", site + path, headers=headers, timeout=STREAM_SECONDS + 10) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        text = response.read().decode()
    found = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        fields: dict[str, str] = {}
        for line in block.split("\n"):
            name, _, value = line.partition(": ")
            if name in ("id", "event", "data"):
                fields[name] = fields[name] + "\n" + value if name in fields else value
        if fields:
            found.append(fields)
    return found


@pytest.fixture
def activity(store: MrezhaApplication, read_db: Database) -> UUID:
    host = member(store, "Младежки център – Враца")
    soon = date.today() + timedelta(days=10)
    with acting_as("test"):
        activity_id, _ = store.activities.plan_activity(
            host_centre_id=host, title="Обмен на живо", kind="exchange", starts_on=soon, ends_on=soon, city="Враца"
        )
    return activity_id


def test_a_stream_resumed_with_last_event_id_sends_what_was_projected_while_the_browser_was_away(
    site: str, store: MrezhaApplication, read_db: Database, activity: UUID
):
    # Given a browser that had the activity page as of this position
    guest = member(store, "Младежки център – Перник")
    had = settled(store, read_db)

    # When a centre joins while the browser is away
    with acting_as("test"):
        store.activities.join_activity(activity, guest, 12)
    now = settled(store, read_db)

    # Then the stream it reconnects with sends, at once, the page's partial with the join, as of now
    updates = [e for e in events(site, f"/live/activities/{activity}", last_event_id=had) if e.get("event") == "update"]
    assert updates[0]["id"] == str(now) and int(updates[0]["id"]) > had
    assert "Младежки център – Перник" in updates[0]["data"] and 'id="participation-rows"' in updates[0]["data"]
    # and the stream ends by saying so, for the page to open a new one
    assert events(site, f"/live/activities/{activity}?since={now}")[-1] == {"event": "close", "data": "lifetime"}


def test_a_browser_that_has_everything_gets_no_update_until_a_new_fact_is_projected(
    site: str, store: MrezhaApplication, read_db: Database, activity: UUID
):
    # Given a calendar page that is current
    guest = member(store, "Младежки център – Добрич")
    now = settled(store, read_db)
    assert not [e for e in events(site, f"/live/calendar?since={now}") if e.get("data", "").strip() not in ("", "lifetime")]

    # When, while it watches, a centre joins (in a moment)
    def join_soon() -> None:
        with acting_as("test"):
            store.activities.join_activity(activity, guest, 5)

    timer = threading.Timer(0.5, join_soon)
    timer.start()
    watched = events(site, f"/live/activities/{activity}", last_event_id=now)
    timer.join()

    # Then exactly that fact arrives, as one update past the position the page had
    updates = [e for e in watched if e.get("event") == "update" and e.get("data")]
    assert len(updates) == 1 and int(updates[0]["id"]) > now
    assert "Младежки център – Добрич" in updates[0]["data"]


def test_a_stream_for_a_page_that_does_not_exist_is_not_found(site: str):
    response = httpx.get(site + "/live/activities/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404


def test_the_network_page_s_stream_sends_the_chair_handed_over_while_it_watches(
    site: str, store: MrezhaApplication, read_db: Database
):
    # Given the network page, current
    chair = member(store, "Младежки център – Стара Загора")
    now = settled(store, read_db)

    # When the chair is handed over while it watches
    def hand_over_soon() -> None:
        with acting_as("test"):
            store.network.hand_over_chair(date.today().year, chair, date.today())

    timer = threading.Timer(0.5, hand_over_soon)
    timer.start()
    watched = events(site, f"/live/network?since={now}")
    timer.join()

    # Then the update holds the network's panel with the new chair
    updates = [e for e in watched if e.get("event") == "update" and e.get("data")]
    assert len(updates) == 1 and 'id="current-chair"' in updates[0]["data"]
    assert "Младежки център – Стара Загора" in updates[0]["data"]


def test_a_centre_page_s_stream_is_as_public_as_the_page_is(site: str, store: MrezhaApplication, read_db: Database):
    # Given a member centre with a member of staff, and a centre that only registered
    centre = member(store, "Младежки център – Русе")
    with acting_as("test"):
        store.centres.add_staff_member(centre, "Иван Колев", "coordinator")
        registered, _ = store.centres.register_centre(name="Младежки център – Плевен", city="Плевен")
    settled(store, read_db)

    # Then a visitor's stream of the member sends its public face, without its staff
    updates = [e for e in events(site, f"/live/centres/{centre}") if e.get("event") == "update" and e.get("data")]
    assert len(updates) == 1 and 'id="hosted-rows"' in updates[0]["data"]
    assert 'id="profile-sign-in"' in updates[0]["data"] and "Иван Колев" not in updates[0]["data"]

    # And a centre that has no public page has no stream for a visitor
    assert httpx.get(site + f"/live/centres/{registered}").status_code == 404
