"""The projector's writer: what it answers to each request, and the frames it speaks in."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from domain.activity import Activity
from domain.centre import Centre
from contract.envelope import envelope
from infra.sql import SQLiteDatabase
from projections.base import position
from projections.calendar import Calendar
from projections.centres import CentresDirectory
from workers.projection_writer import Writer, encode_frame, read_frame
from workers.projector import stream_sequence, wire


def messages_of(*aggregates, first_id: int = 1) -> list[list[object]]:
    """The aggregates' events as the projector ships them to the writer, numbered from ``first_id``."""
    events = [event for aggregate in aggregates for event in aggregate.collect_events()]
    envelopes = [envelope(first_id + i, event) for i, event in enumerate(events)]
    return [wire(SimpleNamespace(headers=e.headers, data=e.body)) for e in envelopes]


@pytest.fixture
def writer(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = SQLiteDatabase(tmp_path / "read-models.sqlite")
    yield Writer(db, (CentresDirectory(), Calendar()))
    db.close()


def a_centre_and_its_activity() -> tuple[Centre, Activity]:
    centre = Centre.register(name="Младежки център Враца", city="Враца")
    activity = Activity.plan(title="Обмен на добри практики", kind="exchange", host_centre_id=centre.id,
                             starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 2), city="Враца")
    return centre, activity


def test_the_writer_starts_at_the_read_models_positions(writer: Writer) -> None:
    assert writer.handle({"op": "start"}) == {"positions": {"centres": 0, "calendar": 0}}


def test_an_applied_batch_moves_every_read_model_to_its_last_event(writer: Writer) -> None:
    writer.handle({"op": "start"})
    centre, activity = a_centre_and_its_activity()

    answer = writer.handle({"op": "apply", "messages": messages_of(centre, activity)})

    assert answer == {"positions": {"centres": 2, "calendar": 2}}
    row = writer.db.fetchone("SELECT host_name FROM calendar_activities WHERE id = ?", (str(activity.id),))
    assert row == {"host_name": "Младежки център Враца"}


def test_a_batch_seen_before_changes_nothing(writer: Writer) -> None:
    writer.handle({"op": "start"})
    centre, activity = a_centre_and_its_activity()
    batch = messages_of(centre, activity)
    writer.handle({"op": "apply", "messages": batch})

    assert writer.handle({"op": "apply", "messages": batch}) == {"positions": {"centres": 2, "calendar": 2}}
    assert writer.db.fetchone("SELECT COUNT(*) AS n FROM calendar_participations") == {"n": 1}


def test_a_read_model_reset_under_the_writer_is_answered_as_moved_and_nothing_is_written(writer: Writer) -> None:
    writer.handle({"op": "start"})
    centre, activity = a_centre_and_its_activity()
    writer.handle({"op": "apply", "messages": messages_of(centre)})
    with writer.db.transaction() as tx:  # what ``mrezha rebuild calendar`` does first
        tx.execute("UPDATE projection_tracking SET position = 0 WHERE projection = 'calendar'")

    answer = writer.handle({"op": "apply", "messages": messages_of(activity, first_id=2)})

    assert "calendar is at 0, not at 1" in answer["moved"]
    assert position(writer.db, "calendar") == 0


def test_a_read_model_reset_while_the_stream_is_idle_is_answered_as_moved(writer: Writer) -> None:
    writer.handle({"op": "start"})
    centre, _ = a_centre_and_its_activity()
    writer.handle({"op": "apply", "messages": messages_of(centre)})
    assert writer.handle({"op": "check"}) == {"positions": {"centres": 1, "calendar": 1}}
    with writer.db.transaction() as tx:
        tx.execute("UPDATE projection_tracking SET position = 0 WHERE projection = 'centres'")

    assert writer.handle({"op": "check"}) == {"moved": "centres is at 0, not at 1"}


def test_an_event_the_writer_cannot_read_is_answered_as_an_error(writer: Writer) -> None:
    writer.handle({"op": "start"})
    centre, _ = a_centre_and_its_activity()
    [[notification_id, ce_type, actor, actor_centre, _body]] = messages_of(centre)

    answer = writer.handle(
        {"op": "apply", "messages": [[notification_id, ce_type, actor, actor_centre, b"{not json"]]}
    )

    assert answer["error"].startswith("DecodeError")
    assert position(writer.db, "centres") == 0


def test_frames_carry_messages_whole_and_end_with_the_pipe() -> None:
    request = {"op": "apply", "messages": [[7, "bg.mrezha.centre.registered.v1", "vratsa", "", b"\x00{}"]]}
    pipe = io.BytesIO(encode_frame(request) + b"\x00\x00")

    assert read_frame(pipe) == request
    assert read_frame(pipe) is None  # a cut-off frame reads as the end


@pytest.mark.parametrize(
    "reply, expected",
    [
        ("$JS.ACK.MREZHA.projector.1.4711.12.1763800000000000000.0", 4711),
        ("$JS.ACK.hub.ACCHASH.MREZHA.projector.1.4712.12.1763800000000000000.0.token", 4712),
    ],
)
def test_the_stream_sequence_is_read_from_the_reply_subject(reply: str, expected: int) -> None:
    assert stream_sequence(SimpleNamespace(reply=reply)) == expected


def test_after_a_failed_batch_the_writer_refuses_the_batches_behind_it_until_started_again(writer: Writer) -> None:
    writer.handle({"op": "start"})
    centre, activity = a_centre_and_its_activity()
    first, second = messages_of(centre), messages_of(activity, first_id=2)
    writer.handle({"op": "apply", "messages": [[*first[0][:4], b"{not json"]]})

    refused = writer.handle({"op": "apply", "messages": second})
    assert "waiting to start again" in refused["error"]
    assert position(writer.db, "calendar") == 0

    assert writer.handle({"op": "start"}) == {"positions": {"centres": 0, "calendar": 0}}
    assert writer.handle({"op": "apply", "messages": first + second}) == {"positions": {"centres": 2, "calendar": 2}}
