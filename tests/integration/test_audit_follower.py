"""The audit follower beside the relay: it grows the tree as events are stored, signs
checkpoints, and the bus keeps them as an outside witness that `verify` checks too."""

from __future__ import annotations

import asyncio
import uuid

import nats

from audit import note
from infra import audit_bus, audit_log
from tests.support.stream import as_admin, run_apart
from workers.auditor import Auditor


async def events_stream_leaving_audit_subjects_free(url: str) -> None:
    """The event stream as it is once its subjects are narrowed to the events (work on another
    branch): ``mrezha.audit.>`` is then free for the checkpoints' own stream."""
    from nats.js.api import StreamConfig

    nc = await nats.connect(as_admin(url))
    await nc.jetstream().add_stream(StreamConfig(name="MREZHA", subjects=["mrezha.centre.>", "mrezha.activity.>"]))
    await nc.close()


def test_while_the_event_stream_takes_every_subject_no_checkpoint_goes_on_it(settings, store, read_db):
    from infra.bus import ensure_stream

    async def publish() -> tuple[bool, int]:
        nc = await nats.connect(as_admin(settings.nats_url))
        js = nc.jetstream()
        await ensure_stream(js)
        published = await audit_bus.publish_checkpoint(js, "a note")
        messages = (await js.stream_info("MREZHA")).state.messages
        await nc.close()
        return published, messages

    assert run_apart(publish()) == (False, 0)


def test_the_follower_signs_checkpoints_and_the_bus_keeps_them(settings, store, read_db):
    # Given 25 stored events and a follower signing every 10 leaves
    for i in range(12):
        store.centres.register_centre(name=f"Център {uuid.uuid4().hex[:6]}", city="Перник")
    log = audit_log.AuditLog(read_db, store.recorder, "example.org/mrezha", audit_log.load_key(settings.data_dir))
    auditor = Auditor(log, as_admin(settings.nats_url), every=10, interval=0.2, poll=0.05)

    async def follow_then_read() -> list[str]:
        await events_stream_leaving_audit_subjects_free(settings.nats_url)
        stop = asyncio.Event()
        task = asyncio.create_task(auditor.run(stop))
        for _ in range(100):
            await asyncio.sleep(0.05)
            if log.last_checkpoint_size() == 24:
                break
        stop.set()
        await task
        nc = await nats.connect(as_admin(settings.nats_url))
        try:
            return await audit_bus.published_checkpoints(nc.jetstream())
        finally:
            await nc.close()

    on_bus = run_apart(follow_then_read())
    # Then the tree holds every event, and the bus the same checkpoints as the store
    assert log.size == 24
    assert [note.open_note(n, log.verifier()).size for n in on_bus] == [10, 20, 24]
    assert on_bus == audit_log.checkpoints(read_db)
    assert audit_log.verify(read_db, store.recorder, log.verifier(), on_bus) == []


def test_a_checkpoint_the_bus_kept_catches_a_store_and_tree_rewritten_together(settings, store, read_db):
    # Given checkpoints on the bus
    for i in range(6):
        store.centres.register_centre(name=f"Център {uuid.uuid4().hex[:6]}", city="Перник")
    log = audit_log.AuditLog(read_db, store.recorder, "example.org/mrezha", audit_log.load_key(settings.data_dir))
    log.catch_up(every=5)
    witnessed = audit_log.checkpoints(read_db)
    # When the intruder deletes the last event, and the tree's last leaf and the store's checkpoints with it
    col = "rowid" if read_db.dialect == "sqlite" else "notification_id"
    with read_db.transaction() as tx:
        tx.execute(f"DELETE FROM {store.recorder.events_table_name} WHERE {col} = 12")
        tx.execute("DELETE FROM audit_leaves WHERE notification_id = 12")
        tx.execute("DELETE FROM audit_checkpoints WHERE tree_size > 10")
    # Then the store alone looks whole, but the bus's checkpoint says the tree was cut
    assert audit_log.verify(read_db, store.recorder, log.verifier()) == []
    assert audit_log.verify(read_db, store.recorder, log.verifier(), witnessed) == [
        "the tree was cut: checkpoint of 12 leaves, the table has 11"]


def test_the_stream_the_relay_published_matches_the_store(settings, store, relay):
    from tests.support.processes import eventually

    # Given events the relay published
    for i in range(5):
        store.centres.register_centre(name=f"Център {uuid.uuid4().hex[:6]}", city="Перник")

    async def published() -> list[int]:
        nc = await nats.connect(as_admin(settings.nats_url))
        try:
            return await audit_bus.published_ids(nc.jetstream())
        finally:
            await nc.close()

    eventually(lambda: len(run_apart(published())) == 10, 30, "the relay never published the 10 events")
    # Then each stored event is on the stream once, in order
    assert audit_bus.stream_differences(list(range(1, 11)), run_apart(published())) == []
