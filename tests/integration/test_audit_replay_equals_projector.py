"""The audit's replay takes short cuts the projector does not (an event no read model shows is not
decoded; each read model's writes are queued and a run of one statement goes as one executemany;
event after event rather than read model after read model): its read models must still be, row
for row, the ones the projector's own ``apply_batch`` builds from the same store."""

from __future__ import annotations

import gc

import pytest

from demo.seeds import load_demo_if_empty
from infra import audit_report
from infra.security import Security
from infra.sql import SQLiteDatabase
from projections.audit_year import YearRecord
from projections.catalog import all_projections
from tests.integration.test_projections_rebuild import a_year_of_the_network
from tests.support.rebuild import rebuild_from_store, table_contents


@pytest.mark.parametrize("processes", [1, 2], ids=["in-one-process", "on-two-processes"])
def test_the_replay_builds_what_the_projector_builds(store, read_db, tmp_path, monkeypatch, processes):
    # Given the demo network and a year of every kind of fact, changes and undoings included
    store.passwords = Security(read_db)
    store.passwords.create_tables()
    assert load_demo_if_empty(store) is not None
    a_year_of_the_network(store)
    last = store.last_notification_id()
    projections = [*all_projections(), YearRecord()]
    # When the audit replays it into scratch read models, in batches that end mid-history (a big
    # store's on two processes: the timeline and the year's record in a second one, taken over at the end)
    monkeypatch.setattr(audit_report, "BATCH", 7)
    replayed = SQLiteDatabase(tmp_path / "replayed.sqlite")
    parallel_from = 1 if processes == 2 else last + 1
    collecting = gc.get_threshold()
    assert audit_report.replay(store, replayed, projections, last, parallel_from=parallel_from) == last
    assert gc.get_threshold() == collecting  # collected rarely during the replay only
    assert not (tmp_path / "replayed-part.sqlite").exists()
    # And the projector's apply_batch builds the same read models, read model after read model
    projected = SQLiteDatabase(tmp_path / "projected.sqlite")
    rebuild_from_store(store, projected, projections, batch_size=7)
    # Then every table holds the same rows, and every read model stands at the same position
    ours, theirs = table_contents(replayed, projections), table_contents(projected, projections)
    assert {table: len(rows) for table, rows in ours.items()} == {table: len(rows) for table, rows in theirs.items()}
    for table in theirs:
        assert ours[table] == theirs[table], table
    assert all(any(ours[table] for table in p.tables) for p in projections)  # the scenario reached every one
    replayed.close()
    projected.close()
