"""A batch is all or nothing: when a read model's handler raises in the middle of a batch, neither
its rows nor its tracking position move, on SQLite and PostgreSQL; the writer refuses to go on
until it starts again, and then writes the batch whole."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from contract.envelope import envelope
from contract.headers import Headers
from projections.base import apply_batch, ensure_tables, position
from projections.calendar import Calendar
from projections.centres import CentresDirectory
from tests.support.delivery import Load
from tests.support.rebuild import rebuild_from_store, table_contents
from workers.projection_writer import NotStarted, ReadModelWriter


class Broken(Exception):
    """The handler's failure, raised on purpose."""


class CentresFailingAt(CentresDirectory):
    """The centres directory, with a handler that raises at one notification."""

    def __init__(self, failing_at: int) -> None:
        self.failing_at = failing_at
        self.seen = 0

    def apply(self, event: Any, tx: Any) -> None:
        self.seen += 1
        if self.seen == self.failing_at:
            raise Broken(f"the handler failed at event {self.seen} of the batch")
        super().apply(event, tx)


def a_network(store, centres: int) -> list[tuple[int, Any]]:
    for n in range(centres):
        centre_id, _ = store.centres.register_centre(name=f"Младежки център №{n}", city="Шумен")
        store.centres.apply_for_membership(centre_id)
    notifications = store.recorder.select_notifications(1, 1000)
    return [(n.id, store.mapper.to_domain_event(n)) for n in notifications]


def test_a_handler_raising_mid_batch_leaves_rows_and_position_where_they_were(store, read_db):
    events = a_network(store, 4)
    first, rest = events[:3], events[3:]
    healthy = CentresDirectory()
    ensure_tables(read_db, healthy)
    apply_batch(read_db, healthy, first)
    before = table_contents(read_db, [healthy])

    with pytest.raises(Broken):
        apply_batch(read_db, CentresFailingAt(failing_at=4), rest)  # fails after three of the batch's events

    assert position(read_db, healthy.name) == first[-1][0]
    assert table_contents(read_db, [healthy]) == before


def test_the_writer_refuses_to_go_on_after_a_failed_batch_and_writes_it_whole_once_started_again(
    store, read_db, fresh_database
):
    events = a_network(store, 3)
    wires = [wire_of(store, notification_id) for notification_id, _ in events]
    failing = ReadModelWriter(read_db, (CentresFailingAt(failing_at=5),))
    failing.start()

    with pytest.raises(Broken):
        failing.write(wires)
    with pytest.raises(NotStarted):
        failing.write(wires[-1:])  # a batch queued behind the failed one is never written with a hole before it

    writer = ReadModelWriter(read_db, (CentresDirectory(),))
    assert writer.start() == {"centres": 0}
    writer.write(wires)
    rebuild_from_store(store, fresh_database, [CentresDirectory()])
    assert table_contents(read_db, [CentresDirectory()]) == table_contents(fresh_database, [CentresDirectory()])


def wire_of(store, notification_id: int) -> tuple[int, str, str, str, bytes]:
    [notification] = store.recorder.select_notifications(notification_id, 1)
    message = envelope(notification.id, store.mapper.to_domain_event(notification))
    headers = Headers.read(dict(message.headers))  # what the projector reads off a message
    return headers.notification_id, headers.type, headers.actor, headers.actorcentre, message.body


class CalendarHeldOpen(Calendar):
    """The calendar, holding its batch's transaction open at its first event until the test lets it go."""

    def __init__(self, holding: threading.Event, go: threading.Event) -> None:
        self.holding, self.go = holding, go

    def apply(self, event: Any, tx: Any) -> None:
        if not self.holding.is_set():
            self.holding.set()
            assert self.go.wait(10)
        super().apply(event, tx)


def test_two_writers_of_a_read_model_not_yet_tracked_apply_each_event_once(store, read_db, fresh_database):
    # Given a year's worth of activities, rescheduled among them, and a calendar that has no position yet
    Load(store, 20, "two writers").record()
    batch = [(n.id, store.mapper.to_domain_event(n)) for n in store.recorder.select_notifications(1, 1000)]
    ensure_tables(read_db, Calendar())
    holding, go = threading.Event(), threading.Event()

    # When one writer (the projector's) is in the middle of the batch and another (the web's) starts the same one
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(apply_batch, read_db, CalendarHeldOpen(holding, go), batch)
        assert holding.wait(10)
        second = pool.submit(apply_batch, read_db, Calendar(), batch)
        time.sleep(0.3)  # the second is waiting for the first, or (wrongly) writing beside it
        go.set()
        positions = {first.result(timeout=30), second.result(timeout=30)}

    # Then both end at the batch's last event, and the calendar is as one application of the batch leaves it
    assert positions == {batch[-1][0]}
    rebuild_from_store(store, fresh_database, [Calendar()])
    assert table_contents(read_db, [Calendar()]) == table_contents(fresh_database, [Calendar()])
