"""``?as_of=DAY`` pages on a 100,000-event store: the first one (its replay into scratch read models)
against the 5 s target, then the same pages with a day against the live pages, in the same run.

Seeds real histories through the application (centres; activities planned, joined and held), then
copies of the activities' histories under new ids, their recorded times spread over 2025, written
through the library's recorder in big batches; the live read models are projected straight from
the store. The real app is served with uvicorn; each round times the live pages and the same
pages (request by request in turns) with ``?as_of=DAY`` (the day of 2025 whose position lies farthest above a rung of the ladder,
the worst first page), five rounds, the median latency of each; the
ratio as_of / live is printed with its spread (target: about 1, "as fast as a live page").
"""

from __future__ import annotations

import logging
import re
import statistics
import tempfile
import time
import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import httpx
from eventsourcing.persistence import StoredEvent

from application.app import MrezhaApplication
from infra.as_of import day_end, position_at
from infra.settings import load_settings
from infra.sql import open_database
from infra.store import store_environment
from projections.catalog import all_projections
from tests.bench import sized
from tests.bench.bus import median_round, spread
from tests.bench.pages import Served, latencies
from tests.support.rebuild import rebuild_from_store

EVENTS = sized(100_000, 3_000)
ROUNDS = sized(5, 1)
FIRST_TARGET_SECONDS = 5.0
_STAMP = re.compile(rb'"timestamp":\{"_type_":"datetime_iso","_data_":"[^"]+"\}')


def seed(store: MrezhaApplication, events: int) -> list[str]:
    """Real histories, then copies of the activities' under new ids until ``events`` are stored;
    the copies' recorded times spread evenly over 2025. The activity pages to time."""
    store.clock = lambda: date(2026, 1, 1)
    centres = []
    for i in range(30):
        centre_id, _ = store.centres.register_centre(name=f"Младежки център {i}", city="Враца")
        store.centres.apply_for_membership(centre_id)
        store.centres.admit_centre(centre_id)
        centres.append(centre_id)
    planned = []
    for i in range(20):
        activity_id, _ = store.activities.plan_activity(
            host_centre_id=centres[i], title=f"Обмен на добри практики {i}", kind="exchange", city="Враца",
            starts_on=date(2026, 1, 2), ends_on=date(2026, 1, 3))
        for other in centres[i + 1:i + 4]:
            store.activities.join_activity(activity_id, other, 12)
        planned.append(activity_id)
    store.clock = lambda: date(2026, 1, 10)  # they were held: their outcomes
    for activity_id in planned:
        store.activities.record_outcome(activity_id, participants=40, young_people=30, fewer_opportunities=10,
                                         centres_attended=4)
    histories: dict[uuid.UUID, list[StoredEvent]] = defaultdict(list)
    for n in store.recorder.select_notifications(1, 10_000):
        if n.topic.startswith("domain.activity:"):
            histories[n.originator_id].append(n)
    templates = list(histories.values())
    start, year = datetime(2025, 1, 1, tzinfo=timezone.utc), timedelta(days=364)
    copied: list[str] = []
    while (last := store.last_notification_id()) < events:
        batch: list[StoredEvent] = []
        while len(batch) < 5_000 and last + len(batch) < events:
            new_id = uuid.uuid4()
            copied.append(str(new_id))
            for t in templates[len(copied) % len(templates)]:
                stamp = (start + year * (last + len(batch)) / events).isoformat().encode()
                state = _STAMP.sub(b'"timestamp":{"_type_":"datetime_iso","_data_":"' + stamp + b'"}', t.state, 1)
                batch.append(StoredEvent(originator_id=new_id, originator_version=t.originator_version,
                                         topic=t.topic, state=state))
        store.recorder.insert_events(batch)
    return [f"/activities/{a}" for a in copied[:: max(1, len(copied) // 30)]]


def with_day(path: str, day: date) -> str:
    return f"{path}{'&' if '?' in path else '?'}as_of={day.isoformat()}"


def first_page(base: str, path: str) -> tuple[float, int]:
    """Seconds until the page with the day answers 200 (following "preparing…"), and the 503s met."""
    started, preparing = time.perf_counter(), 0
    with httpx.Client(base_url=base, timeout=120) as client:
        while (response := client.get(path)).status_code == 503:
            preparing += 1
            time.sleep(0.2)
        assert response.status_code == 200, response.status_code
    return time.perf_counter() - started, preparing


def main(events: int = EVENTS) -> int:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        settings = load_settings({"MREZHA_DATA_DIR": str(directory / "data"), "MREZHA_DEMO": "off"})
        store = MrezhaApplication(env=store_environment(settings))
        db = open_database(settings)
        started = time.perf_counter()
        activities = seed(store, events)
        rebuild_from_store(store, db, all_projections(), batch_size=2000)
        print(f"bench: as_of: seeded and projected {store.last_notification_id():,} events in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
        from web.app import create_app

        pages = ["/calendar", "/calendar?when=past", *activities]
        pairs: list[tuple[float, float]] = []
        app = create_app(settings)
        with Served(app) as web:
            started = time.perf_counter()
            app.state.services.as_of.prepared.wait()
            print(f"bench: as_of: the ladder (a copy of the read models every {settings.as_of_rung_events:,} events, "
                  f"built once in the background at start) ready in {time.perf_counter() - started:.1f} s", flush=True)
            rung = settings.as_of_rung_events
            by_position = {position_at(store, day_end(d)): d for d in
                           (date(2025, 1, 1) + timedelta(days=n) for n in range(365))}
            worst_of_each = {}  # per interval between rungs, the day farthest above its rung
            for p in by_position:
                if p // rung not in worst_of_each or p % rung > worst_of_each[p // rung] % rung:
                    worst_of_each[p // rung] = p
            farthest = sorted(worst_of_each.values(), key=lambda p: p % rung, reverse=True)[:ROUNDS]
            firsts = []
            for position in farthest:
                seconds, preparing = first_page(web, with_day("/calendar", by_position[position]))
                firsts.append(seconds)
                print(f"bench: as_of: first page of {by_position[position].isoformat()} (position {position:,}: "
                      f"{position % rung:,} events replayed from the rung below) in {seconds:.2f} s "
                      f"({preparing} x preparing…)", flush=True)
            worst = max(firsts)
            verdict = "ok" if worst < FIRST_TARGET_SECONDS else "SLOWER THAN TARGET"
            print(f"bench: as_of: first pages, {len(firsts)} days: min {min(firsts):.2f} s, median "
                  f"{statistics.median(firsts):.2f} s, max {worst:.2f} s; target < {FIRST_TARGET_SECONDS:.0f} s: {verdict}",
                  flush=True)
            day = by_position[farthest[0]]
            with httpx.Client(base_url=web) as now, httpx.Client(base_url=web) as then:
                for _ in range(ROUNDS):  # request by request in turns: both meet the same load at the same moments
                    rounds = latencies({"live": (now, pages), "as_of": (then, [with_day(p, day) for p in pages])})
                    pairs.append((rounds["live"][0], rounds["as_of"][0]))
        live, past = median_round(pairs)
        print(f"bench: as_of: live pages median {live:.2f} ms, the same pages as of {day.isoformat()} {past:.2f} ms "
              f"(median round)")
        print(f"bench: as_of: page as of a day / live page: {spread(pairs)} (target about 1)")
        db.close()
        store.close()
    return 0 if worst < FIRST_TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
