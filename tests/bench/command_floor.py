"""The floor under the write path's figures (a) and (b): the command with nothing around it.

A bare litestar app in a process of its own, as ``mrezha web`` is, whose one POST reads the plan form,
plans the activity through the application (an eventsourcing save on a SQLite file, in a worker thread
as the web's commands run) and projects it into every read model at once (``infra.catch_up``, as the web
does for read-your-writes), answering one line: no middleware, no session, no CSRF, no one-time key, no
rights, no bus, no page drawn. Whatever the platform does around a command costs more than this; what
this costs, nothing the platform does around it can take away.

``python -m tests.bench.command_floor DIRECTORY PORT`` serves it on 127.0.0.1 with its own store in
DIRECTORY; ``Floor`` starts and stops that process for the bench.
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from litestar import Litestar, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from application.app import MrezhaApplication
from infra.catch_up import catch_up
from infra.nats_server import free_port
from infra.security import Security
from infra.settings import load_settings
from infra.sql import open_database
from infra.store import store_environment
from projections.base import ensure_tables
from projections.catalog import all_projections
from tests.support.processes import ROOT


def floor_app(directory: Path) -> Litestar:
    settings = load_settings({"MREZHA_DATA_DIR": str(directory)})
    env = store_environment(settings)
    db = open_database(settings)
    security = Security(db)
    security.create_tables()
    store = MrezhaApplication(env=env, passwords=security)
    projections = all_projections()
    for projection in projections:
        ensure_tables(db, projection)
    centre_id, _ = store.centres.register_centre(name="Младежки център Добрич", city="Добрич")
    store.centres.apply_for_membership(centre_id)
    store.centres.admit_centre(centre_id)
    catch_up(db, projections, store, store.last_notification_id(), most=1_000_000)

    @get("/ready")
    async def ready() -> str:
        return "ready"

    @post("/activities", sync_to_thread=True)
    def plan(data: dict[str, str] = Body(media_type=RequestEncodingType.URL_ENCODED)) -> str:
        on = date.fromisoformat(data["starts_on"])
        activity_id, notification_id = store.activities.plan_activity(
            host_centre_id=centre_id, title=data["title"], kind=data["kind"], starts_on=on, ends_on=on,
            city=data["city"],
        )
        catch_up(db, projections, store, notification_id)
        return f"planned {activity_id}"

    return Litestar([ready, plan])


class Floor:
    """The floor's process, serving until the ``with`` block ends."""

    def __init__(self, directory: Path) -> None:
        self.directory, self.port = directory, free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.bench.command_floor", str(self.directory), str(self.port)], cwd=ROOT,
        )
        base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/ready", timeout=1).status_code == 200:
                    return base
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the command floor's process did not start")
            time.sleep(0.05)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def __exit__(self, *exc: object) -> None:
        assert self.process is not None
        self.process.terminate()
        self.process.wait(20)


def plan_bare(client: httpx.Client, n: int) -> float:
    """One activity planned on the floor; the seconds until the answer."""
    on = (date.today() + timedelta(days=30 + n % 300)).isoformat()
    form: dict[str, Any] = {"title": f"Обмен {n}", "kind": "exchange", "starts_on": on, "city": "Добрич"}
    started = time.perf_counter()
    response = client.post("/activities", data=form)
    elapsed = time.perf_counter() - started
    assert response.status_code == 201, (response.status_code, response.text[:300])
    return elapsed


if __name__ == "__main__":
    uvicorn.run(floor_app(Path(sys.argv[1])), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
