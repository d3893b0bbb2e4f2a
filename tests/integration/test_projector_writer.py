"""The projector's writer process: killed on its own, it is started again and nothing is lost.

The projector fetches from JetStream and its writer process (a ``ProcessPoolExecutor``
of one) writes the read models; a batch is acknowledged only once the writer has
written it. Here the writer is SIGKILLed mid-stream, twice, while the projector itself
lives on.
"""

from __future__ import annotations

import os
import signal
from datetime import date, timedelta
from pathlib import Path

from application.app import MrezhaApplication
from tests.support.rebuild import rebuild_from_store, table_contents
from projections.base import position
from projections.catalog import all_projections
from tests.support.delivery import projected_up_to
from tests.support.processes import eventually

CENTRES = 40
ACTIVITIES_PER_CENTRE = 10


def writer_pid(projector_pid: int) -> int | None:
    """The projector's writer process, from /proc: the child multiprocessing spawned to run
    the pool's worker (beside it may run multiprocessing's resource tracker); None while
    there is none."""
    children = Path(f"/proc/{projector_pid}/task/{projector_pid}/children").read_text().split()
    for child in children:
        command = Path(f"/proc/{child}/cmdline").read_bytes() if Path(f"/proc/{child}").exists() else b""
        if b"spawn_main" in command:
            return int(child)
    return None


def record(store: MrezhaApplication, first: int, count: int) -> None:
    for n in range(first, first + count):
        centre_id, _ = store.centres.register_centre(name=f"Младежки център {n}", city="Враца")
        store.centres.apply_for_membership(centre_id)
        store.centres.admit_centre(centre_id)
        for a in range(ACTIVITIES_PER_CENTRE):
            start = date(2027, 3, 1) + timedelta(days=a)
            store.activities.plan_activity(host_centre_id=centre_id, title=f"Обмен {n}.{a}", kind="exchange",
                                starts_on=start, ends_on=start, city="Враца")


def test_a_killed_writer_is_started_again_and_the_read_models_lose_and_double_nothing(
    settings, store, read_db, fresh_database, relay, projector
):
    projections = all_projections()
    assert projector.process is not None
    killed = []

    # Given a projector whose writer has made the read models' tables and works
    eventually(lambda: writer_pid(projector.process.pid) is not None, 30, "the projector started no writer")
    record(store, 0, CENTRES // 2)
    eventually(lambda: projected_up_to(read_db) > 0, 30, "nothing was projected")

    # When its writer is SIGKILLed twice while commands keep coming
    for round_ in range(2):
        pid = writer_pid(projector.process.pid)
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        killed.append(pid)
        record(store, CENTRES // 2 + round_ * CENTRES // 4, CENTRES // 4)
        eventually(lambda: writer_pid(projector.process.pid) not in (None, *killed), 30,
                   f"no new writer after the kill\n{projector.log()[-3000:]}")

    # Then the projector itself lives on, and every read model reaches the last event
    last = store.last_notification_id()
    eventually(lambda: all(position(read_db, p.name) == last for p in projections), 60,
               f"not caught up to {last}\n{projector.log()[-3000:]}")
    assert projector.process.poll() is None
    assert "the writer process stopped; starting a new one" in projector.log()

    # And the read models equal the ones rebuilt from the store alone
    assert rebuild_from_store(store, fresh_database, projections) == last
    assert table_contents(read_db, projections) == table_contents(fresh_database, projections)
    assert len(table_contents(read_db, projections)["calendar_activities"]) == CENTRES * ACTIVITIES_PER_CENTRE


BACKLOG_CENTRES = 60  # 780 events: the writer takes a while over them


def test_a_writer_killed_with_a_batch_in_flight_loses_and_doubles_nothing(
    settings, store, read_db, fresh_database, relay, projector
):
    from tests.support.stream import stream_length

    projections = all_projections()
    assert projector.process is not None
    eventually(lambda: writer_pid(projector.process.pid) is not None, 30, "the projector started no writer")

    # Given a backlog: commands stored while the relay was away, published at once when it comes back.
    # When the writer is SIGKILLed once the whole backlog is on the stream and before the read models have it:
    # the projector has fetched it, or is fetching it, and the writer is writing a batch of it. On a busy
    # machine the writer may have it all before the kill: then another backlog is tried, up to five.
    behind, attempts = 0, 0
    while behind == 0 and attempts < 5:
        relay.stop()
        record(store, attempts * BACKLOG_CENTRES, BACKLOG_CENTRES)
        attempts += 1
        last, stored = store.last_notification_id(), len(store.recorder.select_notifications(1, 1_000_000))
        relay.start()
        eventually(lambda: stream_length(settings.nats_url) >= stored, 30, "the relay never published the backlog")
        behind = last - projected_up_to(read_db)
        pid = writer_pid(projector.process.pid)
        assert pid is not None
        if behind > 0:
            os.kill(pid, signal.SIGKILL)
        else:
            eventually(lambda: all(position(read_db, p.name) == last for p in projections), 60, "not caught up")
    assert behind > 0, "the read models had caught up before the kill five times: no batch was in flight"

    # Then a new writer takes over, and every read model reaches the last event
    eventually(lambda: writer_pid(projector.process.pid) not in (None, pid), 30,
               f"no new writer after the kill\n{projector.log()[-3000:]}")
    eventually(lambda: all(position(read_db, p.name) == last for p in projections), 60,
               f"not caught up to {last}\n{projector.log()[-3000:]}")
    assert projector.process.poll() is None
    assert "the writer process stopped; starting a new one" in projector.log()
    # And the read models equal the ones rebuilt from the store alone: nothing lost, nothing twice
    assert rebuild_from_store(store, fresh_database, projections) == last
    assert table_contents(read_db, projections) == table_contents(fresh_database, projections)
    assert len(table_contents(read_db, projections)["calendar_activities"]) == (
        attempts * BACKLOG_CENTRES * ACTIVITIES_PER_CENTRE
    )
