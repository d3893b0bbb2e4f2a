"""The network as the record stood: the store replayed up to a position into scratch read models.

*Recorded time* is the time an event was stored (its ``timestamp``, stamped by the command that
stored it), not the day a thing happened: an outcome corrected in March for a January activity is
on the record from March. ``position_at(store, day)`` is the last notification id recorded by the
end of that day in Sofia; ``AsOfModels`` builds the read models at a position in a scratch SQLite
file (never the live read models), keeps them on disk, and forgets the least recently used when
they take more room than the setting allows. A model at a later position starts from a copy of the
nearest earlier one and replays only the rest.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from domain.network import SOFIA
from projections.base import Projection, apply_batch, ensure_tables
from projections.sql import Database
from infra.settings import Settings
from infra.sql import SQLiteDatabase

BATCH = 2000


def day_end(day: date) -> datetime:
    """The first moment after ``day`` in Sofia (the day's end, exclusive)."""
    return datetime.combine(day + timedelta(days=1), time(0), SOFIA)


def _first_at_or_after(store: Any, start: int) -> tuple[int, datetime] | None:
    found = store.recorder.select_notifications(start, 1)
    if not found:
        return None
    return found[0].id, store.mapper.to_domain_event(found[0]).timestamp


def position_at(store: Any, moment: datetime) -> int:
    """The last notification id recorded before ``moment`` (0 when none was): a binary search over
    the notification log by the events' timestamps, which grow with the ids (a command stamps its
    events a moment before it stores them; near the cut, two commands that overlapped may fall on
    either side of it). Ids may have gaps (PostgreSQL): each probe reads the first id at or after."""
    last = store.recorder.max_notification_id() or 0
    low, high = 1, last + 1  # the first id recorded at or after the moment lies in [low, high]
    while low < high:
        middle = (low + high) // 2
        probe = _first_at_or_after(store, middle)
        if probe is None or probe[1] >= moment:
            high = middle
        else:
            low = probe[0] + 1
    return _last_id_below(store, low)


def _last_id_below(store: Any, bound: int) -> int:
    """The last id stored below ``bound`` (0 when none): ids may have gaps, so it is looked for."""
    if bound <= 1:
        return 0
    low, high = 0, bound - 1  # the answer lies in [low, high]; 0 when nothing is below
    while low < high:
        middle = (low + high + 1) // 2
        probe = store.recorder.select_notifications(middle, 1, stop=bound - 1)
        if probe:
            low = probe[0].id
        else:
            high = middle - 1
    return low


def replay(store: Any, scratch: Database, projections: Sequence[Projection], after: int, upto: int,
           stopping: threading.Event | None = None) -> None:
    """The stored events after ``after`` up to notification id ``upto`` applied to the scratch models."""
    for projection in projections:
        ensure_tables(scratch, projection)
    last = after
    while last < upto and not (stopping and stopping.is_set()):
        notifications = store.recorder.select_notifications(last + 1, BATCH, stop=upto)
        if not notifications:
            break
        batch = [(n.id, store.mapper.to_domain_event(n)) for n in notifications]
        for projection in projections:
            apply_batch(scratch, projection, batch)
        last = notifications[-1].id


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class AsOfModels:
    """Scratch read models per position, built one at a time on a thread of their own, kept on disk
    under ``directory`` up to ``bound_bytes`` in all (least recently used forgotten first)."""

    def __init__(self, store: Any, projections: Sequence[Projection], directory: Path, bound_bytes: int) -> None:
        self.store = store
        self.projections = tuple(projections)
        self.directory = Path(directory)
        self.bound_bytes = bound_bytes
        self._ready: OrderedDict[int, SQLiteDatabase] = OrderedDict()
        self._building: dict[int, Future[SQLiteDatabase]] = {}
        self._days: dict[date, int] = {}
        self._open_days: dict[date, tuple[int, int]] = {}  # day -> (last id stored then, position)
        self._lock = threading.Lock()
        self._builder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="as-of")
        self._stopping = threading.Event()
        self.prepared = threading.Event()  # set when the ladder of ``prepare`` is built
        shutil.rmtree(self.directory, ignore_errors=True)  # models of an earlier run: their store may differ
        self.directory.mkdir(parents=True, exist_ok=True)

    def position(self, day: date, today: date) -> int:
        """The position of the record at the end of ``day``: remembered once the day is over; for a
        day not over yet, remembered as long as nothing new was stored (one cheap query to know)."""
        with self._lock:
            if day in self._days:
                return self._days[day]
        last = self.store.recorder.max_notification_id() or 0
        with self._lock:
            if self._open_days.get(day, (-1, 0))[0] == last:
                return self._open_days[day][1]
        found = position_at(self.store, day_end(day))
        with self._lock:
            if day < today:
                self._days[day] = found
            else:
                if len(self._open_days) > 1000:  # a crawler walking the calendar forward
                    self._open_days.clear()
                self._open_days[day] = (last, found)
        return found

    @classmethod
    def started(cls, store: Any, projections: Sequence[Projection], settings: Settings) -> AsOfModels:
        """The web's: in the data dir, bounded by the setting, its ladder being built (when asked for)."""
        root = settings.data_dir / "as_of"
        for left in (root.iterdir() if root.exists() else ()):  # those of web processes no longer running
            if not (left.name.isdigit() and _running(int(left.name))):
                shutil.rmtree(left, ignore_errors=True)
        # one directory per web process: several may share a data dir, each with its own cache
        models = cls(store, projections, root / str(os.getpid()), settings.as_of_cache_mb * 1024 * 1024)
        if settings.as_of_rung_events:
            models.prepare(settings.as_of_rung_events)
        return models

    def prepare(self, every: int) -> Future[None]:
        """In the background, once: the whole store replayed, a copy of the models kept every ``every``
        events (a rung), so that the first page of any day replays at most ``every`` events from the
        nearest rung below it rather than the whole store. Pages asked for meanwhile wait their turn."""
        return self._builder.submit(self._ladder, every)

    def _ladder(self, every: int) -> None:
        end = self.store.recorder.max_notification_id() or 0
        partial = self.directory / "ladder.partial.sqlite"
        partial.unlink(missing_ok=True)
        scratch = SQLiteDatabase(partial, checkpoint_pages=100_000)
        try:
            done = 0
            while done + every <= end and not self._stopping.is_set():
                replay(self.store, scratch, self.projections, done, done + every, self._stopping)
                done += every
                scratch.fetchall("PRAGMA wal_checkpoint(TRUNCATE)")
                shutil.copyfile(partial, self.directory / f"{done}.sqlite")
                with self._lock:
                    self._ready[done] = SQLiteDatabase(self.directory / f"{done}.sqlite")
                    self._evict()
        finally:
            scratch.close()
            partial.unlink(missing_ok=True)
        self.prepared.set()

    def ready(self, day: date) -> tuple[int, SQLiteDatabase] | None:
        """The position and models of a day that is over, when both are known and built already."""
        with self._lock:
            position = self._days.get(day)
            model = self._ready.get(position) if position is not None else None
            if position is None or model is None:
                return None
            self._ready.move_to_end(position)
            return position, model

    def model(self, position: int) -> Future[SQLiteDatabase]:
        """The read models at ``position``: ready at once when cached, else being built."""
        with self._lock:
            ready = self._ready.get(position)
            if ready is not None:
                self._ready.move_to_end(position)
                done: Future[SQLiteDatabase] = Future()
                done.set_result(ready)
                return done
            building = self._building.get(position)
            if building is None:
                building = self._builder.submit(self._build, position)
                self._building[position] = building
            return building

    def _build(self, position: int) -> SQLiteDatabase:
        try:
            final = self.directory / f"{position}.sqlite"
            partial = self.directory / f"{position}.partial.sqlite"
            with self._lock:
                earlier = max((p for p in self._ready if p <= position), default=0)
            partial.unlink(missing_ok=True)
            if earlier:
                shutil.copyfile(self.directory / f"{earlier}.sqlite", partial)
            scratch = SQLiteDatabase(partial, checkpoint_pages=100_000)
            try:
                replay(self.store, scratch, self.projections, earlier, position, self._stopping)
                scratch.fetchall("PRAGMA wal_checkpoint(TRUNCATE)")  # all in the file, to copy
            finally:
                scratch.close()
            partial.replace(final)  # built models never change: a copy of one is a good start for the next
            model = SQLiteDatabase(final)
            with self._lock:
                self._ready[position] = model
                self._evict()
            return model
        finally:
            with self._lock:
                self._building.pop(position, None)

    def _evict(self) -> None:
        """Forget the least recently used models until the rest fit the bound (the newest always stays)."""
        while len(self._ready) > 1 and self._size() > self.bound_bytes:
            position, _model = self._ready.popitem(last=False)
            for file in self.directory.glob(f"{position}.sqlite*"):
                file.unlink(missing_ok=True)

    def _size(self) -> int:
        return sum(f.stat().st_size for f in self.directory.iterdir() if f.is_file())

    def cached(self) -> list[int]:
        with self._lock:
            return list(self._ready)

    def close(self) -> None:
        self._stopping.set()
        self._builder.shutdown(wait=True, cancel_futures=True)
        with self._lock:
            for model in self._ready.values():
                model.close()
            self._ready.clear()
