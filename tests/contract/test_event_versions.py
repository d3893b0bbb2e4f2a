"""A changed event is a new version with an upcaster: old shapes, from the stream or the store, still read.

The event here exists only in this test: a notice board whose ``Posted`` event gained
a ``language`` in version 2 (every version-1 notice was Bulgarian). It follows
eventsourcing's convention: ``class_version = 2`` and ``upcast_v1_v2`` on the class.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from uuid import uuid4

import msgspec
import pytest
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from domain.registry import EVENTS_BY_NAME, PUBLIC_NAMES
from contract import documents as schema
from contract.envelope import envelope
from infra.settings import load_settings
from application.app import MrezhaApplication
from infra.store import store_environment
from tests.support.contract import decode, errors


class Noticeboard(Aggregate):
    class Opened(Aggregate.Created):
        name: str

    @event(Opened)
    def __init__(self, name: str) -> None:
        self.name = name
        self.notices: list[tuple[str, str]] = []

    class Posted(Aggregate.Event):
        """A notice went up. Version 2 added its language."""

        class_version = 2
        text: str
        language: str

        @staticmethod
        def upcast_v1_v2(state: dict) -> None:
            state["language"] = "bg"

    @event(Posted)
    def post(self, text: str, language: str) -> None:
        self.notices.append((text, language))


@pytest.fixture
def registered(monkeypatch):
    """The test's events under public names, as domain/registry.py would list them."""
    for cls, name in ((Noticeboard.Opened, "noticeboard.opened"), (Noticeboard.Posted, "noticeboard.posted")):
        monkeypatch.setitem(PUBLIC_NAMES, cls, name)
        monkeypatch.setitem(EVENTS_BY_NAME, name, cls)


def v1_message(board_id, text: str) -> tuple[dict[str, str], bytes]:
    """A message exactly as the relay published it while ``Posted`` had only ``text``."""
    headers = {
        "Nats-Msg-Id": "41", "ce-specversion": "1.0", "ce-id": "41", "ce-source": "/mrezha",
        "ce-type": "bg.mrezha.noticeboard.posted.v1", "ce-time": "2025-03-01T10:00:00+00:00",
        "ce-subject": str(board_id), "ce-aggregateversion": "2", "content-type": "application/json",
    }
    body = {"originator_id": str(board_id), "originator_version": 2,
            "timestamp": "2025-03-01T10:00:00Z", "text": text}
    return headers, json.dumps(body, ensure_ascii=False).encode()


def test_a_version_1_message_decodes_into_the_version_2_event_through_its_upcaster(registered):
    board_id = uuid4()
    headers, body = v1_message(board_id, "Среща на мрежата в Добрич")

    notification_id, posted = decode(headers, body)

    assert notification_id == 41
    assert isinstance(posted, Noticeboard.Posted)
    assert (posted.originator_id, posted.originator_version) == (board_id, 2)
    assert (posted.text, posted.language) == ("Среща на мрежата в Добрич", "bg")


def test_a_version_2_message_keeps_its_own_language(registered):
    posted = Noticeboard.Posted(
        originator_id=uuid4(), originator_version=2, timestamp=datetime.now(timezone.utc),
        text="Network meeting in Dobrich", language="en",
    )
    message = envelope(42, posted)

    assert message.headers["ce-type"] == "bg.mrezha.noticeboard.posted.v2"
    assert decode(message.headers, message.body)[1].language == "en"


def test_a_version_1_event_in_the_store_is_read_upcast_and_republished_in_the_version_2_shape(
    registered, tmp_path
):
    # Given a store holding a notice board and a notice written by the version-1 code
    store = MrezhaApplication(env=store_environment(load_settings({"MREZHA_DATA_DIR": str(tmp_path)})))
    try:
        board_id = uuid4()
        transcoder = store.mapper.transcoder
        opened = {"timestamp": datetime(2025, 3, 1, 9, tzinfo=timezone.utc),
                  "originator_topic": get_topic(Noticeboard), "name": "Табло на мрежата"}
        posted_v1 = {"timestamp": datetime(2025, 3, 1, 10, tzinfo=timezone.utc), "text": "Среща в Добрич"}
        store.recorder.insert_events([
            StoredEvent(board_id, 1, get_topic(Noticeboard.Opened), transcoder.encode(opened)),
            StoredEvent(board_id, 2, get_topic(Noticeboard.Posted), transcoder.encode(posted_v1)),
        ])
        stored = store.recorder.select_events(board_id)[1]
        assert b"language" not in stored.state and b"class_version" not in stored.state

        # When the application's mapper reads it, and the aggregate is loaded
        posted = store.mapper.to_domain_event(stored)
        board = store.repository.get(board_id)

        # Then it is the version-2 event, its language filled in by the upcaster
        assert isinstance(posted, Noticeboard.Posted)
        assert (posted.text, posted.language) == ("Среща в Добрич", "bg")
        assert board.notices == [("Среща в Добрич", "bg")]

        # And the relay would publish it as version 2, valid against the version-2 schema
        message = envelope(2, posted)
        assert message.headers["ce-type"] == "bg.mrezha.noticeboard.posted.v2"
        v2 = schema.event_schema(Noticeboard.Posted)
        assert "language" in v2["required"]
        assert errors(v2, msgspec.json.decode(message.body)) == []
        # while the version-1 body would not pass it: the versions really differ
        assert errors(v2, json.loads(v1_message(board_id, "Среща в Добрич")[1])) != []

        # And a newly posted notice is stored with its version, so it is never upcast again
        board.post("Network meeting", "en")
        store.save(board)
        assert b'"class_version":2' in store.recorder.select_events(board_id)[2].state.replace(b" ", b"")
        assert store.repository.get(board_id).notices[-1] == ("Network meeting", "en")
    finally:
        store.close()


def test_the_schema_of_the_changed_event_is_named_after_its_version(registered):
    assert schema.file_name(PUBLIC_NAMES[Noticeboard.Posted], 2) == "noticeboard.posted.v2.schema.json"
    assert schema.event_schema(Noticeboard.Posted)["title"] == "bg.mrezha.noticeboard.posted.v2"
