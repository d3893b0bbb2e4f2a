"""An independent subscriber, written only from the README and the AsyncAPI document, receives
every event of a demo session with valid CloudEvents headers and bodies valid against the schemas."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from litestar.testing import TestClient
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from demo.seeds import load_demo_if_empty
from infra.bus_auth import url_for
from infra.security import Security
from infra.sql import open_database
from application.app import MrezhaApplication
from infra.store import store_environment
from tests.support.contract import errors
from tests.support.delivery import all_notifications
from tests.support.processes import ROOT, eventually
from tests.support.stream import public_ids, public_stream_length
from tests.support.tail import TailProcess
from tests.support.web import Browserish

README = ROOT / "README.md"


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    return sqlite_url


@pytest.fixture
def demo(settings) -> dict[str, str]:
    """The demo network, loaded as `make run` loads it: the demo accounts' passwords."""
    store, db = MrezhaApplication(env=store_environment(settings)), open_database(settings)
    try:
        store.passwords = Security(db)
        store.passwords.create_tables()
        passwords = load_demo_if_empty(store)
        assert passwords
        return passwords
    finally:
        store.close()
        db.close()


@pytest.fixture
def browser(settings, demo: dict[str, str]) -> Iterator[Browserish]:
    """The web app, the secretariat of the demo signed in."""
    from web.app import create_app

    with TestClient(app=create_app(settings)) as client:
        session = Browserish(client)
        session.sign_in("secretariat", demo["secretariat"])
        yield session


def readme_subscriber() -> str:
    """The Python block of the README's section on subscribers."""
    section = README.read_text(encoding="utf-8").split("### A subscriber in 20 lines", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None, "the README shows no subscriber"
    return code.group(1)


class Subscriber(TailProcess):
    """The README's code as its own process, reading the stream as another system would."""

    def __init__(self, settings, path: Path) -> None:  # type: ignore[no-untyped-def]
        path.write_text(readme_subscriber(), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("MREZHA_")}
        env["NATS_URL"] = url_for(settings.nats_url, settings.data_dir, "subscriber")  # what `mrezha bus-url` prints
        self.process = subprocess.Popen([sys.executable, str(path)], env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE)
        self._start_readers()


def test_the_readme_subscriber_is_about_20_lines_and_deduplicates_on_ce_id():
    code = readme_subscriber()
    assert 15 <= len(code.strip().splitlines()) <= 25
    assert 'msg.headers["ce-id"]' in code and "seen" in code
    # nats-py 2.16's fetch raises a bare asyncio.TimeoutError when its deadline passes between its two
    # pull requests (seen on an idle stream); nats.errors.TimeoutError is a subclass of it
    assert "except asyncio.TimeoutError:" in code


def test_a_subscriber_written_from_the_readme_and_asyncapi_gets_every_demo_event_valid(
    browser, store, settings, relay, projector, tmp_path, request
):
    # Given a demo session: the demo network, then a coordinator's work in the browser
    response = browser.post_form("/centres", {"name": "Младежки център – Кърджали", "city": "Кърджали"})
    assert response.status_code == 201, response.text
    stored = public_ids(store)
    assert len(stored) < len(all_notifications(store))  # the accounts and name claims are not for subscribers

    # When the README's subscriber follows the stream (once the relay has made it)
    eventually(lambda: public_stream_length(settings.nats_url) > 0, 30, "the relay never made the stream")
    subscriber = Subscriber(settings, tmp_path / "subscriber.py")
    request.addfinalizer(subscriber.stop)
    lines = subscriber.lines(len(stored), timeout=60)

    # Then it received every public event exactly once, in order
    ids = [int(line["headers"]["ce-id"]) for line in lines]
    assert ids == stored
    assert max(Counter(ids).values()) == 1
    assert len({line["headers"]["ce-type"] for line in lines}) >= 10  # the demo covers many event types

    # And each message is valid by the AsyncAPI document the web serves: its headers, and its body
    # against the schema of the message whose ce-type it carries
    document = yaml.safe_load(browser.get("/events/asyncapi.yaml").text)
    registry = Registry().with_resource("urn:asyncapi", Resource(document, specification=DRAFT202012))
    by_type = {  # the events' messages (the audit's checkpoint, no event, has no ce-type)
        message["headers"]["allOf"][1]["properties"]["ce-type"]["const"]: key
        for key, message in document["components"]["messages"].items()
        if "ce-type" in message["headers"]["allOf"][-1].get("properties", {})
    }
    problems = []
    for line in lines:
        headers, body = line["headers"], line["event"]
        key = by_type.get(headers["ce-type"])
        if key is None:
            problems.append(f"{headers['ce-id']}: no message for {headers['ce-type']}")
            continue
        message = document["components"]["messages"][key]
        header_schema = {"allOf": [{"$ref": f"urn:asyncapi{part['$ref']}"} if "$ref" in part else part
                                   for part in message["headers"]["allOf"]]}
        body_schema = {"$ref": f"urn:asyncapi{message['payload']['$ref']}"}
        problems += [f"{headers['ce-id']} headers: {e}" for e in errors(header_schema, headers, registry)]
        problems += [f"{headers['ce-id']} body: {e}" for e in errors(body_schema, body, registry)]
        assert headers["ce-specversion"] == "1.0" and headers["ce-id"] == headers["Nats-Msg-Id"]
        assert body["originator_id"] == headers["ce-subject"]
        assert str(body["originator_version"]) == headers["ce-aggregateversion"]
    assert problems == []
    print(f"\n[readme subscriber] {len(lines)} demo events, {len(by_type)} message types in the document, "
          f"{len({line['headers']['ce-type'] for line in lines})} seen, all valid")


IDLE_SECONDS = 35


def test_the_readme_subscriber_waits_out_a_quiet_stream_and_then_gets_new_events(
    store, settings, relay, tmp_path, request
):
    # Given a stream with one centre on it, read by the README's subscriber
    store.centres.register_centre(name="Младежки център – Враца", city="Враца")
    first = public_ids(store)
    eventually(lambda: public_stream_length(settings.nats_url) == len(first), 30, "the relay never published it")
    subscriber = Subscriber(settings, tmp_path / "subscriber.py")
    request.addfinalizer(subscriber.stop)
    assert [int(line["headers"]["ce-id"]) for line in subscriber.lines(len(first), timeout=30)] == first

    # When nothing happens on the stream for longer than many fetch timeouts
    quiet_until = time.monotonic() + IDLE_SECONDS
    while time.monotonic() < quiet_until:
        assert subscriber.process.poll() is None, f"the subscriber died on a quiet stream:\n{subscriber.stderr}"
        time.sleep(1)

    # Then it is still there, and the next event reaches it
    store.centres.register_centre(name="Младежки център – Перник", city="Перник")
    later = public_ids(store)[len(first):]
    lines = subscriber.lines(len(later), timeout=30)
    assert [int(line["headers"]["ce-id"]) for line in lines] == later
    assert subscriber.stderr == ""
