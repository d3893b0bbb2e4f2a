"""The projector's writer: what each call does to the read models, and what it refuses."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import msgspec
import pytest
from eventsourcing.domain import Aggregate

from contract.envelope import envelope
from domain.activity import Activity
from domain.centre import Centre
from infra.sql import SQLiteDatabase
from projections.base import PositionMoved, position
from projections.calendar import Calendar
from projections.centres import CentresDirectory
from workers.projection_writer import NotStarted, ReadModelWriter, Wire
from workers.projector import wire


def messages_of(*aggregates: Aggregate, first_id: int = 1) -> list[Wire]:
    """The aggregates' events as the projector hands them to the writer, numbered from ``first_id``."""
    events = [event for aggregate in aggregates for event in aggregate.collect_events()]
    envelopes = [envelope(first_id + i, event) for i, event in enumerate(events)]
    received = [SimpleNamespace(headers=e.headers, data=e.body) for e in envelopes]  # a nats Msg's two fields
    return [wire(message) for message in received]  # type: ignore[arg-type]


def unreadable(message: Wire) -> Wire:
    notification_id, ce_type, actor, actor_centre, _body = message
    return notification_id, ce_type, actor, actor_centre, b"{not json"


@pytest.fixture
def writer(tmp_path: Path) -> Iterator[ReadModelWriter]:
    db = SQLiteDatabase(tmp_path / "read-models.sqlite")
    yield ReadModelWriter(db, (CentresDirectory(), Calendar()))
    db.close()


def a_centre_and_its_activity() -> tuple[Centre, Activity]:
    centre = Centre.register(name="Младежки център Враца", city="Враца")
    activity = Activity.plan(title="Обмен на добри практики", kind="exchange", host_centre_id=centre.id,
                             starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 2), city="Враца")
    return centre, activity


def test_the_writer_starts_at_the_read_models_positions(writer: ReadModelWriter) -> None:
    assert writer.start() == {"centres": 0, "calendar": 0}


def test_a_written_batch_moves_every_read_model_to_its_last_event(writer: ReadModelWriter) -> None:
    writer.start()
    centre, activity = a_centre_and_its_activity()

    assert writer.write(messages_of(centre, activity)) == {"centres": 2, "calendar": 2}

    row = writer.db.fetchone("SELECT host_name FROM calendar_activities WHERE id = ?", (str(activity.id),))
    assert row == {"host_name": "Младежки център Враца"}


def test_a_batch_seen_before_changes_nothing(writer: ReadModelWriter) -> None:
    writer.start()
    centre, activity = a_centre_and_its_activity()
    batch = messages_of(centre, activity)
    writer.write(batch)

    assert writer.write(batch) == {"centres": 2, "calendar": 2}
    assert writer.db.fetchone("SELECT COUNT(*) AS n FROM calendar_participations") == {"n": 1}


def test_a_read_model_reset_under_the_writer_moves_it_and_nothing_is_written(writer: ReadModelWriter) -> None:
    writer.start()
    centre, activity = a_centre_and_its_activity()
    writer.write(messages_of(centre))
    with writer.db.transaction() as tx:  # what ``mrezha rebuild calendar`` does first
        tx.execute("UPDATE projection_tracking SET position = 0 WHERE projection = 'calendar'")

    with pytest.raises(PositionMoved, match="calendar is at 0, not at 1"):
        writer.write(messages_of(activity, first_id=2))
    assert position(writer.db, "calendar") == 0


def test_a_read_model_reset_while_the_stream_is_idle_is_noticed(writer: ReadModelWriter) -> None:
    writer.start()
    centre, _ = a_centre_and_its_activity()
    writer.write(messages_of(centre))
    assert writer.idle() == {"centres": 1, "calendar": 1}
    with writer.db.transaction() as tx:
        tx.execute("UPDATE projection_tracking SET position = 0 WHERE projection = 'centres'")

    with pytest.raises(PositionMoved, match="centres is at 0, not at 1"):
        writer.idle()


def test_an_event_the_writer_cannot_read_fails_the_batch_and_writes_nothing(writer: ReadModelWriter) -> None:
    writer.start()
    centre, _ = a_centre_and_its_activity()

    with pytest.raises(msgspec.DecodeError):
        writer.write([unreadable(message) for message in messages_of(centre)])
    assert position(writer.db, "centres") == 0


def test_after_a_failed_batch_the_writer_refuses_the_batches_behind_it_until_started_again(
    writer: ReadModelWriter,
) -> None:
    writer.start()
    centre, activity = a_centre_and_its_activity()
    first, second = messages_of(centre), messages_of(activity, first_id=2)
    with pytest.raises(msgspec.DecodeError):
        writer.write([unreadable(first[0])])

    with pytest.raises(NotStarted, match="waiting to start again"):
        writer.write(second)
    assert position(writer.db, "calendar") == 0

    assert writer.start() == {"centres": 0, "calendar": 0}
    assert writer.write(first + second) == {"centres": 2, "calendar": 2}


def test_a_read_model_another_writer_moved_on_is_not_a_reset_and_the_batch_writes_only_what_lies_beyond(
    writer: ReadModelWriter,
) -> None:
    # Given the writer at the centre's event, and the web having projected the first activity itself
    writer.start()
    centre, first = a_centre_and_its_activity()
    second = Activity.plan(title="Младежка конференция", kind="conference", host_centre_id=centre.id,
                           starts_on=date(2027, 4, 1), ends_on=date(2027, 4, 2), city="Враца")
    writer.write(messages_of(centre))
    both = messages_of(first, second, first_id=2)
    web = ReadModelWriter(writer.db, writer.projections)
    web.start()
    web.write(both[:1])

    # When the projector's batch brings both activities
    positions = writer.write(both)

    # Then both read models are at the last one, and the first activity is there once
    assert positions == {"centres": 3, "calendar": 3}
    assert writer.db.fetchone("SELECT COUNT(*) AS n FROM calendar_activities") == {"n": 2}


def test_a_read_model_moved_on_while_the_stream_is_idle_is_where_the_writer_goes_on_from(
    writer: ReadModelWriter,
) -> None:
    writer.start()
    centre, activity = a_centre_and_its_activity()
    writer.write(messages_of(centre))
    web = ReadModelWriter(writer.db, writer.projections)
    web.start()
    web.write(messages_of(activity, first_id=2))

    assert writer.idle() == {"centres": 2, "calendar": 2}


def test_a_batch_every_read_model_already_holds_is_not_even_decoded(writer: ReadModelWriter) -> None:
    # Given read models the web brought up to the centre's event
    writer.start()
    centre, _ = a_centre_and_its_activity()
    registered = messages_of(centre)
    web = ReadModelWriter(writer.db, writer.projections)
    web.start()
    web.write(registered)

    # When the projector's batch brings that event again (here unreadable: it would fail if decoded)
    positions = writer.write([unreadable(message) for message in registered])

    # Then nothing was decoded or written, and the writer is where the read models are
    assert positions == {"centres": 1, "calendar": 1}
