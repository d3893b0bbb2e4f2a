"""The scratch read models behind ``?as_of=``: the position of a day, models built from a rung of the
ladder equal to models replayed from the first event, the bound on their size, and "preparing…"
while a day is replayed."""

from __future__ import annotations

import dataclasses
import itertools
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import eventsourcing.domain
import pytest

from application.app import MrezhaApplication
from infra.as_of import AsOfModels, day_end, position_at
from projections.catalog import all_projections
from tests.support.commands import sqlite_application
from tests.support.processes import eventually

DAYS = [date(2026, 3, 1) + timedelta(days=n) for n in range(4)]


@contextmanager
def recorded_on(day: date) -> Iterator[None]:
    """Events stamped as if stored at noon on ``day`` (the library's clock), a microsecond apart."""
    ticks = itertools.count()
    noon = datetime.combine(day, time(10, 0), timezone.utc)
    original = eventsourcing.domain.datetime_now_with_tzinfo
    eventsourcing.domain.datetime_now_with_tzinfo = lambda: noon + timedelta(microseconds=next(ticks))
    try:
        yield
    finally:
        eventsourcing.domain.datetime_now_with_tzinfo = original


@pytest.fixture
def store(tmp_path: Path) -> Iterator[MrezhaApplication]:
    """Three centres registered on each of four days (two events each: the centre, the claim on its name)."""
    app = sqlite_application(tmp_path / "store.sqlite", DAYS[-1])
    for day in DAYS:
        with recorded_on(day):
            for n in range(3):
                app.centres.register_centre(name=f"Център {day.isoformat()} {n}", city="Враца")
    yield app
    app.close()


def rows(models: AsOfModels, position: int) -> str:
    db = models.model(position).result(timeout=30)
    return json.dumps(db.fetchall("SELECT id, name FROM centres ORDER BY name"), ensure_ascii=False)


def test_the_position_of_a_day_is_the_last_event_recorded_by_its_end_in_sofia(store: MrezhaApplication):
    assert position_at(store, day_end(DAYS[0] - timedelta(days=1))) == 0
    assert [position_at(store, day_end(day)) for day in DAYS] == [6, 12, 18, 24]
    # Sofia is two hours ahead of UTC in March: 21:59 UTC is still the same day there, 22:00 the next
    assert day_end(DAYS[0]) == datetime.combine(DAYS[0], time(22, 0), timezone.utc)


def test_a_model_built_from_a_rung_equals_one_replayed_from_the_first_event(store: MrezhaApplication, tmp_path: Path):
    laddered = AsOfModels(store, all_projections(), tmp_path / "laddered", 10**9)
    laddered.prepare(every=5).result(timeout=60)
    assert laddered.cached() == [5, 10, 15, 20]
    plain = AsOfModels(store, all_projections(), tmp_path / "plain", 10**9)
    try:
        assert rows(laddered, 17) == rows(plain, 17)
        assert json.loads(rows(plain, 17)) and len(json.loads(rows(plain, 17))) == 9  # ids 1-17: nine centres (odd ids) and eight claims
    finally:
        laddered.close()
        plain.close()


def test_the_models_kept_stay_within_the_bound_the_least_recently_used_forgotten_first(store: MrezhaApplication,
                                                                                          tmp_path: Path):
    probe = AsOfModels(store, all_projections(), tmp_path / "probe", 10**9)
    probe.model(6).result(timeout=30)
    one = sum(f.stat().st_size for f in (tmp_path / "probe").iterdir())
    probe.close()
    models = AsOfModels(store, all_projections(), tmp_path / "bounded", int(one * 2.5))
    try:
        for position in (6, 12, 18):
            models.model(position).result(timeout=30)
        models.model(6)  # used again: now the most recent
        models.model(24).result(timeout=30)
        assert models.cached() == [6, 24]
        assert sorted(f.name for f in (tmp_path / "bounded").iterdir()) == ["24.sqlite", "6.sqlite"]
    finally:
        models.close()
