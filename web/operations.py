"""Operations and the subscribers' contract: ``/readyz``, ``/metrics``, ``/events/...``.

The pipeline monitor (``infra.monitor``) runs beside the app from its lifespan; the
pages' "bus delayed" notice and ``/metrics`` read its snapshot, so no request
ever waits on NATS. ``/readyz`` asks the store and the read models afresh.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Controller, Litestar, Request, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath
from litestar.response import Response
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4, choose_encoder
from prometheus_client.registry import Collector, CollectorRegistry

from contract import documents as schema
from infra.bus_auth import url_for
from infra.monitor import PipelineMonitor, Positions, read_positions
from infra.sql import commit_watch
from projections.base import rebuilds
from web.context import Services

READY_MAX_LAG_SECONDS = 60.0  # /readyz fails when an event has waited longer than this to be projected
NOTICE_AFTER_SECONDS = 5.0  # pages say "bus delayed" once an event has waited longer than this


@asynccontextmanager
async def pipeline_monitor(app: Litestar) -> AsyncIterator[None]:
    """A lifespan: runs after the one that wires ``app.state.services``."""
    services: Services = app.state.services
    settings = services.settings
    url = url_for(settings.nats_url, settings.data_dir, "monitor") if settings.nats_url else None
    watch = commit_watch(settings)
    monitor = PipelineMonitor(services.app, services.db, services.projections, url, changed=watch.changed)
    stop = asyncio.Event()
    task = asyncio.create_task(monitor.run(stop))
    app.state.monitor = monitor
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=5)
        watch.close()


def bus_delay(request: Request[Any, Any, Any]) -> dict[str, Any] | None:
    """For base.html: how far the pages are behind the store, once that is worth saying."""
    monitor: PipelineMonitor | None = getattr(request.app.state, "monitor", None)
    positions = monitor.positions if monitor else None
    if positions is None or not positions.lag() or positions.lag_seconds < NOTICE_AFTER_SECONDS:
        return None
    seconds = int(positions.lag_seconds)
    return {"lag": positions.lag(), "seconds": seconds, "minutes": seconds // 60}


def may_read_operations(request: Request[Any, Any, Any], services: Services) -> bool:
    """The pipeline's figures and failing checks: for the auditor and the secretariat, and for a
    scraper at a configured address (MREZHA_METRICS_FROM); /healthz says only "ok", to anyone."""
    user = request.scope.get("user")
    if user is not None and user.role in ("auditor", "secretariat"):
        return True
    return request.client is not None and services.settings.may_read_metrics_from(request.client.host)


class OpsController(Controller):
    @get("/readyz", sync_to_thread=True, opt={"public": True})
    def readyz(self, request: Request[Any, Any, Any], services: NamedDependency[Services]) -> Response[dict[str, Any]]:
        """Ready or not, for any load balancer; which check failed, for those who may read operations."""
        checks: dict[str, str] = {}
        try:
            services.app.last_notification_id()
            checks["store"] = "ok"
        except Exception as error:
            checks["store"] = f"unreachable: {type(error).__name__}"
        try:
            positions = read_positions(services.app, services.db, services.projections)
            checks["read_models"] = "ok"
            checks["projections"] = projections_check(positions, rebuilds(services.db))
        except Exception as error:
            checks.setdefault("read_models", f"unreachable: {type(error).__name__}")
            checks["projections"] = "unknown"
        ready = all(value.startswith("ok") for value in checks.values())
        answer: dict[str, Any] = {"status": "ready" if ready else "not ready"}
        if may_read_operations(request, services):
            answer["checks"] = checks
        return Response(answer, status_code=200 if ready else 503)

    @get("/metrics", sync_to_thread=True, opt={"public": True})
    def metrics(self, request: Request[Any, Any, Any], services: NamedDependency[Services]) -> Response[bytes]:
        """Prometheus's text format, or OpenMetrics when the scraper asks for it (as prometheus_client decides);
        for the auditor, the secretariat and the addresses in MREZHA_METRICS_FROM only."""
        if not may_read_operations(request, services):
            raise PermissionDeniedException()
        try:
            positions = read_positions(services.app, services.db, services.projections)
        except Exception as error:
            return Response(f"# the store or the read models are unreachable: {type(error).__name__}\n".encode(),
                            headers={"content-type": CONTENT_TYPE_PLAIN_0_0_4}, status_code=503)
        registry = CollectorRegistry(auto_describe=False)
        registry.register(PipelineCollector(positions, getattr(request.app.state, "monitor", None)))
        encode, content_type = choose_encoder(request.headers.get("accept", ""))
        # a header, not media_type: litestar would add a second charset to this text/ type
        return Response(encode(registry), headers={"content-type": content_type})

    @get("/events", opt={"public": True})
    async def events_index(self) -> dict[str, Any]:
        files = schema.documents()
        return {
            "asyncapi": f"/events/{schema.ASYNCAPI_FILE}",
            "schemas": {name.removesuffix(".schema.json"): f"/events/{name}"
                        for name in files if name.endswith(".schema.json")},
        }

    @get("/events/{file:str}", opt={"public": True})
    async def event_document(self, file: FromPath[str]) -> Response[bytes]:
        files = schema.documents()
        if file in files:
            text = files[file]
        elif schema.kept_from_earlier(file, files) and (schema.DOCS_DIR / file).is_file():
            text = (schema.DOCS_DIR / file).read_text(encoding="utf-8")
        else:
            raise NotFoundException()
        media = "application/yaml" if file.endswith(".yaml") else "application/schema+json"
        return Response(text.encode(), media_type=f"{media}; charset=utf-8")


def projections_check(positions: Positions, rebuilt: dict[str, int]) -> str:
    """"ok" while nothing waits long, or while everything that lags is being rebuilt (its pages are
    stale for a while, the site is not broken); "behind" when an event waits long for a read model
    that should have it."""
    rebuilding = {
        name: target or positions.stored
        for name, target in rebuilt.items()
        if name in positions.projected and positions.projected[name] < (target or positions.stored)
    }
    lagging = [name for name in positions.projected if positions.lag(name) and name not in rebuilding]
    if positions.lag_seconds > READY_MAX_LAG_SECONDS and lagging:
        return f"behind: {positions.lag()} events, the oldest waiting {positions.lag_seconds:.0f}s"
    if rebuilding:
        return "ok, catching up (stale while rebuilt): " + ", ".join(
            f"{name} at {positions.projected[name]} of {target}" for name, target in sorted(rebuilding.items())
        )
    return f"ok: {positions.lag()} events waiting"


class PipelineCollector(Collector):
    """The pipeline's figures as Prometheus metrics, from one reading of the positions and the monitor's snapshot."""

    def __init__(self, positions: Positions, monitor: PipelineMonitor | None) -> None:
        self.positions, self.monitor = positions, monitor

    def collect(self) -> Iterator[Metric]:
        positions, monitor = self.positions, self.monitor
        yield CounterMetricFamily(  # written with the counter's ``_total`` suffix
            "mrezha_events_stored", "Events recorded in the event store, counted.",
            value=monitor.events_stored if monitor is not None else positions.stored,
        )
        yield GaugeMetricFamily(
            "mrezha_last_notification_id", "The store's last notification id (ids may have gaps on PostgreSQL).",
            value=positions.stored,
        )
        if monitor is not None and monitor.nats_url:
            stream = monitor.stream
            yield GaugeMetricFamily(
                "mrezha_bus_up", "1 when the MREZHA stream answered and JetStream took a write at the last checks.",
                value=int(stream.reachable and stream.writable),
            )
            if stream.checked_at:
                yield CounterMetricFamily(
                    "mrezha_events_published", "Messages the MREZHA stream took, one per published event.",
                    value=monitor.events_published,
                )
                yield GaugeMetricFamily(
                    "mrezha_stream_messages", "Messages on the MREZHA stream now (fewer after a purge).",
                    value=stream.messages,
                )
        projected = GaugeMetricFamily(
            "mrezha_projection_position", "The last notification id each read model has projected.",
            labels=["projection"],
        )
        lag = GaugeMetricFamily(
            "mrezha_projection_lag_events", "Events stored but not yet projected, per read model.",
            labels=["projection"],
        )
        for name, done in positions.projected.items():
            projected.add_metric([name], done)
            lag.add_metric([name], positions.lag(name))
        yield projected
        yield lag
        yield GaugeMetricFamily(
            "mrezha_projection_lag_seconds", "How long the oldest event not yet in every read model has waited.",
            value=round(positions.lag_seconds, 3),
        )
