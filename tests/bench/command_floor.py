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

import httpx
import uvicorn
from litestar import Litestar, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from application.app import MrezhaApplication
from infra.catch_up import catch_up
from infra.nats_server import free_port
from infra.settings import load_settings
from infra.sql import open_database
from infra.store import store_environment
from projections.base import ensure_tables
from projections.catalog import all_projections
from tests.support.accounts import a_member
from tests.support.processes import ROOT, answers, eventually


def floor_app(directory: Path) -> Litestar:
    settings = load_settings({"MREZHA_DATA_DIR": str(directory)})
    db = open_database(settings)
    store = MrezhaApplication(env=store_environment(settings))
    projections = all_projections()
    for projection in projections:
        ensure_tables(db, projection)
    centre_id = a_member(store, "Добрич")
    catch_up(db, projections, store, store.last_notification_id(), most=1_000_000)

    @get("/ready")
    async def ready() -> str:
        return "ready"

    @post("/activities", sync_to_thread=True)
    def plan(data: dict[str, str] = Body(media_type=RequestEncodingType.URL_ENCODED)) -> str:
        activity_id, notification_id = store.activities.plan_activity(
            host_centre_id=centre_id, title=data["title"], kind=data["kind"], city=data["city"],
            starts_on=date.fromisoformat(data["starts_on"]), ends_on=date.fromisoformat(data["ends_on"]),
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
        eventually(lambda: answers(base + "/ready") or self.process.poll() is not None, 60)
        assert self.process.poll() is None, "the command floor's process did not start"
        return base

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def __exit__(self, *exc: object) -> None:
        assert self.process is not None
        self.process.terminate()
        self.process.wait(20)


def plan_form(n: int) -> dict[str, str]:
    """The plan form's fields the floor reads, as the bench's n-th command fills them in."""
    on = (date.today() + timedelta(days=30 + n % 300)).isoformat()
    return {"title": f"Обмен {n}", "kind": "exchange", "starts_on": on, "ends_on": on, "city": "Добрич"}


def timed_post(client: httpx.Client, form: dict[str, str], headers: dict[str, str] | None = None) -> float:
    """The form posted to /activities, answered 201; the seconds until the answer."""
    started = time.perf_counter()
    response = client.post("/activities", data=form, headers=headers)
    elapsed = time.perf_counter() - started
    assert response.status_code == 201, (response.status_code, response.text[:300])
    return elapsed


def plan_bare(client: httpx.Client, n: int) -> float:
    """One activity planned on the floor; the seconds until the answer."""
    return timed_post(client, plan_form(n))


if __name__ == "__main__":
    uvicorn.run(floor_app(Path(sys.argv[1])), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
