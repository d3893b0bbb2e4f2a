"""A project's page as the register grows: one project with 50 indicators × 20 periods each, timed against
the bare litestar page in the same run, with 100 and then 10,000 projects in the register (the calendar
bench's pattern: five rounds, each round's median and p99 divided by that round's baseline)."""

from __future__ import annotations

import logging
import os
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx

from application.app import MrezhaApplication
from infra.settings import load_settings
from infra.sql import open_database
from infra.store import store_environment
from projections.catalog import all_projections
from tests.bench import SMOKE, sized
from tests.bench.pages import ROUNDS, Served, bare_app, latencies, spread
from tests.support.rebuild import rebuild_from_store

SIZES = tuple(int(n) for n in os.environ.get("MREZHA_BENCH_PROJECTS", "3,6" if SMOKE else "100,10000").split(","))


def a_project(app: MrezhaApplication, n: int) -> object:
    project_id, _ = app.projects.register_project(
        code=f"BG05M9OP001-4.003-{n:04d}-C01", title=f"Проект {n}", funder="esf", beneficiary="Община Пловдив",
        total_value="199408.00", currency="BGN", starts_on=date(2019, 3, 25), planned_end=date(2021, 6, 30),
    )
    return project_id


def the_big_project(app: MrezhaApplication) -> object:
    project_id = a_project(app, 0)
    app.projects.start_project(project_id, date(2019, 3, 25))
    for i in range(sized(50, 3)):
        app.projects.define_indicator(project_id, key=f"i{i}", name=f"Индикатор {i}", unit="души", target=1000)
        for p in range(sized(20, 3)):
            app.projects.report_progress(project_id, key=f"i{i}", period=f"{p:02d}", value=p + i,
                                         as_of=date(2019, 4 + p % 9, 1 + p))
    return project_id


def main() -> int:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        settings = load_settings({"MREZHA_DATA_DIR": str(directory / "data")})
        app = MrezhaApplication(env=store_environment(settings))
        db = open_database(settings)
        from web.app import create_app

        big = the_big_project(app)
        count, page_ratios = 1, {}
        for target in SIZES:
            print(f"bench: seeding projects up to {target:,} …", flush=True)
            while count < target:
                a_project(app, count)
                count += 1
            rebuild_from_store(app, db, all_projections())
            ratios: list[float] = []
            times: list[float] = []
            with Served(bare_app(directory)) as bare, Served(create_app(settings)) as web, \
                    httpx.Client(base_url=bare) as bare_client, httpx.Client(base_url=web) as web_client:
                for _ in range(ROUNDS):
                    measured = latencies({"bare": (bare_client, ["/"]), "page": (web_client, [f"/projects/{big}"])})
                    base_median, median = measured["bare"][0], measured["page"][0]
                    ratios.append(median / base_median)
                    times.append(median)
            print(f"bench: {target:>6,} projects  project page (50 indicators × 20 periods) median "
                  f"{statistics.median(times):.2f} ms: {spread(ratios)} x the bare page's")
            page_ratios[target] = ratios
        first, last = SIZES[0], SIZES[-1]
        flat = statistics.median(page_ratios[last]) / statistics.median(page_ratios[first])
        print(f"bench: project page median (x baseline) at {last:,} / at {first:,} projects = {flat:.2f} (flat is ~1)")
        app.close()
        db.close()
    return 0
