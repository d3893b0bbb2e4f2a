"""The bus down for 30 seconds: commands keep succeeding and a form's own command is shown at once (the web
projects it, ``infra.catch_up``); what other processes stored waits for the bus, and the pages say so and by
how much; once the bus is back the stream and the pages catch up with the store."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from contract.headers import source_for
from infra.nats_server import NatsServer, free_port
from infra.settings import Settings, load_settings
from tests.support.delivery import caught_up, compare_read_models_with_rebuilt, compare_stream_with_store
from tests.support.processes import eventually, kill_server

OUTAGE_SECONDS = 30


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    """Once, on SQLite: the 10,000-command fault test covers both engines."""
    return sqlite_url


@pytest.fixture
def settings(tmp_path: Path, nats_server: NatsServer, database_url: str) -> Settings:
    """A form waits one second for its projection, not ten: with the bus down it never comes."""
    return load_settings({
        "MREZHA_DATA_DIR": str(tmp_path / "data"), "MREZHA_DATABASE_URL": database_url,
        "MREZHA_NATS_URL": nats_server.url, "MREZHA_PORT": str(free_port()), "MREZHA_PROJECTION_WAIT": "1",
    })


def register(web, name: str) -> str:
    response = web.post_form("/centres", {"name": name, "city": "Видин"})
    assert response.status_code == 201, response.text
    return response.text


def notice(web) -> dict[str, str] | None:
    """The home page's "bus delayed" notice: its text and figures, or None."""
    started = time.monotonic()
    page = web.get("/")
    assert page.status_code == 200
    assert time.monotonic() - started < 2, "a page waited on the bus"
    found = BeautifulSoup(page.text, "html.parser").select_one("#bus-delayed")
    if found is None:
        return None
    return {"text": " ".join(found.text.split()), "lag": found["data-lag"], "seconds": found["data-seconds"]}


def test_with_the_bus_down_for_30_seconds_commands_succeed_pages_say_so_and_all_catches_up(
    web, store, read_db, fresh_database, settings, nats_server, relay, projector
):
    # Given a network whose events reached the pages
    register(web, "Младежки център – Видин")
    caught_up(store, read_db, settings.nats_url, 30, (relay, projector))
    eventually(lambda: notice(web) is None, 5, "a bus-delayed notice with the bus up")  # the monitor looks every second

    # When the bus goes down for 30 seconds while centres keep registering through the forms, and,
    # for the second half of it, through another process (the store straight, as the command line does)
    kill_server(nats_server)
    down_at = time.monotonic()
    before = store.last_notification_id()
    registered, elsewhere, seen = 0, 0, []
    while time.monotonic() - down_at < OUTAGE_SECONDS / 2:
        answer = register(web, f"Младежки център №{registered + 1}")  # each one succeeds
        registered += 1
        assert f"Младежки център №{registered}" in answer  # and is shown at once: the web projected it
        assert notice(web) is None  # nothing stored waits: the pages are not behind
        time.sleep(0.5)
    while time.monotonic() - down_at < OUTAGE_SECONDS:
        store.centres.register_centre(name=f"Център отвън №{elsewhere + 1}", city="Видин")
        elsewhere += 1
        if (shown := notice(web)) is not None:
            seen.append(shown)
        time.sleep(0.5)

    # Then every command was stored
    assert registered >= 10 and elsewhere >= 10
    assert store.last_notification_id() >= before + 2 * (registered + elsewhere)
    # And after a few seconds the pages said the other process's changes were delayed, with how many and how long
    assert seen, "no page ever said the bus was delayed"
    last = seen[-1]
    assert "Шината за събития закъснява" in last["text"]
    assert int(last["lag"]) >= 2 * (elsewhere - 4)  # the monitor reads positions once a second: the last few may be unread
    assert OUTAGE_SECONDS / 2 - 8 <= int(last["seconds"]) <= OUTAGE_SECONDS / 2 + 5
    assert re.search(rf"\b{last['lag']}\b", last["text"])
    assert web.get("/readyz").status_code == 200  # 15 s behind is still within what readiness allows
    metrics = web.get("/metrics").text
    assert "mrezha_bus_up 0" in metrics

    # When the bus comes back
    nats_server.start()

    # Then the stream and the read models catch up with everything stored meanwhile
    caught_up_in = caught_up(store, read_db, settings.nats_url, 60, (relay, projector))
    report = compare_stream_with_store(store, settings.nats_url, source=source_for(settings.site_url))
    print(f"\n[bus down {OUTAGE_SECONDS}s] {registered} + {elsewhere} centres registered meanwhile; {report.line()}; "
          f"caught up {caught_up_in:.1f}s after the bus returned")
    assert (report.duplicates, report.missing, report.in_order, report.mismatched) == (0, 0, True, [])
    assert compare_read_models_with_rebuilt(store, read_db, fresh_database) == ""
    # And the pages stop saying the bus is delayed
    eventually(lambda: notice(web) is None, 10, "the bus-delayed notice stayed")
    assert f"Център отвън №{elsewhere}" in web.get("/centres").text
