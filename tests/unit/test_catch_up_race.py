"""``infra.catch_up`` against ``mrezha rebuild`` coming between its read of the positions and its write: the
batch it read would start in the middle of an emptied read model, so it writes nothing and leaves the read
model to the projector."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

import infra.catch_up
from application.app import MrezhaApplication
from infra.catch_up import catch_up
from infra.rebuild import reset_projection
from infra.sql import SQLiteDatabase
from projections.base import ensure_tables, position
from projections.calendar import Calendar
from projections.catalog import all_projections

PROJECTIONS = all_projections()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[SQLiteDatabase]:
    database = SQLiteDatabase(tmp_path / "read-models.sqlite")
    for projection in PROJECTIONS:
        ensure_tables(database, projection)
    yield database
    database.close()


def test_a_read_model_rebuilt_after_its_position_was_read_is_left_to_the_projector(db, monkeypatch):
    # Given a member centre with an activity, caught up, and a second activity just planned
    store = MrezhaApplication()  # the store in memory: what matters here is the read models' file
    centre_id, _ = store.centres.register_centre(name="Младежки център Перник", city="Перник")
    store.centres.apply_for_membership(centre_id)
    store.centres.admit_centre(centre_id)
    _, first = store.activities.plan_activity(host_centre_id=centre_id, title="Обмен", kind="exchange",
                                              starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 2), city="Перник")
    assert catch_up(db, PROJECTIONS, store, first)
    _, second = store.activities.plan_activity(host_centre_id=centre_id, title="Конференция", kind="conference",
                                               starts_on=date(2027, 4, 1), ends_on=date(2027, 4, 2), city="Перник")
    read_positions = infra.catch_up.positions

    def read_then_rebuilt(database, names):
        at = read_positions(database, names)
        reset_projection(db, Calendar())  # `mrezha rebuild calendar`, between the read and the write
        return at

    monkeypatch.setattr(infra.catch_up, "positions", read_then_rebuilt)

    # When the second activity is caught up
    caught = catch_up(db, PROJECTIONS, store, second)

    # Then nothing was written: the calendar is not filled from the middle, the projector rebuilds it whole
    assert caught is False
    assert position(db, "calendar") == 0
    assert db.fetchall("SELECT id FROM calendar_activities") == []
