"""Crash recovery: the relay and the projector are SIGKILLed mid-stream and restarted.

Commands are recorded straight through the store while each worker is killed
three times, each time only once it has made progress since its last start, so
every kill lands in the middle of real work. The two workers are killed on their
own schedules, at staggered moments. Afterwards the stream must hold every stored
event exactly once, in order, and the read models must equal the ones rebuilt
from the store alone.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from uuid import UUID

from contract.headers import source_for
from domain.activity import FORMATS, KINDS
from tests.support.rebuild import rebuild_from_store, table_contents
from application.app import MrezhaApplication
from projections.catalog import all_projections
from tests.support.delivery import (
    Recording,
    caught_up,
    compare_stream_with_store,
    differences,
    projected_up_to,
    tail,
)
from tests.support.processes import Worker, eventually
from tests.support.stream import stream_length, stream_messages

CENTRES = 300
ACTIVITIES = 1200
COMMANDS = CENTRES + ACTIVITIES
# The share of the commands recorded when each kill may come; the recorder waits
# for a kill before going GATE further, so every kill lands while it records.
KILLS = {"relay": (0.08, 0.36, 0.64), "projector": (0.22, 0.50, 0.78)}
GATE = 0.08
DOWN_SECONDS = 0.2


def gate_before(share: float) -> int:
    """The command the recorder may not record until the kill due at ``share`` has come."""
    return int((share + GATE) * COMMANDS)


class Recorder(Recording):
    """Records the commands one by one: a centre, then four activities hosted by earlier centres."""

    def __init__(self, store: MrezhaApplication, gates: dict[int, threading.Event]) -> None:
        super().__init__("recorder")
        self.store = store
        self.gates = gates

    def record(self) -> None:
        centres: list[UUID] = []
        for i in range(COMMANDS):
            if i in self.gates and not self.gates[i].wait(timeout=60):
                raise TimeoutError(f"no kill came before command {i}")
            if i % 5 == 0:
                centre_id, _ = self.store.centres.register_centre(
                    name=f"Младежки център №{len(centres) + 1}", city="Добрич", region="Добрич"
                )
                self.store.centres.apply_for_membership(centre_id)
                self.store.centres.admit_centre(centre_id)  # only members host
                centres.append(centre_id)
            else:
                starts_on = date(2026, 1, 1) + timedelta(days=i % 365)
                self.store.activities.plan_activity(
                    host_centre_id=centres[(i * 7) % len(centres)],
                    title=f"Дейност {i}",
                    kind=KINDS[i % len(KINDS)],
                    format=FORMATS[i % len(FORMATS)],
                    starts_on=starts_on,
                    ends_on=starts_on + timedelta(days=i % 3),
                    city="Перник",
                )
            self.recorded = i + 1


def kill_and_restart(
    worker: Worker,
    shares: tuple[float, ...],
    gates: dict[int, threading.Event],
    recorder: Recorder,
    progress: Callable[[], int],
    began: float,
) -> list[tuple[float, str]]:
    """SIGKILL the worker at each share of the recording, once it has worked since its start."""
    kills = []
    since_start = 0
    for share in shares:
        eventually(lambda: recorder.recorded >= share * COMMANDS or recorder.error, 60,
                   f"the recorder stalled before {share:.0%}")
        eventually(lambda: progress() > since_start, 30,
                   f"the {worker.name} made no progress since its start\n{tail(worker)}")
        time.sleep(random.uniform(0, 0.15))  # not always at the same point of a batch
        assert worker.process is not None and worker.process.poll() is None, (
            f"the {worker.name} died on its own\n{tail(worker)}"
        )
        worker.kill()
        kills.append((time.monotonic() - began, f"{worker.name} at command {recorder.recorded}"))
        gates[gate_before(share)].set()
        time.sleep(DOWN_SECONDS)
        since_start = progress()
        worker.start()
    return kills


def test_killing_the_relay_and_projector_mid_stream_loses_and_doubles_nothing(
    settings, store, read_db, fresh_database, relay, projector
):
    projections = all_projections()
    workers = {"relay": relay, "projector": projector}
    progress: dict[str, Callable[[], int]] = {
        "relay": lambda: stream_length(settings.nats_url),
        "projector": lambda: projected_up_to(read_db),
    }
    began = time.monotonic()

    # Given commands being recorded straight through the store, without a pause
    gates = {gate_before(share): threading.Event() for shares in KILLS.values() for share in shares}
    recorder = Recorder(store, gates)
    recorder.start()

    # When the relay and the projector are each SIGKILLed three times, on their own
    # schedules, once they have done work since their last start, and restarted
    with ThreadPoolExecutor(max_workers=len(KILLS)) as pool:
        schedules = [
            pool.submit(kill_and_restart, workers[name], shares, gates, recorder, progress[name], began)
            for name, shares in KILLS.items()
        ]
        kills = sorted(kill for schedule in schedules for kill in schedule.result())
    recorder.finish(timeout=60)
    recorded_in = time.monotonic() - began

    # Then the stream and every read model catch up with the store
    last = store.last_notification_id()
    caught_up_in = caught_up(store, read_db, settings.nats_url, 60, (relay, projector))

    # And the stream holds each stored event exactly once, in the store's order
    report = compare_stream_with_store(store, settings.nats_url, read=stream_messages,
                                       source=source_for(settings.site_url))
    killed = "; ".join(f"{what} ({when:.1f}s)" for when, what in kills)
    print(
        f"\n[{settings.database_url.split(':')[0]}] killed {killed}\n"
        f"{report.line()}; recorded in {recorded_in:.1f}s, caught up {caught_up_in:.1f}s later"
    )
    assert report.duplicates == 0
    assert report.missing == 0
    assert report.in_order

    # And each message is its stored event: subject, CloudEvents type, aggregate, body
    assert report.mismatched == []

    # And the read models equal the same read models rebuilt from the store alone
    projected = table_contents(read_db, projections)
    assert rebuild_from_store(store, fresh_database, projections) == last
    rebuilt = table_contents(fresh_database, projections)
    assert len(rebuilt["centres"]) == CENTRES
    assert len(rebuilt["calendar_activities"]) == ACTIVITIES
    assert projected == rebuilt, differences(projected, rebuilt)

    # And no worker failed in a way its log shows
    for worker in (relay, projector):
        assert "Traceback" not in worker.log(), tail(worker)
        assert worker.process is not None and worker.process.poll() is None, tail(worker)
