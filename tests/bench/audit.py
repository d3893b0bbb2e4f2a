"""The verifiable log's speed against the store's own, measured in the same run.

Seeds the store fast by writing stored events through the library's recorder in big batches
(copies of real events with new aggregate ids), then, five rounds of pairs:
- verification (every leaf recomputed from the store, compared with the tree, checkpoints
  checked) against the library's raw read-and-decode of every notification (target >= 0.5x);
- appending to the tree (``AuditLog.extend``, a fresh tree table each round) against the
  store's peak write rate, commands through the application (target >= 1x: it keeps up);
- the year's replay into fresh scratch read models against the raw read-and-decode of the same
  events (target >= 0.5x);
then the whole year's report (replay of the whole store, report, reconciliation with live read
models built beforehand) in seconds, five rounds (target < 60 s).
"""

from __future__ import annotations

import statistics
import tempfile
import time
import uuid
from pathlib import Path

from eventsourcing.persistence import StoredEvent

from application.app import MrezhaApplication
from infra import audit_log
from infra.settings import load_settings
from infra.sql import SQLiteDatabase
from infra.store import store_environment
from tests.bench import sized
from tests.bench.bus import median_round, spread

ROUNDS = sized(5, 1)
SEED_BATCH = 20_000


def seed(store: MrezhaApplication, events: int) -> None:
    """Real events first, then copies of them under new aggregate ids, in big batches."""
    for i in range(20):
        centre_id, _ = store.centres.register_centre(name=f"Младежки център {i}", city="Враца")
        store.centres.apply_for_membership(centre_id)
        store.centres.admit_centre(centre_id)
    templates = store.recorder.select_notifications(1, 100)
    while (last := store.last_notification_id()) < events:
        batch = [
            StoredEvent(originator_id=uuid.uuid4(), originator_version=t.originator_version, topic=t.topic, state=t.state)
            for t in (templates[(last + k) % len(templates)] for k in range(min(SEED_BATCH, events - last)))
        ]
        store.recorder.insert_events(batch)


def read_and_decode(store: MrezhaApplication) -> float:
    started, count, start = time.perf_counter(), 0, 1
    while batch := store.recorder.select_notifications(start, audit_log.BATCH):
        for n in batch:
            store.mapper.to_domain_event(n)
        count += len(batch)
        start = batch[-1].id + 1
    return count / (time.perf_counter() - started)


def write_rate(store: MrezhaApplication, seconds: float = 2.0) -> float:
    started, count = time.perf_counter(), 0
    while time.perf_counter() - started < seconds:
        store.centres.register_centre(name=f"Център {uuid.uuid4().hex}", city="Добрич")
        count += 2  # the centre and the claim on its name
    return count / (time.perf_counter() - started)


def main(events: int = 1_000_000) -> int:
    verifying: list[tuple[float, float]] = []
    appending: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        settings = load_settings({"MREZHA_DATA_DIR": str(directory / "data")})
        store = MrezhaApplication(env=store_environment(settings))
        started = time.perf_counter()
        seed(store, events)
        print(f"bench: seeded {events:,} events in {time.perf_counter() - started:.1f}s", flush=True)
        key = audit_log.load_key(settings.data_dir)
        tree_db = SQLiteDatabase(directory / "tree.sqlite")
        log = audit_log.AuditLog(tree_db, store.recorder, "bench/mrezha", key)
        log.catch_up(every=10_000)
        size = log.size
        for round_ in range(ROUNDS):
            raw = read_and_decode(store)
            started = time.perf_counter()
            problems = audit_log.verify(tree_db, store.recorder, log.verifier())
            assert problems == [], problems
            verifying.append((raw, size / (time.perf_counter() - started)))
            peak = write_rate(store)
            fresh_db = SQLiteDatabase(directory / f"tree-{round_}.sqlite")
            fresh = audit_log.AuditLog(fresh_db, store.recorder, "bench/mrezha", key)
            started = time.perf_counter()
            while fresh.extend(audit_log.BATCH):
                pass
            appending.append((peak, fresh.size / (time.perf_counter() - started)))
            fresh_db.close()
        from infra.audit_report import replay, run_year
        from tests.support.rebuild import rebuild_from_store
        from projections.audit_year import YearRecord
        from projections.catalog import all_projections

        log.catch_up(every=10_000)  # the centres the write-rate rounds stored, signed too
        size = log.size
        replaying: list[tuple[float, float]] = []
        for round_ in range(ROUNDS):
            raw = read_and_decode(store)
            scratch = SQLiteDatabase(directory / f"replay-{round_}.sqlite")
            started = time.perf_counter()
            replay(store, scratch, [*all_projections(), YearRecord()], size)
            replaying.append((raw, size / (time.perf_counter() - started)))
            scratch.close()
            (directory / f"replay-{round_}.sqlite").unlink()
        started = time.perf_counter()  # the live read models, as the projector keeps them: built once, not timed
        rebuild_from_store(store, tree_db, all_projections())
        print(f"bench: live read models built in {time.perf_counter() - started:.1f}s (not timed)", flush=True)
        reports: list[float] = []
        for round_ in range(ROUNDS):
            scratch = SQLiteDatabase(directory / f"scratch-{round_}.sqlite")
            started = time.perf_counter()
            digest, differences = run_year(store, tree_db, scratch, log.verifier(), all_projections(), 2026,
                                           directory / "report")
            reports.append(time.perf_counter() - started)
            assert differences == [], differences[:5]
            scratch.close()
            (directory / f"scratch-{round_}.sqlite").unlink()
        tree_db.close()
        store.close()
    ordered = sorted(reports)
    print(f"bench: the year's report of {size:,} events (replay into scratch read models, report, reconciliation "
          f"with the live ones) median {statistics.median(reports):.1f}s (target < 60 s; {len(reports)} rounds: "
          f"min {ordered[0]:.1f}, max {ordered[-1]:.1f}; rounds {', '.join(f'{r:.1f}' for r in reports)})")
    raw, rate = median_round(replaying)
    print(f"bench: raw read-and-decode {raw:,.0f} events/s; year replay {rate:,.0f} events/s "
          f"= {rate / raw:.2f}x raw (target >= 0.5; {spread(replaying)})")
    raw, verify = median_round(verifying)
    peak, append = median_round(appending)
    print(f"bench: raw read-and-decode {raw:,.0f} events/s; audit verify {verify:,.0f} events/s "
          f"= {verify / raw:.2f}x raw (target >= 0.5; {spread(verifying)})")
    print(f"bench: store peak write {peak:,.0f} events/s; tree append {append:,.0f} events/s "
          f"= {append / peak:.2f}x the store (target >= 1; {spread(appending)})")
    return 0
