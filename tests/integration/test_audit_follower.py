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


def read_as_subscriber(settings) -> list[str]:
    """The checkpoints on the public stream, read with a subscriber's credentials (an outside witness)."""
    from infra.bus_auth import url_for

    async def read() -> list[str]:
        nc = await nats.connect(url_for(settings.nats_url, settings.data_dir, "subscriber"))
        try:
            return await audit_bus.published_checkpoints(nc.jetstream())
        finally:
            await nc.close()

    return run_apart(read())


def follow(auditor: Auditor, until, relay=None) -> None:
    """The follower (and the relay, as the relay's process runs them) until ``until()`` holds."""
    async def run() -> None:
        stop = asyncio.Event()
        tasks = [asyncio.create_task(worker.run(stop)) for worker in (auditor, relay) if worker]
        for _ in range(300):
            await asyncio.sleep(0.05)
            if until():
                break
        stop.set()
        await asyncio.gather(*tasks)

    run_apart(run())


def as_relay(settings) -> str:
    from infra.bus_auth import url_for

    return url_for(settings.nats_url, settings.data_dir, "relay")


def test_the_follower_publishes_every_checkpoint_on_the_public_stream_as_the_relay(settings, store, read_db):
    from workers.relay import Relay

    # Given 24 stored events, the relay and a follower with the relay's credentials signing every 10
    for i in range(12):
        store.centres.register_centre(name=f"Център {uuid.uuid4().hex[:6]}", city="Перник")
    log = audit_log.AuditLog(read_db, store.recorder, "example.org/mrezha", audit_log.load_key(settings.data_dir))
    auditor = Auditor(log, as_relay(settings), every=10, interval=0.2, poll=0.05)
    follow(auditor, lambda: auditor.published == 3 and len(published(settings)) == 24,
           Relay(store, as_relay(settings), poll_interval=0.1))
    # Then the bus keeps the same checkpoints as the store, each once, and a subscriber reads them
    on_bus = read_as_subscriber(settings)
    assert log.size == 24
    assert [note.open_note(n, log.verifier()).size for n in on_bus] == [10, 20, 24]
    assert on_bus == audit_log.checkpoints(read_db)
    assert audit_log.verify(read_db, store.recorder, log.verifier(), on_bus) == []
    # And a relay started again after them resumes and publishes every further event once, in order
    for i in range(2):
        store.centres.register_centre(name=f"Център {uuid.uuid4().hex[:6]}", city="Перник")
    again = Auditor(audit_log.AuditLog(read_db, store.recorder, "example.org/mrezha",
                                       audit_log.load_key(settings.data_dir)),
                    as_relay(settings), every=10, interval=0.1, poll=0.05)
    follow(again, lambda: again.published == 1 and len(published(settings)) == 28,
           Relay(store, as_relay(settings), poll_interval=0.1))
    assert audit_bus.stream_differences(list(range(1, 29)), published(settings)) == []
    # And the second follower published no checkpoint twice, only the new one
    assert [note.open_note(n, log.verifier()).size for n in read_as_subscriber(settings)] == [10, 20, 24, 28]


def test_verify_names_the_tail_cut_off_after_a_checkpoint_seen_on_the_bus(settings, store, read_db):
    from infra.bus import ensure_stream
    from tests.integration.test_audit_commands import mrezha

    async def streams() -> None:
        nc = await nats.connect(as_admin(settings.nats_url))
        await ensure_stream(nc.jetstream())
        await nc.close()

    # Given 12 events, checkpointed every 5, the checkpoints published on the bus
    run_apart(streams())
    for i in range(6):
        store.centres.register_centre(name=f"Център {uuid.uuid4().hex[:6]}", city="Перник")
    log = audit_log.AuditLog(read_db, store.recorder, audit_log.origin_of(settings), audit_log.load_key(settings.data_dir))
    auditor = Auditor(log, as_relay(settings), every=5, interval=0.1, poll=0.05)
    follow(auditor, lambda: auditor.published == 3)
    if read_db.dialect == "sqlite":
        read_db.close()  # the follower's connections (their threads are gone) let go of the file
    bus = {"MREZHA_NATS_URL": settings.nats_url}
    assert mrezha(settings, "audit", "verify", env=bus).returncode == 0
    # When the intruder cuts the last two events off the store, with their leaves and the store's checkpoint
    col = "rowid" if read_db.dialect == "sqlite" else "notification_id"
    with read_db.transaction() as tx:
        tx.execute(f"DELETE FROM {store.recorder.events_table_name} WHERE {col} > 10")
        tx.execute("DELETE FROM audit_leaves WHERE notification_id > 10")
        tx.execute("DELETE FROM audit_checkpoints WHERE tree_size > 10")
    # Then the store alone looks whole, but `mrezha audit verify` with the bus names the tail cut off
    assert mrezha(settings, "audit", "verify").returncode == 0
    done = mrezha(settings, "audit", "verify", env=bus)
    assert done.returncode == 1
    assert ("the tail was cut off after the checkpoint of 12 events seen on the bus: the tree and the store end "
            "at 10; the last 2 events after notification 10 are gone") in done.stderr, done.stderr


def published(settings) -> list[int]:
    async def read() -> list[int]:
        nc = await nats.connect(as_admin(settings.nats_url))
        try:
            return await audit_bus.published_ids(nc.jetstream())
        finally:
            await nc.close()

    return run_apart(read())


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
        "the tail was cut off after the checkpoint of 12 events seen on the bus: the tree and the store end at 11; "
        "the last 1 events after notification 11 are gone"]


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
