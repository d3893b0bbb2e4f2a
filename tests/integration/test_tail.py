"""``mrezha tail``: the public stream as a subscriber sees it, one JSON line per event."""

from __future__ import annotations

from datetime import date

import pytest

from tests.support.processes import eventually, kill_server
from tests.support.stream import public_events_stored, public_stream_length, public_stream_messages
from tests.support.tail import TailProcess


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    """The tail reads only the bus: one database engine is enough here."""
    return sqlite_url


def record_network(store, centres: int = 3, activities: int = 2) -> int:
    """Centres registered and admitted, then activities they host; the number of public events
    (the claims on the centres' names stay on the internal stream)."""
    ids = []
    for n in range(centres):
        centre_id, _ = store.centres.register_centre(name=f"Младежки център {n}", city="Враца")
        store.centres.apply_for_membership(centre_id)
        store.centres.admit_centre(centre_id)
        ids.append(centre_id)
    for n in range(activities):
        store.activities.plan_activity(host_centre_id=ids[n % len(ids)], title=f"Обмен {n}", kind="exchange",
                            starts_on=date(2026, 5, 14), ends_on=date(2026, 5, 16), city="Враца")
    return public_events_stored(store)


def published(settings, count: int) -> None:
    eventually(lambda: public_stream_length(settings.nats_url) >= count, 30,
               f"{count} events never reached the public stream")


def test_tail_from_the_start_prints_every_event_as_a_json_line_in_stream_order(settings, store, relay):
    # Given a small network recorded and published
    stored = record_network(store)
    published(settings, stored)

    # When the stream is tailed from its start
    tail = TailProcess(settings, "--from-start", "--count", str(stored))
    lines = tail.lines(stored)

    # Then every event came once, in order, with its CloudEvents headers and its JSON body
    assert tail.wait() == 0
    assert [line["seq"] for line in lines] == list(range(1, stored + 1))
    assert [int(line["headers"]["ce-id"]) for line in lines] == [
        int(m.headers["ce-id"]) for m in public_stream_messages(settings.nats_url)]
    for line in lines:
        assert line["headers"]["Nats-Msg-Id"] == line["headers"]["ce-id"]
        assert line["subject"] == "mrezha." + line["headers"]["ce-type"].removeprefix("bg.mrezha.").rsplit(".v", 1)[0]
        assert line["body"]["originator_id"] == line["headers"]["ce-subject"]
    assert lines[0]["subject"] == "mrezha.centre.registered"
    assert lines[0]["body"]["name"] == "Младежки център 0"


def test_tail_from_a_sequence_begins_at_that_message(settings, store, relay):
    stored = record_network(store)
    published(settings, stored)

    tail = TailProcess(settings, "--from-seq", "5", "--count", "3")

    assert [line["seq"] for line in tail.lines(3)] == [5, 6, 7]
    assert tail.wait() == 0


def test_tail_filtered_by_subject_prints_only_those_events(settings, store, relay):
    stored = record_network(store, activities=2)
    published(settings, stored)

    tail = TailProcess(settings, "--from-start", "--subject", "mrezha.activity.>", "--count", "2")
    lines = tail.lines(2)

    assert [line["subject"] for line in lines] == ["mrezha.activity.planned"] * 2
    assert [line["body"]["title"] for line in lines] == ["Обмен 0", "Обмен 1"]
    assert tail.wait() == 0


def test_tail_from_now_prints_only_the_events_recorded_after_it_started(settings, store, relay):
    # Given events already on the stream
    before = record_network(store, centres=2, activities=0)
    published(settings, before)

    # When a tail starts from now, and then a centre registers and applies (the claim on its
    # name is recorded too, but stays internal)
    tail = TailProcess(settings, "--count", "2")
    tail.wait_until_said("following MREZHA mrezha.> from stream seq")
    centre_id, _ = store.centres.register_centre(name="Младежки център – Перник", city="Перник")
    store.centres.apply_for_membership(centre_id)

    # Then it prints just those two
    lines = tail.lines(2)
    assert [line["seq"] for line in lines] == [before + 1, before + 2]
    assert [line["subject"] for line in lines] == ["mrezha.centre.registered", "mrezha.centre.membership_applied"]
    assert tail.wait() == 0


def test_a_durable_tail_resumes_after_the_last_event_it_printed(settings, store, relay):
    stored = record_network(store)
    published(settings, stored)

    # Given a durable tail that printed the first four events and stopped
    first = TailProcess(settings, "--durable", "audit", "--from-start", "--count", "4")
    assert [line["seq"] for line in first.lines(4)] == [1, 2, 3, 4]
    assert first.wait() == 0

    # When it runs again under the same name (its start flags no longer matter)
    second = TailProcess(settings, "--durable", "audit", "--count", "3")

    # Then it carries on after the fourth
    assert [line["seq"] for line in second.lines(3)] == [5, 6, 7]
    assert second.wait() == 0
    assert "resuming durable consumer 'audit'" in second.stderr


def test_tail_keeps_following_across_a_bus_restart_without_repeating_a_line(settings, store, relay, nats_server):
    # Given a tail following from the start, which has printed what was there
    stored = record_network(store, centres=2, activities=0)
    published(settings, stored)
    tail = TailProcess(settings, "--from-start")
    try:
        assert [line["seq"] for line in tail.lines(stored)] == list(range(1, stored + 1))

        # When the bus is killed, comes back on the same port, and more is recorded
        kill_server(nats_server)
        nats_server.start()
        centre_id, _ = store.centres.register_centre(name="Младежки център – Добрич", city="Добрич")
        store.centres.apply_for_membership(centre_id)

        # Then the tail prints the new events, and nothing twice
        lines = tail.lines(2, timeout=60)
        assert [line["seq"] for line in lines] == [stored + 1, stored + 2]
    finally:
        tail.stop()


def test_tail_prints_structured_mode_cloudevents_for_sdks_that_read_only_those(settings, store, relay):
    # Given a small network on the public stream
    stored = record_network(store, centres=1, activities=1)
    published(settings, stored)
    messages = public_stream_messages(settings.nats_url)

    # When it is tailed as structured-mode CloudEvents
    tail = TailProcess(settings, "--from-start", "--cloudevents", "--count", str(stored))
    events = tail.lines(stored)

    # Then each line is one CloudEvent: its attributes from the headers, the body as its data
    assert tail.wait() == 0
    for event, message in zip(events, messages, strict=True):
        assert event["specversion"] == "1.0" and event["datacontenttype"] == "application/json"
        assert (event["id"], event["type"], event["source"], event["subject"]) == (
            message.headers["ce-id"], message.headers["ce-type"], message.headers["ce-source"],
            message.headers["ce-subject"])
        assert event["data"] == __import__("json").loads(message.data)
    assert events[0]["type"] == "bg.mrezha.centre.registered.v1"
