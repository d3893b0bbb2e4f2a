"""Page latency as history grows: the calendar (a visitor's and a signed-in user's), an activity page and a
signed-in user's home page against a bare litestar page. The pages are measured as they are served, with their live-update parts
(the position their stream starts from, the scripts that open it).

Seeds centres and activities through the real application (SQLite file), projects
them straight from the store, then serves the real app with uvicorn and times
requests over HTTP. The baseline is a bare litestar app rendering a 50-row jinja
template, served beside it. At each size the baseline and the pages are timed
request by request in turn, five rounds, each round's median and p99 divided by the
same round's baseline; the ratios' minimum, median and maximum are printed.
"""

from __future__ import annotations

import logging
from contextlib import ExitStack
import random
import re
import statistics
import tempfile
import threading
import time
from datetime import date, timedelta
from uuid import UUID
from pathlib import Path

import httpx
import uvicorn
from litestar import Litestar, get
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template.config import TemplateConfig

from domain.activity import KINDS
from application.actor import acting_as
from infra.nats_server import free_port
from infra.security import Security
from tests.bench import sized
from tests.support.accounts import PASSWORD
from tests.support.rebuild import rebuild_from_store
from infra.settings import load_settings
from infra.sql import open_database
from application.app import MrezhaApplication
from infra.store import store_environment
from projections.catalog import all_projections

REQUESTS = sized(300, 20)
ROUNDS = sized(5, 1)
CENTRES = sized(300, 10)
SIZES = (sized(2_000, 40), sized(20_000, 80))
CITIES = ("Стара Загора", "Враца", "Добрич", "Перник", "Пловдив", "София", "Варна", "Бургас", "Русе", "Плевен")


def bare_app(directory: Path) -> Litestar:
    (directory / "rows.html").write_text(
        "<!doctype html><html><body><table>{% for row in rows %}<tr><td>{{ row.n }}</td>"
        "<td>{{ row.title }}</td><td>{{ row.city }}</td></tr>{% endfor %}</table></body></html>"
    )

    @get("/")
    async def page() -> Template:
        rows = [{"n": n, "title": f"Дейност {n}", "city": CITIES[n % len(CITIES)]} for n in range(50)]
        return Template(template_name="rows.html", context={"rows": rows})

    return Litestar([page], template_config=TemplateConfig(directory=directory, engine=JinjaTemplateEngine))


class Served:
    def __init__(self, app: Litestar) -> None:
        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.01)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def signed_in(base: str, username: str) -> httpx.Cookies:
    """The cookies of a session signed in through the sign-in form, as a browser's."""
    with httpx.Client(base_url=base) as client:
        token = re.search(r'name="_csrf_token" value="([^"]+)"', client.get("/login").text)
        assert token is not None, "no CSRF token on the sign-in form"
        answer = client.post("/login", data={"_csrf_token": token.group(1), "next": "/", "username": username,
                                             "password": PASSWORD})
        assert answer.status_code in (302, 303), answer.status_code
        return client.cookies


def latencies(targets: dict[str, tuple[httpx.Client, list[str]]]) -> dict[str, tuple[float, float]]:
    """One round: each target's median and p99 in ms. The targets take turns request by request, so
    the baseline and the pages meet the same load on a shared machine at the same moments."""
    for client, paths in targets.values():
        for path in paths[:20]:
            client.get(path)  # warm up
    samples: dict[str, list[float]] = {name: [] for name in targets}
    for i in range(REQUESTS):
        for name, (client, paths) in targets.items():
            start = time.perf_counter()
            response = client.get(paths[i % len(paths)])
            samples[name].append(time.perf_counter() - start)
            assert response.status_code == 200, (name, response.status_code)
    quantiles = {}
    for name, taken in samples.items():
        taken.sort()
        quantiles[name] = (statistics.median(taken) * 1000, taken[int(len(taken) * 0.99) - 1] * 1000)
    return quantiles


def seed(app: MrezhaApplication, centres: list[UUID], count: int, rng: random.Random) -> list[UUID]:
    ids = []
    for n in range(count):
        start = date(2020, 1, 1) + timedelta(days=rng.randrange(365 * 8))
        activity_id, _ = app.activities.plan_activity(
            host_centre_id=rng.choice(centres),
            title=f"Дейност {n} – обмен на добри практики",
            kind=rng.choice(KINDS),
            starts_on=start,
            ends_on=start + timedelta(days=rng.randrange(3)),
            city=rng.choice(CITIES),
        )
        ids.append(activity_id)
    return ids


