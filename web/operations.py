"""Operations and the subscribers' contract: ``/readyz``, ``/metrics``, ``/events/...``.

The pipeline monitor (``infra.monitor``) runs beside the app from its lifespan; the
pages' "bus delayed" notice and ``/metrics`` read its snapshot, so no request
ever waits on NATS. ``/readyz`` asks the store and the read models afresh.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Controller, Litestar, Request, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Response

from contract import documents as schema
from infra.monitor import PipelineMonitor, Positions, read_positions
from web.context import Services

READY_MAX_LAG_SECONDS = 60.0  # /readyz fails when an event has waited longer than this to be projected
NOTICE_AFTER_SECONDS = 5.0  # pages say "bus delayed" once an event has waited longer than this
PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8"


@asynccontextmanager
async def pipeline_monitor(app: Litestar) -> AsyncIterator[None]:
    """A lifespan: runs after the one that wires ``app.state.services``."""
    services: Services = app.state.services
    monitor = PipelineMonitor(services.app, services.db, services.projections, services.settings.nats_url)
    stop = asyncio.Event()
    task = asyncio.create_task(monitor.run(stop))
    app.state.monitor = monitor
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=5)


def bus_delay(request: Request[Any, Any, Any]) -> dict[str, Any] | None:
    """For base.html: how far the pages are behind the store, once that is worth saying."""
    monitor: PipelineMonitor | None = getattr(request.app.state, "monitor", None)
    positions = monitor.positions if monitor else None
    if positions is None or not positions.lag() or positions.lag_seconds < NOTICE_AFTER_SECONDS:
        return None
    seconds = int(positions.lag_seconds)
    return {"lag": positions.lag(), "seconds": seconds, "minutes": seconds // 60}


class OpsController(Controller):
    @get("/readyz", sync_to_thread=True, opt={"public": True})
    def readyz(self, services: NamedDependency[Services]) -> Response[dict[str, Any]]:
        checks: dict[str, str] = {}
        try:
            services.app.last_notification_id()
            checks["store"] = "ok"
        except Exception as error:
            checks["store"] = f"unreachable: {type(error).__name__}"
        try:
            positions = read_positions(services.app, services.db, services.projections)
            checks["read_models"] = "ok"
            behind = positions.lag_seconds > READY_MAX_LAG_SECONDS
            checks["projections"] = (
                f"behind: {positions.lag()} events, the oldest waiting {positions.lag_seconds:.0f}s"
                if behind else f"ok: {positions.lag()} events waiting"
            )
        except Exception as error:
            checks.setdefault("read_models", f"unreachable: {type(error).__name__}")
            checks["projections"] = "unknown"
        ready = all(value.startswith("ok") for value in checks.values())
        return Response({"status": "ready" if ready else "not ready", "checks": checks},
                        status_code=200 if ready else 503)

    @get("/metrics", sync_to_thread=True, opt={"public": True})
    def metrics(self, request: Request[Any, Any, Any], services: NamedDependency[Services]) -> Response[str]:
        try:
            positions = read_positions(services.app, services.db, services.projections)
        except Exception as error:
            return Response(f"# the store or the read models are unreachable: {type(error).__name__}\n",
                            media_type=PROMETHEUS, status_code=503)
        monitor: PipelineMonitor | None = getattr(request.app.state, "monitor", None)
        return Response(prometheus_text(positions, monitor), media_type=PROMETHEUS)

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


def prometheus_text(positions: Positions, monitor: PipelineMonitor | None) -> str:
    lines = [
        "# HELP mrezha_events_stored_total Events recorded in the event store (its last notification id).",
        "# TYPE mrezha_events_stored_total counter",
        f"mrezha_events_stored_total {positions.stored}",
    ]
    if monitor is not None and monitor.nats_url:
        stream = monitor.stream
        lines += [
            "# HELP mrezha_bus_up 1 when the web reached the MREZHA stream at its last check (every second).",
            "# TYPE mrezha_bus_up gauge",
            f"mrezha_bus_up {int(stream.reachable)}",
        ]
        if stream.checked_at:
            lines += [
                "# HELP mrezha_events_published_total Messages on the MREZHA stream, one per published event.",
                "# TYPE mrezha_events_published_total counter",
                f"mrezha_events_published_total {stream.messages}",
            ]
    lines += [
        "# HELP mrezha_events_projected The last notification id each read model has projected.",
        "# TYPE mrezha_events_projected gauge",
        *(f'mrezha_events_projected{{projection="{name}"}} {done}' for name, done in positions.projected.items()),
        "# HELP mrezha_projection_lag Events stored but not yet projected, per read model.",
        "# TYPE mrezha_projection_lag gauge",
        *(f'mrezha_projection_lag{{projection="{name}"}} {positions.lag(name)}' for name in positions.projected),
        "# HELP mrezha_projection_lag_seconds How long the oldest event not yet in every read model has waited.",
        "# TYPE mrezha_projection_lag_seconds gauge",
        f"mrezha_projection_lag_seconds {positions.lag_seconds:.3f}",
    ]
    return "\n".join(lines) + "\n"
