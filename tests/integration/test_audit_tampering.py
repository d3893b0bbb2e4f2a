"""The verifiable log catches every change to the stored events and names the first one,
on SQLite and PostgreSQL: one byte altered, one event removed, one inserted, two swapped, the
tail cut off after a checkpoint. The tampering is done the way an intruder would: raw SQL on
the store's own table, behind the application's back."""

from __future__ import annotations

import uuid

import pytest

from audit import merkle, note
from infra import audit_log


@pytest.fixture
def log(settings, store, read_db):
    # Given a store of 40 events, all in the tree, checkpointed every 10
    for i in range(20):
        store.centres.register_centre(name=f"Младежки център {i} {uuid.uuid4().hex[:6]}", city="Добрич")
    log = audit_log.AuditLog(read_db, store.recorder, "example.org/mrezha", audit_log.load_key(settings.data_dir))
    log.catch_up(every=10)
    assert log.size == store.last_notification_id() == 40
    return log


def ids(db) -> str:
    return "rowid" if db.dialect == "sqlite" else "notification_id"


def state_of(db, nid, events):
    return bytes(db.fetchone(f"SELECT state FROM {events} WHERE {ids(db)} = ?", (nid,))["state"])


def problems(log, store, db):
    return audit_log.verify(db, store.recorder, log.verifier())


def test_an_untouched_store_verifies(log, store, read_db):
    events = store.recorder.events_table_name  # eventsourcing's name for the events table on this database
    assert problems(log, store, read_db) == []


def test_one_altered_byte_is_named(log, store, read_db):
    events = store.recorder.events_table_name  # eventsourcing's name for the events table on this database
    state = bytearray(state_of(read_db, 17, events))
    state[5] ^= 0x01
    with read_db.transaction() as tx:
        tx.execute(f"UPDATE {events} SET state = ? WHERE {ids(read_db)} = ?", (bytes(state), 17))
    assert problems(log, store, read_db)[0] == "event 17 was altered"


def test_a_removed_event_is_named(log, store, read_db):
    events = store.recorder.events_table_name  # eventsourcing's name for the events table on this database
    with read_db.transaction() as tx:
        tx.execute(f"DELETE FROM {events} WHERE {ids(read_db)} = ?", (23,))
    assert problems(log, store, read_db)[0] == "event 23 was removed"


def test_an_inserted_event_is_named(log, store, read_db):
    events = store.recorder.events_table_name  # eventsourcing's name for the events table on this database
    # The intruder makes room at 12 by renumbering what follows, and copies an event there
    col = ids(read_db)
    forged = state_of(read_db, 3, events)
    with read_db.transaction() as tx:
        tx.execute(f"UPDATE {events} SET {col} = {col} + 1000000 WHERE {col} >= 12")
        tx.execute(f"UPDATE {events} SET {col} = {col} - 999999 WHERE {col} > 1000000")
        tx.execute(f"INSERT INTO {events} (originator_id, originator_version, topic, state, {col}) "
                   f"SELECT ?, 1, topic, ?, 12 FROM {events} WHERE " + col + " = 3",
                   (str(uuid.uuid4()), forged))
    assert problems(log, store, read_db)[0] == "an event was inserted before notification 12 (stored as 12)"


def test_two_swapped_events_are_named(log, store, read_db):
    events = store.recorder.events_table_name  # eventsourcing's name for the events table on this database
    col = ids(read_db)
    with read_db.transaction() as tx:
        tx.execute(f"UPDATE {events} SET {col} = 1000000 WHERE {col} = 30")
        tx.execute(f"UPDATE {events} SET {col} = 30 WHERE {col} = 31")
        tx.execute(f"UPDATE {events} SET {col} = 31 WHERE {col} = 1000000")
    assert problems(log, store, read_db)[0] == "events 30 and 31 were swapped (reordered)"


def test_the_last_ten_deleted_after_a_checkpoint_are_named(log, store, read_db):
    events = store.recorder.events_table_name  # eventsourcing's name for the events table on this database
    with read_db.transaction() as tx:
        tx.execute(f"DELETE FROM {events} WHERE {ids(read_db)} > 30")
    assert problems(log, store, read_db)[0] == (
        "the tail was cut off after a checkpoint: events from notification 31 on (10 events) are missing from the store")


def test_a_rewritten_tree_table_breaks_a_signed_checkpoint(log, store, read_db):
    events = store.recorder.events_table_name  # eventsourcing's name for the events table on this database
    # The intruder alters an event and its leaf hash too: the signed checkpoints still catch it
    state = bytearray(state_of(read_db, 17, events))
    state[5] ^= 0x01
    (n,) = store.recorder.select_notifications(17, 1)
    with read_db.transaction() as tx:
        tx.execute(f"UPDATE {events} SET state = ? WHERE {ids(read_db)} = ?", (bytes(state), 17))
    (forged,) = store.recorder.select_notifications(17, 1)
    with read_db.transaction() as tx:
        tx.execute("UPDATE audit_leaves SET leaf_hash = ? WHERE notification_id = 17",
                   (merkle.leaf_hash(audit_log.event_leaf(forged)).hex(),))
    assert problems(log, store, read_db) == [
        "the tree table was rewritten between leaves 10 and 20 (notifications 11..20; checkpoint in the store)"]


def test_an_inclusion_proof_verifies_against_the_signed_checkpoint(log, store, read_db):
    events = store.recorder.events_table_name  # eventsourcing's name for the events table on this database
    import base64

    proof = audit_log.inclusion_proof(read_db, store.recorder, log.verifier(), 17)
    checkpoint = note.open_note(proof["checkpoint"], log.verifier())
    leaf = merkle.leaf_hash(base64.b64decode(proof["leaf"]))
    assert leaf.hex() == proof["leaf_hash"]
    path = [bytes.fromhex(h) for h in proof["audit_path"]]
    assert merkle.verify_inclusion(proof["leaf_index"], proof["tree_size"], leaf, path, checkpoint.root)