def main() -> int:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        settings = load_settings({"MREZHA_DATA_DIR": str(directory / "data")})
        db = open_database(settings)
        security = Security(db)
        security.create_tables()
        app = MrezhaApplication(env=store_environment(settings), passwords=security)
        print(f"bench: seeding {CENTRES} centres …", flush=True)
        centres: list[UUID] = []
        for n in range(CENTRES):
            centre_id, _ = app.centres.register_centre(name=f"Младежки център {n}", city=CITIES[n % len(CITIES)])
            app.centres.apply_for_membership(centre_id)
            app.centres.admit_centre(centre_id)
            centres.append(centre_id)
        with acting_as("bench"):  # a coordinator of the first centre: "/" is then that user's home page
            app.accounts.open_account(username="coordinator", display_name="Координатор", role="coordinator",
                                      centre_id=centres[0], password=PASSWORD)
        from web.app import create_app

        activities: list[UUID] = []
        medians: dict[tuple[str, int], list[float]] = {}  # each page's median ratios at each size
        for target in SIZES:
            print(f"bench: seeding activities up to {target:,} …", flush=True)
            started = time.perf_counter()
            activities += seed(app, centres, target - len(activities), rng)
            rebuild_from_store(app, db, all_projections())
            print(f"bench: seeded and projected in {time.perf_counter() - started:.1f} s", flush=True)
            pages = {
                "calendar page": ["/calendar", "/calendar?when=past", "/calendar?kind=exchange"],
                "activity page": [f"/activities/{a}" for a in rng.sample(activities, min(50, len(activities)))],
                "signed-in home page": ["/"],
                # a centre's people see its forms: their calendar is not the visitors' kept page
                "signed-in calendar page": ["/calendar", "/calendar?when=past", "/calendar?kind=exchange"],
            }
            ratios: dict[tuple[str, str], list[float]] = {(name, q): [] for name in pages for q in ("median", "p99")}
            times: dict[tuple[str, str], list[float]] = {key: [] for key in ratios}  # ms, for the record
            baseline: list[tuple[float, float]] = []
            with Served(bare_app(directory)) as bare, Served(create_app(settings)) as web, ExitStack() as clients:
                coordinator = signed_in(web, "coordinator")
                cookies = {"signed-in home page": coordinator, "signed-in calendar page": coordinator}
                targets = {"": (clients.enter_context(httpx.Client(base_url=bare)), ["/"])} | {
                    name: (clients.enter_context(httpx.Client(base_url=web, cookies=cookies.get(name))), paths)
                    for name, paths in pages.items()
                }
                for _ in range(ROUNDS):
                    measured = latencies(targets)
                    base_median, base_p99 = measured.pop("")
                    baseline.append((base_median, base_p99))
                    for name, (median, p99) in measured.items():
                        ratios[name, "median"].append(median / base_median)
                        ratios[name, "p99"].append(p99 / base_p99)
                        times[name, "median"].append(median)
                        times[name, "p99"].append(p99)
            print(f"bench: {target:>6,} activities  baseline bare litestar 50-row page: median "
                  f"{statistics.median(m for m, _ in baseline):.2f} ms, p99 {statistics.median(p for _, p in baseline):.2f} ms")
            for (name, quantile), values in ratios.items():
                print(f"bench: {target:>6,} activities  {name} {quantile} "
                      f"{statistics.median(times[name, quantile]):.2f} ms: {spread(values)} x the bare page's")
            for name in pages:
                medians[name, target] = ratios[name, "median"]
        for name in pages:
            flat = statistics.median(medians[name, SIZES[1]]) / statistics.median(medians[name, SIZES[0]])
            print(f"bench: {name} median (x baseline) at {SIZES[1]:,} / at {SIZES[0]:,} activities = {flat:.2f} (flat is ~1)")
        app.close()
        db.close()
    return 0


def spread(ratios: list[float]) -> str:
    """Min / median / max over the rounds, then every round's in order."""
    return (f"min {min(ratios):.2f}, median {statistics.median(ratios):.2f}, max {max(ratios):.2f} "
            f"({len(ratios)} rounds: {', '.join(f'{r:.2f}' for r in ratios)})")
