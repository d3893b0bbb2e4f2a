"""What the fault tests check after the storm: the stream against the store, the read models
against ones rebuilt from the store alone; and the load they record meanwhile."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import psycopg

from domain.activity import FORMATS, KINDS
from contract.envelope import envelope
from tests.support.rebuild import rebuild_from_store, table_contents
from application.app import MrezhaApplication
from projections.base import position
from projections.catalog import all_projections
from projections.sql import Database
from tests.support.processes import Worker, eventually
from tests.support.stream import BUS_UNAVAILABLE, all_stream_messages, stream_length

# One round of the load: ten commands, eleven events.
ROUND = 10


class Gates:
    """Holds every load at a command number until the test opens that gate (a kill came)."""

    def __init__(self, closed: list[int]) -> None:
        self.count = 0
        self._closed = sorted(closed)
        self._condition = threading.Condition()

    def pass_one(self) -> None:
        with self._condition:
            while self._closed and self.count >= self._closed[0]:
                if not self._condition.wait(timeout=120):
                    raise TimeoutError(f"the gate at command {self._closed[0]} never opened")
            self.count += 1

    def open(self, gate: int) -> None:
        with self._condition:
            self._closed.remove(gate)
            self._condition.notify_all()


class Recording(threading.Thread):
    """Records commands beside the test; whatever stops it is raised again in the test by ``finish``."""

    def __init__(self, name: str) -> None:
        super().__init__(name=name, daemon=True)
        self.recorded = 0
        self.error: BaseException | None = None

    def record(self) -> None:
        raise NotImplementedError

    def run(self) -> None:
        try:
            self.record()
        except BaseException as error:  # kept for finish() to raise in the test, not lost with the thread
            self.error = error

    def finish(self, timeout: float) -> None:
        """Wait until the recording ends, and raise here what failed it, with its traceback."""
        self.join(timeout)
        assert not self.is_alive(), f"the {self.name} was still recording after {timeout:.0f}s"
        if self.error is not None:
            raise self.error


class Load(Recording):
    """Records ``commands`` commands straight through the store, in rounds of ten: a centre
    registers (two events), applies, is admitted, four activities are planned; a presentation,
    a centre joining, a rescheduling. Every command first passes the shared ``gates``."""

    def __init__(self, store: MrezhaApplication, commands: int, name: str = "load", gates: Gates | None = None) -> None:
        super().__init__(name)
        self.store, self.commands, self.gates = store, commands, gates or Gates([])

    def _command(self, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        self.gates.pass_one()
        result = call(*args, **kwargs)
        self.recorded += 1
        return result

    def record(self) -> None:
        store, centres, activities = self.store, [], []
        later = store.today() + timedelta(days=400)  # far enough ahead that centres may still join
        while self.recorded + ROUND <= self.commands:
            n = self.recorded
            centre_id, _ = self._command(store.centres.register_centre, name=f"Младежки център {self.name} №{n}",
                                         city="Добрич", region="Добрич")
            self._command(store.centres.apply_for_membership, centre_id)
            self._command(store.centres.admit_centre, centre_id)
            centres.append(centre_id)
            for k in range(4):
                host_id = centres[(n * 7 + k) % len(centres)]
                starts_on = later + timedelta(days=(n + k) % 365)
                activity_id, _ = self._command(
                    store.activities.plan_activity, host_centre_id=host_id, title=f"Дейност {self.name} {n + k}",
                    kind=KINDS[(n + k) % len(KINDS)], format=FORMATS[(n + k) % len(FORMATS)],
                    starts_on=starts_on, ends_on=starts_on + timedelta(days=k % 3), city="Перник",
                )
                activities.append((activity_id, host_id))
            self._command(store.activities.add_presentation, activities[(n * 3) % len(activities)][0],
                          "Тезджан Дурмуш", "Община Пловдив", f"Социални иновации {n}")
            activity_id, host_id = activities[-1]
            guests = [c for c in centres[-2:] if c != host_id]
            if guests:
                self._command(store.activities.join_activity, activity_id, guests[-1], 4)
            else:  # the first round has no other centre to join
                self._command(store.activities.add_presentation, activity_id, "Алекс Леви", "ЦСИ – Пловдив", "Хъб")
            starts_on = later + timedelta(days=200 + n % 150)
            self._command(store.activities.reschedule_activity, activities[-3][0], starts_on,
                          starts_on + timedelta(days=1), "Промяна в програмата")


def all_notifications(store: MrezhaApplication, batch: int = 2000) -> list[Any]:
    notifications: list[Any] = []
    while page := store.recorder.select_notifications(notifications[-1].id + 1 if notifications else 1, batch):
        notifications.extend(page)
    return notifications


def projected_up_to(db: Database) -> int:
    """The lowest tracking position over the read models (0 before the projector made its tables)."""
    try:
        return min(position(db, p.name) for p in all_projections())
    except (sqlite3.OperationalError, psycopg.errors.UndefinedTable):
        return 0


def published(nats_url: str) -> int:
    """Messages on the stream; -1 while the bus does not answer (down, or electing a leader)."""
    try:
        return stream_length(nats_url)
    except BUS_UNAVAILABLE:
        return -1


def caught_up(store: MrezhaApplication, db: Database, nats_url: str, timeout: float,
              workers: tuple[Worker, ...] = ()) -> float:
    """Wait until the stream holds every stored event and every read model is at the store's last one."""
    began = time.monotonic()
    stored = len(all_notifications(store))
    last = store.last_notification_id()
    try:
        eventually(lambda: published(nats_url) >= stored and projected_up_to(db) >= last, timeout, interval=0.25)
    except AssertionError:
        raise AssertionError(
            f"not caught up in {timeout:.0f}s: {stored} stored (last id {last}), {published(nats_url)} on "
            f"the stream, read models at {projected_up_to(db)}\n" + "\n".join(tail(w) for w in workers)
        ) from None
    return time.monotonic() - began


