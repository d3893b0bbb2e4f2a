"""Composition roots of the worker processes: ``mrezha relay`` and ``mrezha projector``."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Awaitable, Callable

from contract.headers import source_for
from infra.bus_auth import url_for
from infra.settings import Settings
from application.app import MrezhaApplication
from infra.store import store_environment
from projections.catalog import all_projections
from workers.projector import Projector
from workers.relay import Relay
from workers.auditor import Auditor
from infra.audit_log import AuditLog, load_key, origin_of
from infra.sql import commit_watch, open_database


def _run_until_signalled(main: Callable[[asyncio.Event], Awaitable[None]]) -> None:
    async def runner() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await main(stop)

    asyncio.run(runner())


def run_relay(settings: Settings) -> None:
    assert settings.nats_url, "the relay needs MREZHA_NATS_URL"
    store = MrezhaApplication(env=store_environment(settings))
    watches = (commit_watch(settings), commit_watch(settings))  # each its own last look
    relay = Relay(store, url_for(settings.nats_url, settings.data_dir, "relay"), replicas=settings.stream_replicas,
                  source=source_for(settings.site_url), changed=watches[0].changed)
    db = open_database(settings)
    audit = AuditLog(db, store.recorder, origin_of(settings), load_key(settings.data_dir))
    auditor = Auditor(audit, url_for(settings.nats_url, settings.data_dir, "relay"), changed=watches[1].changed)
    relay.also_wakes(auditor.woken)  # the follower hears "stored" with the relay, and does not poll

    async def both(stop: asyncio.Event) -> None:
        await asyncio.gather(relay.run(stop), auditor.run(stop))

    try:
        _run_until_signalled(both)
    finally:
        for watch in watches:
            watch.close()
        db.close()
        store.close()


def run_projector(settings: Settings) -> None:
    assert settings.nats_url, "the projector needs MREZHA_NATS_URL"
    projector = Projector(
        settings.database_url, all_projections(), url_for(settings.nats_url, settings.data_dir, "projector"),
        replicas=settings.stream_replicas,
    )
    _run_until_signalled(projector.run)
