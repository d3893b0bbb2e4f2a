"""Delivery under faults: the relay, the projector and the nats-server SIGKILLed while 10,000
commands are recorded, each three times, each restarted.

Every kill lands in the middle of real work: it comes once the load has reached its
share of the commands and the victim has made progress since its last start, and the
load waits for it before going much further. Afterwards the stream must hold exactly
the stored events, in order, each message its stored event; and every read model
must equal the one rebuilt from the store alone.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from contract.headers import source_for
from infra.nats_server import NatsServer
from tests.support.delivery import (
    Gates,
    Load,
    caught_up,
    compare_read_models_with_rebuilt,
    compare_stream_with_store,
    projected_up_to,
    published,
    tail,
)
from tests.support.processes import Worker, eventually, kill_server

COMMANDS = 10_000
# The share of the commands recorded when each kill is due; the load waits at GATE
# further on until that kill has come, so every kill lands while it records.
KILLS = {
    "relay": (0.10, 0.40, 0.70),
    "projector": (0.20, 0.50, 0.80),
    "nats-server": (0.30, 0.60, 0.90),
}
GATE = 0.07
DOWN_SECONDS = {"relay": 0.2, "projector": 0.2, "nats-server": 1.0}
LOADS = {"sqlite": 1, "postgresql": 4}  # PostgreSQL takes commands in parallel; SQLite one writer at a time


def gate_before(share: float) -> int:
    return int((share + GATE) * COMMANDS)


@dataclass
class Victim:
    name: str
    kill: Callable[[], None]
    start: Callable[[], object]
    alive: Callable[[], bool]
    progress: Callable[[], int]


def kill_and_restart(victim: Victim, shares: tuple[float, ...], gates: Gates, loads: list[Load],
                     began: float) -> list[tuple[float, str]]:
    kills = []
    since = victim.progress()
    for share in shares:
        eventually(lambda: gates.count >= share * COMMANDS or any(load.error for load in loads), 240,
                   f"the load stalled before {share:.0%}", interval=0.1)
        eventually(lambda: victim.progress() > since, 90, f"the {victim.name} made no progress since its start",
                   interval=0.25)
        time.sleep(random.uniform(0, 0.15))  # not always at the same point of a batch
        assert victim.alive(), f"the {victim.name} died on its own"
        victim.kill()
        kills.append((time.monotonic() - began, f"{victim.name} at command {gates.count}"))
        gates.open(gate_before(share))
        time.sleep(DOWN_SECONDS[victim.name])
        victim.start()
        since = victim.progress()
    return kills


def test_killing_the_relay_the_projector_and_the_bus_during_10000_commands_loses_and_doubles_nothing(
    fast_postgres_commits, settings, store, read_db, fresh_database, nats_server: NatsServer, relay: Worker, projector: Worker, request
):
    engine = "postgresql" if settings.is_postgres else "sqlite"
    url = settings.nats_url
    victims = {
        "relay": Victim("relay", relay.kill, relay.start, lambda: relay.process.poll() is None,
                        lambda: published(url)),
        "projector": Victim("projector", projector.kill, projector.start,
                            lambda: projector.process.poll() is None, lambda: projected_up_to(read_db)),
        "nats-server": Victim("nats-server", lambda: kill_server(nats_server), nats_server.start,
                              lambda: nats_server.process.poll() is None, lambda: published(url)),
    }
    began = time.monotonic()

    # Given 10,000 commands being recorded straight through the store, without a pause
    gates = Gates([gate_before(share) for shares in KILLS.values() for share in shares])
    loads = [Load(store, COMMANDS // LOADS[engine], name=f"L{n}", gates=gates) for n in range(LOADS[engine])]
    for load in loads:
        load.start()

    # When the relay, the projector and the nats-server are each SIGKILLed three times,
    # on their own schedules, once they have worked since their last start, and restarted.
    # (The pool outlives the test: a nats-server dies with the thread that started it.)
    pool = ThreadPoolExecutor(max_workers=len(KILLS))
    request.addfinalizer(pool.shutdown)
    schedules = [pool.submit(kill_and_restart, victims[name], shares, gates, loads, began)
                 for name, shares in KILLS.items()]
    kills = sorted(kill for schedule in schedules for kill in schedule.result())
    for load in loads:
        load.finish(timeout=300)
    recorded_in = time.monotonic() - began
    assert sum(load.recorded for load in loads) == COMMANDS

    # Then the stream and every read model catch up with the store
    caught_up_in = caught_up(store, read_db, url, 180, (relay, projector))

    # And the stream holds each stored event exactly once, in the store's order, as it was stored
    checked = time.monotonic()
    report = compare_stream_with_store(store, url, source=source_for(settings.site_url))
    killed = "; ".join(f"{what} ({when:.1f}s)" for when, what in kills)
    print(f"\n[{engine}] {COMMANDS} commands; killed {killed}\n{report.line()}; "
          f"recorded in {recorded_in:.1f}s, caught up {caught_up_in:.1f}s later")
    assert report.stored > COMMANDS
    assert (report.duplicates, report.missing) == (0, 0)
    assert report.in_order
    assert report.published == report.stored
    assert report.mismatched == []

    # And the read models equal the same read models rebuilt from the store alone
    assert compare_read_models_with_rebuilt(store, read_db, fresh_database) == ""
    print(f"[{engine}] checked the stream and the read models in {time.monotonic() - checked:.1f}s")

    # And the workers are running, and never failed in a way their logs show
    for worker in (relay, projector):
        assert worker.process is not None and worker.process.poll() is None, tail(worker)
        assert "Traceback" not in worker.log(), tail(worker)


def test_the_load_really_waits_at_a_closed_gate(store):
    # The kills above rely on it: a load must not run past a gate nobody opened
    gates = Gates([25])
    load = Load(store, 100, gates=gates)
    load.start()
    eventually(lambda: gates.count == 25, 30)
    time.sleep(0.3)
    assert load.recorded == 25 and load.is_alive()
    gates.open(25)
    load.finish(timeout=30)
    assert load.recorded == 100