@dataclass
class StreamReport:
    stored: int
    published: int
    duplicates: int
    missing: int
    in_order: bool
    mismatched: list[tuple[int, str]] = field(default_factory=list)

    def line(self) -> str:
        return (f"stored {self.stored}, published {self.published}, duplicates {self.duplicates}, "
                f"missing {self.missing}")


def compare_stream_with_store(
    store: MrezhaApplication, nats_url: str, read: Callable[[str], list[Any]] = all_stream_messages, *, source: str
) -> StreamReport:
    """The internal stream, message by message, against the store: ids, order, and each message's exact
    content (``source``: the installation's ce-source, ``contract.headers.source_for(settings.site_url)``)."""
    stored = all_notifications(store)
    messages = read(nats_url)
    published = [int(m.headers["Nats-Msg-Id"]) for m in messages]
    stored_ids = [n.id for n in stored]
    report = StreamReport(
        stored=len(stored_ids),
        published=len(published),
        duplicates=sum(count - 1 for count in Counter(published).values()),
        missing=len(set(stored_ids) - set(published)),
        in_order=published == stored_ids,
    )
    for notification, message in zip(stored, messages):
        expected = envelope(notification.id, store.mapper.to_domain_event(notification), source)
        headers = {key: message.headers.get(key) for key in expected.headers}
        if (message.subject, headers, message.data) != (expected.subject, expected.headers, expected.body):
            report.mismatched.append((notification.id, message.subject))
    return report


def compare_read_models_with_rebuilt(store: MrezhaApplication, db: Database, fresh: Database) -> str:
    """'' when every read model equals the one rebuilt from the store alone, else what differs."""
    projections = all_projections()
    projected = table_contents(db, projections)
    rebuild_from_store(store, fresh, projections)
    rebuilt = table_contents(fresh, projections)
    return "" if projected == rebuilt else differences(projected, rebuilt)


def differences(projected: dict[str, list], rebuilt: dict[str, list]) -> str:
    """Per table, how many rows only one side has, and the first of them."""
    lines = []
    for table in sorted(set(projected) | set(rebuilt)):
        mine, theirs = projected.get(table, []), rebuilt.get(table, [])
        only_projected = [row for row in mine if row not in theirs]
        only_rebuilt = [row for row in theirs if row not in mine]
        if only_projected or only_rebuilt:
            lines.append(f"{table}: {len(only_projected)} rows only projected {only_projected[:2]}, "
                         f"{len(only_rebuilt)} only rebuilt {only_rebuilt[:2]}")
    return "read models differ from the rebuilt ones:\n" + "\n".join(lines)


def tail(worker: Worker, lines: int = 30) -> str:
    return f"--- {worker.name} log ---\n" + "\n".join(worker.log().splitlines()[-lines:])
