"""Relay and projector throughput against raw JetStream publish and fetch, in the same run.

One embedded nats-server (file storage, ``sync_interval: always``, as ``make run``
starts it) and one SQLite file. The store is seeded with real commands; then:

- raw publish: the same messages (subjects, CloudEvents headers, bodies) published
  with ``publish_async`` to a stream configured like ``MREZHA``, 500 in flight;
- relay: ``workers.relay.Relay`` publishes the store onto the empty ``MREZHA``;
- raw fetch: one pull consumer fetches the stream in batches of 500 and acks each message;
- projector: ``workers.projector.Projector`` (this process fetches, its writer process
  decodes and writes) projects the stream into fresh read models, every read model in
  the catalog; counted in events per second. Its writer process is started before the
  clock, as the raw consumer connects before its clock; each clock stops the moment the
  last event is on the stream or in every read model, not when the worker has shut down.

Each worker and its baseline are measured in pairs, five rounds, and the ratio's
minimum, median and maximum are printed with every round's. Targets: the relay at
least half the raw publish rate, the projector at least half the raw fetch rate.
"""

from __future__ import annotations

import asyncio
import logging
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date, timedelta
from uuid import UUID
from pathlib import Path

import nats
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from domain.activity import KINDS
from infra.bus import stream_config
from contract.envelope import INTERNAL_PREFIX, INTERNAL_STREAM, STREAM, Envelope, envelope
from infra.nats_server import NatsServer, free_port
from infra.settings import load_settings
from tests.bench import sized
from infra.sql import SQLiteDatabase
from application.app import MrezhaApplication
from infra.store import store_environment
from projections.base import ensure_tables, position
from projections.catalog import all_projections
from workers.projector import Projector
from workers.relay import Relay

EVENTS = sized(20_000, 300)
CITIES = ("Стара Загора", "Враца", "Добрич", "Перник", "Пловдив")


def seed(store: MrezhaApplication, events: int) -> None:
    rng = random.Random(11)
    centres: list[UUID] = []
    while store.last_notification_id() < events:
        if len(centres) < 200:
            centre_id, _ = store.centres.register_centre(name=f"Младежки център {len(centres)}", city=rng.choice(CITIES))
            store.centres.apply_for_membership(centre_id)
            store.centres.admit_centre(centre_id)
            centres.append(centre_id)
            continue
        start = date(2027, 1, 1) + timedelta(days=rng.randrange(365))
        store.activities.plan_activity(host_centre_id=rng.choice(centres), title=f"Обмен на добри практики {rng.random():.6f}",
                            kind=rng.choice(KINDS), starts_on=start, ends_on=start, city=rng.choice(CITIES))


async def raw_publish(url: str, messages: list[Envelope]) -> float:
    nc = await nats.connect(url)
    js = nc.jetstream(timeout=10)
    config = replace(stream_config(), name="RAW", subjects=["raw.>"])
    await js.add_stream(config)
    started = time.perf_counter()
    for start in range(0, len(messages), 500):
        acks = [await js.publish_async("raw." + m.subject.removeprefix("internal.mrezha."), m.body, headers=dict(m.headers))
                for m in messages[start:start + 500]]
        for ack in acks:
            await ack
    elapsed = time.perf_counter() - started
    await js.delete_stream("RAW")
    await nc.close()
    return len(messages) / elapsed


async def raw_fetch(url: str, count: int) -> float:
    nc = await nats.connect(url)
    js = nc.jetstream(timeout=10)
    config = ConsumerConfig(durable_name="raw-fetch", deliver_policy=DeliverPolicy.ALL,
                            ack_policy=AckPolicy.EXPLICIT, max_ack_pending=20_000)
    subscription = await js.pull_subscribe(f"{INTERNAL_PREFIX}.>", durable="raw-fetch", stream=INTERNAL_STREAM,
                                           config=config)
    started = time.perf_counter()
    received = 0
    while received < count:
        messages = await subscription.fetch(500, timeout=5)
        for message in messages:
            await message.ack()
        received += len(messages)
    elapsed = time.perf_counter() - started
    await js.delete_consumer(INTERNAL_STREAM, "raw-fetch")
    await nc.close()
    return count / elapsed


async def until(condition: Callable[[], Awaitable[bool]], stop: asyncio.Event) -> float:
    """Poll every 10 ms; when the condition holds, ask the worker to stop and return the moment
    it held (the worker's own shutdown afterwards is not part of its throughput)."""
    while not await condition():
        await asyncio.sleep(0.01)
    stop.set()
    return time.perf_counter()


