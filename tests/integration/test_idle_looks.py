"""An idle platform does not read its database once a second: the workers' safety polls first ask
whether anything was committed since their last look (``infra.sql.CommitWatch``: SQLite's
``data_version``, a few microseconds on the event loop), and read only when something was. A command
stored by a process that says nothing on the bus is still published, appended to the audit tree and
seen by the web's monitor at the next safety poll."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import nats
import pytest

from infra.bus import ensure_stream
from infra.audit_log import AuditLog, load_key, origin_of
from infra.monitor import PipelineMonitor
from infra.settings import Settings
from infra.sql import commit_watch, open_database
from projections.base import ensure_tables
from projections.catalog import all_projections
from tests.support.stream import as_admin, run_apart
from workers.auditor import Auditor
from workers.relay import Relay

POLL = 0.1  # the safety poll, made short: an idle second would hold ten reads without the watch


def counting(owner: Any, name: str) -> list[float]:
    """Notes when ``owner.name`` is called (it still does what it does)."""
    calls: list[float] = []
    original = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(time.monotonic())
        return original(*args, **kwargs)

    setattr(owner, name, counted)
    return calls


def plan_unannounced(store: Any) -> None:
    """A command from a process that says nothing on the bus (a command line, another program)."""
    store.centres.register_centre(name="Младежки център Видин", city="Видин")


async def until(condition: Callable[[], bool], seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    return condition()


def test_a_watch_says_changed_at_its_first_look_then_only_after_a_commit(settings: Settings, store):
    watch = commit_watch(settings)
    try:
        assert watch.changed(), "the first look cannot know what came before"
        if settings.database_url.startswith("postgresql"):
            assert watch.changed(), "PostgreSQL cannot be asked cheaply: every look reads"
            return
        assert not watch.changed()
        with open_database(settings).transaction():
            pass  # a transaction that writes nothing
        assert not watch.changed(), "a transaction that wrote nothing is no change"
        plan_unannounced(store)
        assert watch.changed()
        assert not watch.changed()
    finally:
        watch.close()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_idle_relay_reads_the_store_only_after_a_commit_and_still_publishes_an_unannounced_one(
    settings: Settings, store, nats_server
):
    relay = Relay(store, nats_server.url_as("relay"), poll_interval=POLL, changed=commit_watch(settings).changed)
    reads = counting(store.recorder, "select_notifications")

    async def scenario() -> tuple[int, int]:
        stop = asyncio.Event()
        running = asyncio.create_task(relay.run(stop))
        await asyncio.sleep(1.0)  # started, found nothing, idle
        idle_from = len(reads)
        await asyncio.sleep(1.0)  # ten safety polls
        idle_reads = len(reads) - idle_from
        await asyncio.to_thread(plan_unannounced, store)
        await until(lambda: relay.published >= 2)  # the centre and its name's claim
        stop.set()
        await running
        return idle_reads, relay.published

    idle_reads, published = run_apart(scenario())
    assert idle_reads == 0, f"the idle relay read the store {idle_reads} times in a second"
    assert published == 2, "the command nobody announced was not published at a safety poll"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_idle_audit_follower_reads_the_store_only_after_a_commit(settings: Settings, store):
    db = open_database(settings)
    audit = AuditLog(db, store.recorder, origin_of(settings), load_key(settings.data_dir))
    auditor = Auditor(audit, None, poll=POLL, settle=0.0, changed=commit_watch(settings).changed)
    extends = counting(audit, "extend")

    async def scenario() -> tuple[int, int]:
        stop = asyncio.Event()
        running = asyncio.create_task(auditor.run(stop))
        await asyncio.sleep(1.0)
        idle_from = len(extends)
        await asyncio.sleep(1.0)
        idle_extends = len(extends) - idle_from
        await asyncio.to_thread(plan_unannounced, store)
        await until(lambda: audit.size >= 2)
        stop.set()
        await running
        return idle_extends, audit.size

    try:
        idle_extends, size = run_apart(scenario())
    finally:
        db.close()
    assert idle_extends == 0, f"the idle follower read the store {idle_extends} times in a second"
    assert size == 2, "the command nobody announced was not appended at a safety poll"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_idle_web_monitor_reads_only_after_a_commit_and_its_lag_still_grows(settings: Settings, store):
    db = open_database(settings)
    for projection in all_projections():
        ensure_tables(db, projection)  # as the web makes them, before its monitor starts
    monitor = PipelineMonitor(store, db, all_projections(), None, interval=POLL, changed=commit_watch(settings).changed)
    reads = counting(monitor, "_read")

    async def scenario() -> tuple[int, float, float, int]:
        stop = asyncio.Event()
        running = asyncio.create_task(monitor.run(stop))
        await until(lambda: monitor.positions is not None)
        await asyncio.to_thread(plan_unannounced, store)  # stored, and projected by nobody
        await until(lambda: monitor.positions is not None and monitor.positions.lag() > 0)
        await asyncio.sleep(0.3)
        idle_from, waited = len(reads), monitor.positions.lag_seconds
        await asyncio.sleep(1.0)
        stop.set()
        await running
        return len(reads) - idle_from, waited, monitor.positions.lag_seconds, monitor.positions.lag()

    try:
        idle_reads, waited_before, waited_after, lag = run_apart(scenario())
    finally:
        db.close()
    assert idle_reads == 0, f"the idle monitor read the databases {idle_reads} times in a second"
    assert lag == 2
    assert waited_after >= waited_before + 0.8, "the lag's age stood still while nothing was read"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_audit_follower_that_published_a_checkpoint_goes_quiet_again(settings: Settings, store, nats_server):
    db = open_database(settings)
    audit = AuditLog(db, store.recorder, origin_of(settings), load_key(settings.data_dir))
    auditor = Auditor(audit, nats_server.url_as("relay"), poll=POLL, settle=0.0, interval=0.2,
                      changed=commit_watch(settings).changed)
    extends = counting(audit, "extend")

    async def scenario() -> tuple[int, int]:
        nc = await nats.connect(as_admin(settings.nats_url))
        await ensure_stream(nc.jetstream())  # the public stream the checkpoints go on, as the relay makes it
        await nc.close()
        stop = asyncio.Event()
        running = asyncio.create_task(auditor.run(stop))
        await asyncio.to_thread(plan_unannounced, store)
        await until(lambda: auditor.published >= 1)  # signed after the interval, and on the bus
        await asyncio.sleep(0.5)
        idle_from = len(extends)
        await asyncio.sleep(1.0)
        stop.set()
        await running
        return len(extends) - idle_from, auditor.published

    try:
        idle_extends, published = run_apart(scenario())
    finally:
        db.close()
    assert published == 1
    assert idle_extends == 0, f"after publishing, the idle follower read the store {idle_extends} times in a second"