async def relay_rate(store: MrezhaApplication, url: str, count: int) -> float:
    nc = await nats.connect(url)
    js = nc.jetstream()

    async def published() -> bool:
        try:
            return (await js.stream_info(INTERNAL_STREAM)).state.messages >= count  # every event, once
        except NotFoundError:  # the relay has not made the stream yet
            return False

    stop = asyncio.Event()
    started = time.perf_counter()
    _, finished = await asyncio.gather(Relay(store, url).run(stop), until(published, stop))
    elapsed = finished - started
    await nc.close()
    return count / elapsed


async def projector_rate(db: SQLiteDatabase, url: str, last: int) -> float:
    """The projector and its writer process, from start to the last event written."""
    projections = all_projections()

    async def projected() -> bool:
        return all(position(db, p.name) >= last for p in projections)

    for projection in projections:  # the tables, and this thread's connection, before the clock starts
        ensure_tables(db, projection)
    projector = Projector(f"sqlite:///{db.path}", projections, url)
    await projector.writer.start()  # its process, like the raw consumer's connection, before the clock starts
    stop = asyncio.Event()
    started = time.perf_counter()
    _, finished = await asyncio.gather(projector.run(stop), until(projected, stop))
    return last / (finished - started)


ROUNDS = sized(5, 1)


def main() -> int:
    """Each worker and its baseline are measured side by side, round after round, so a change
    in the machine's load between two measurements moves a pair, not one side of the ratio;
    the figures printed are the median round's, with the ratio's spread over the rounds."""
    logging.getLogger("nats").setLevel(logging.CRITICAL)
    publishing: list[tuple[float, float]] = []
    projecting: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        server = NatsServer(directory / "nats", free_port()).start()
        try:
            settings = load_settings({"MREZHA_DATA_DIR": str(directory / "data")})
            store = MrezhaApplication(env=store_environment(settings))
            print(f"bench: seeding {EVENTS:,} events …", flush=True)
            seed(store, EVENTS)
            notifications = store.recorder.select_notifications(1, EVENTS * 2)
            count = len(notifications)
            messages = [envelope(n.id, store.mapper.to_domain_event(n)) for n in notifications]
            for round_ in range(ROUNDS):
                if round_:
                    asyncio.run(delete_stream(server.url))  # the relay starts again from an empty stream
                publishing.append(
                    (asyncio.run(raw_publish(server.url, messages)), asyncio.run(relay_rate(store, server.url, count)))
                )
            for round_ in range(ROUNDS):
                db = SQLiteDatabase(directory / f"read-models-{round_}.sqlite")
                projecting.append(
                    (asyncio.run(raw_fetch(server.url, count)),
                     asyncio.run(projector_rate(db, server.url, notifications[-1].id)))
                )
                db.close()
            store.close()
        finally:
            server.stop()
    publish, relay = median_round(publishing)
    fetch, projector = median_round(projecting)
    names = ", ".join(p.name for p in all_projections())
    print(f"bench: raw JetStream publish {publish:,.0f} msg/s; relay {relay:,.0f} events/s "
          f"= {relay / publish:.2f}x raw (target >= 0.5; {spread(publishing)})")
    models = len(all_projections())
    print(f"bench: raw JetStream fetch+ack {fetch:,.0f} msg/s; projector {projector:,.0f} events/s into all "
          f"{models} read models ({names}) = {projector / fetch:.2f}x raw (target >= 0.5; {spread(projecting)}); "
          f"{projector * models:,.0f} read-model updates/s "
          f"= {projector * models / fetch:.2f}x raw")
    return 0


def spread(pairs: list[tuple[float, float]]) -> str:
    """The ratio over the rounds: min / median / max, then every round's in order."""
    ratios = [worker / raw for raw, worker in pairs]
    ordered = sorted(ratios)
    return (f"{len(ratios)} rounds: min {ordered[0]:.2f}, median {statistics.median(ratios):.2f}, "
            f"max {ordered[-1]:.2f}; rounds {', '.join(f'{r:.2f}' for r in ratios)}")


def median_round(pairs: list[tuple[float, float]]) -> tuple[float, float]:
    """The (baseline, worker) round whose ratio is the median."""
    ordered = sorted(pairs, key=lambda pair: pair[1] / pair[0])
    return ordered[len(ordered) // 2]


async def delete_stream(url: str) -> None:
    nc = await nats.connect(url)
    for stream in (STREAM, INTERNAL_STREAM):
        await nc.jetstream().delete_stream(stream)
    await nc.close()
