"""The interactive write path, each figure against a baseline measured in the same run:

(a) one person planning activities through the real HTTP form, answered once the new activity is
    projected (read-your-writes): median and p99 latency against a bare litestar page's;
(b) 8 people at once: commands/s against a bare eventsourcing application's saves/s on the same
    kind of database (a SQLite file, WAL), 8 threads;
(c) freshness: store commit -> projected into every read model, p50/p99, at 100 commands/s
    (no baseline: the target is absolute, p99 <= 50 ms);
(d) idle CPU of every process of ``mrezha run`` over 30 s, in % of one core.

The platform runs for real: nats-server, ``mrezha relay``, ``mrezha projector`` and ``mrezha web``
as processes, as ``mrezha run`` starts them. Five rounds; the spread of each ratio is printed.
"""

from __future__ import annotations

import logging
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import httpx
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from application.app import MrezhaApplication
from infra.nats_server import NatsServer, free_port
from infra.security import Security
from infra.settings import Settings, load_settings
from infra.sql import open_database
from infra.store import store_environment
from infra.wakeups import StoredAnnouncer
from projections.base import position
from projections.catalog import all_projections
from tests.bench import sized
from tests.bench.command_floor import Floor, plan_bare, plan_form, timed_post
from tests.bench.pages import Served, bare_app, latencies
from tests.support.accounts import PASSWORD
from tests.support.processes import ROOT, Worker, answers, environment, eventually

ROUNDS = int(os.environ.get("BENCH_ROUNDS", sized(5, 1)))  # fewer only to try the bench out
SINGLE = sized(60, 5)  # commands a round for (a)
CLIENTS = 8
CONCURRENT = sized(240, 16)  # commands a round for (b), over the 8 clients
FRESHNESS = sized(200, 10)  # commands a round for (c), at 100/s
IDLE_SECONDS = int(os.environ.get("BENCH_IDLE_SECONDS", sized(30, 1)))


class Note(Aggregate):
    """The bare application's aggregate: one event, one small field."""

    @event("Written")
    def __init__(self, text: str) -> None:
        self.text = text


def bare_save_rate(directory: Path, count: int) -> float:
    """Saves/s of a bare eventsourcing application on its own SQLite file, 8 threads at once."""
    path = directory / f"bare-{uuid4().hex[:6]}.sqlite"
    app: Application[UUID] = Application(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)})
    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(lambda n: app.save(Note(text=f"note {n}")), range(count)))
    rate = count / (time.perf_counter() - started)
    app.close()
    return rate


def bare_save_latency(directory: Path, count: int = 200) -> float:
    """The median ms of one save of a bare eventsourcing application on its own SQLite file, one
    thread: the durable commit every command waits for, whatever else it does."""
    path = directory / f"bare-one-{uuid4().hex[:6]}.sqlite"
    app: Application[UUID] = Application(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)})
    samples = []
    for n in range(count):
        note = Note(text=f"note {n}")
        started = time.perf_counter()
        app.save(note)
        samples.append(time.perf_counter() - started)
    app.close()
    return statistics.median(samples) * 1000


def platform_cpu(leaving_out: frozenset[int] = frozenset()) -> dict[int, float]:
    """CPU seconds so far of every process the bench started (the platform's, not its own), but those
    left out (the command floor's)."""
    return {pid: _cpu_seconds(pid) for pid in _tree(os.getpid()) if pid != os.getpid() and pid not in leaving_out}


def platform(directory: Path, stack: ExitStack) -> tuple[Settings, MrezhaApplication, UUID, str]:
    """nats-server, relay, projector and web as processes; a member centre and its coordinator."""
    nats = NatsServer(directory / "nats", free_port()).start()
    stack.callback(nats.stop)
    settings = load_settings({
        "MREZHA_DATA_DIR": str(directory / "data"),
        "MREZHA_NATS_URL": nats.url,
        "MREZHA_PORT": str(free_port()),
        "MREZHA_PROJECTION_WAIT": "10",
    })
    env = store_environment(settings)
    db = open_database(settings)
    stack.callback(db.close)
    security = Security(db)
    security.create_tables()
    store = MrezhaApplication(env=env, passwords=security)
    stack.callback(store.close)
    announcer = StoredAnnouncer(nats.url)  # as the web does: the relay hears of each command at once
    stack.callback(announcer.close)
    store.after_save.append(announcer.stored)
    centre_id, _ = store.centres.register_centre(name="Младежки център Добрич", city="Добрич")
    store.centres.apply_for_membership(centre_id)
    store.centres.admit_centre(centre_id)
    store.accounts.open_account(username="dobrich", display_name="Добрич", role="coordinator",
                                centre_id=centre_id, password=PASSWORD)
    for name in ("relay", "projector", "web"):
        stack.callback(Worker(name, settings, directory).start().stop)
    base = settings.base_url.rstrip("/")
    eventually(lambda: answers(base + "/healthz"), 30, "the web process never answered")
    return settings, store, centre_id, base


def signed_in(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    client.get("/login")
    response = client.post("/login", data={"username": "dobrich", "password": PASSWORD, "next": "/"},
                           headers={"x-csrftoken": client.cookies["csrftoken"]})
    assert response.status_code == 303, response.text
    return client


def plan(client: httpx.Client, centre_id: UUID, n: int) -> float:
    """One activity planned through the form as htmx sends it; the seconds until the answer."""
    form = plan_form(n) | {"host_centre_id": str(centre_id), "_submission": uuid4().hex}
    return timed_post(client, form, {"x-csrftoken": client.cookies["csrftoken"], "HX-Request": "true"})


def one_client(base: str, centre_id: UUID) -> tuple[float, float]:
    client = signed_in(base)
    try:
        return one_at_a_time(lambda n: plan(client, centre_id, n))
    finally:
        client.close()


def one_at_a_time(planning: Callable[[int], float]) -> tuple[float, float]:
    """The median and p99 ms of SINGLE commands sent one after the other, after five to warm up."""
    for n in range(5):
        planning(n)
    samples = sorted(planning(n) for n in range(SINGLE))
    return statistics.median(samples) * 1000, samples[int(len(samples) * 0.99) - 1] * 1000


def eight_clients(clients: list[httpx.Client], planning: Callable[[httpx.Client, int], float]) -> float:
    """Commands/s of the clients each planning its share of CONCURRENT at once."""
    per_client = CONCURRENT // CLIENTS
    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(lambda c: [planning(c, n) for n in range(per_client)], clients))
    return CONCURRENT / (time.perf_counter() - started)


def freshness(settings: Settings, store: MrezhaApplication, centre_id: UUID) -> tuple[float, float]:
    """Commit -> projected into every read model, for commands stored at 100/s."""
    db = open_database(settings)
    names = [p.name for p in all_projections()]
    committed: dict[int, float] = {}
    reached: list[tuple[int, float]] = []  # (where the slowest read model was, when first seen there)
    done = threading.Event()

    def watch() -> None:
        # Positions are noted, not matched to commands here: a command may be projected before its
        # committer has noted its id (one more thread switch), and would then never be matched.
        seen = 0
        while not done.is_set() or seen < max(committed, default=0):
            now_at = min(position(db, name) for name in names)
            if now_at > seen:
                reached.append((now_at, time.perf_counter()))
                seen = now_at
            time.sleep(0.0005)

    watcher = threading.Thread(target=watch)
    watcher.start()
    start = time.perf_counter()
    for n in range(FRESHNESS):
        time.sleep(max(0.0, start + n / 100 - time.perf_counter()))
        on = date.today() + timedelta(days=30)
        _, notification_id = store.activities.plan_activity(
            host_centre_id=centre_id, title=f"Свежест {n}", kind="training", starts_on=on, ends_on=on, city="Добрич"
        )
        committed[notification_id] = time.perf_counter()
    done.set()
    watcher.join(30)
    db.close()
    projected = {i: next((at for position_, at in reached if position_ >= i), None) for i in committed}
    lags = sorted(at - committed[i] for i, at in projected.items() if at is not None)
    assert len(lags) == len(committed), "not every command was projected"
    return statistics.median(lags) * 1000, lags[int(len(lags) * 0.99) - 1] * 1000


def idle_cpu(directory: Path) -> dict[str, float]:
    """% of one core each process of ``mrezha run`` used over IDLE_SECONDS with nobody asking."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MREZHA_")}
    env.update(MREZHA_DATA_DIR=str(directory / f"run-{uuid4().hex[:6]}"), MREZHA_PORT=str(port), PYTHONUNBUFFERED="1")
    run = subprocess.Popen([sys.executable, "-m", "mrezha", "run"], env=env, cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        eventually(lambda: answers(f"http://127.0.0.1:{port}/healthz"), 60, "mrezha run never served")
        time.sleep(5)  # demo data projected, start-up over
        processes = _tree(run.pid)
        before = {pid: _cpu_seconds(pid) for pid in processes}
        time.sleep(IDLE_SECONDS)
        return {
            f"{processes[pid]}[{pid}]": 100 * (_cpu_seconds(pid) - before[pid]) / IDLE_SECONDS for pid in processes
        }
    finally:
        os.killpg(run.pid, signal.SIGINT)
        try:
            run.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()


def _tree(root: int) -> dict[int, str]:
    """The process and all its descendants: pid -> a short name (the mrezha command or the binary)."""
    found = {root: _name(root)}
    frontier = [root]
    while frontier:
        pid = frontier.pop()
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            found[int(child)] = _name(int(child))
            frontier.append(int(child))
    return found


def _name(pid: int) -> str:
    args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    words = [a.decode() for a in args if a]
    if "mrezha" in words:
        return "mrezha " + words[words.index("mrezha") + 1]
    if any("spawn_main" in word for word in words):  # multiprocessing's child: the projector's writer
        return "projector's writer"
    if any("resource_tracker" in word for word in words):
        return "multiprocessing's resource tracker"
    return Path(words[0]).name


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    single: list[tuple[float, float, float, float]] = []  # (bare median, bare p99, form median, form p99)
    one_save: list[float] = []  # a bare save's median latency, ms
    concurrent: list[tuple[float, float]] = []  # (bare saves/s, commands/s)
    cpu_per_command: list[dict[str, float]] = []  # process -> CPU ms per command in (b)
    fresh: list[tuple[float, float]] = []
    floor_single: list[float] = []  # the floor's median, ms (tests.bench.command_floor)
    floor_rates: list[float] = []  # the floor's commands/s, 8 clients
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        directory = Path(tmp)
        settings, store, centre_id, base = platform(directory, stack)
        floor_process = Floor(directory / "floor")
        floor = stack.enter_context(floor_process)
        floor_pid = floor_process.pid
        with Served(bare_app(directory)) as bare, httpx.Client(base_url=bare) as bare_client, \
                httpx.Client(base_url=floor) as floor_client:
            for round_ in range(ROUNDS):
                bare_median, bare_p99 = latencies({"bare": (bare_client, ["/"])})["bare"]
                form_median, form_p99 = one_client(base, centre_id)
                single.append((bare_median, bare_p99, form_median, form_p99))
                floor_single.append(one_at_a_time(lambda n: plan_bare(floor_client, n))[0])
                one_save.append(bare_save_latency(directory))
                bare_rate = bare_save_rate(directory, CONCURRENT * 2)
                clients = [signed_in(base) for _ in range(CLIENTS)]  # signing in is not a command: not counted
                names, before = _tree(os.getpid()), platform_cpu(frozenset({floor_pid}))
                concurrent.append((bare_rate, eight_clients(clients, lambda c, n: plan(c, centre_id, n))))
                after = platform_cpu(frozenset({floor_pid}))
                for client in clients:
                    client.close()
                used: dict[str, float] = {}
                for pid in before:
                    name = names[pid]
                    used[name] = used.get(name, 0.0) + 1000 * (after.get(pid, before[pid]) - before[pid]) / CONCURRENT
                cpu_per_command.append(used)
                floor_clients = [httpx.Client(base_url=floor) for _ in range(CLIENTS)]
                floor_rates.append(eight_clients(floor_clients, plan_bare))
                for client in floor_clients:
                    client.close()
                fresh.append(freshness(settings, store, centre_id))
                print(f"bench: commands round {round_ + 1}/{ROUNDS}: form {form_median:.1f} ms (bare {bare_median:.2f}); "
                      f"{concurrent[-1][1]:.0f} commands/s (bare {concurrent[-1][0]:.0f} saves/s); "
                      f"fresh p99 {fresh[-1][1]:.1f} ms", flush=True)
        stack.close()
        idle = [idle_cpu(directory) for _ in range(ROUNDS)]

    median_ratios = [form / bare for bare, _, form, _ in single]
    p99_ratios = [form / bare for _, bare, _, form in single]
    print(f"bench: (a) one client planning through the form, answered once projected: median "
          f"{statistics.median(s[2] for s in single):.1f} ms, p99 {statistics.median(s[3] for s in single):.1f} ms; "
          f"bare litestar page median {statistics.median(s[0] for s in single):.2f} ms")
    print(f"bench: (a) form median = {spread(median_ratios)} x the bare page's (target <= 3)")
    print(f"bench: (a) form p99 = {spread(p99_ratios)} x the bare page's p99")
    print(f"bench: (a) floor: the command and its projection alone (a bare litestar POST in its own process, "
          f"tests/bench/command_floor.py): median {statistics.median(floor_single):.1f} ms = "
          f"{spread([f / s[0] for f, s in zip(floor_single, single)])} x the bare page")
    print(f"bench: (a) bound: one bare eventsourcing save (its durable commit, one thread): median "
          f"{statistics.median(one_save):.2f} ms = {spread([save / bare for save, (bare, _, _, _) in zip(one_save, single)])}"
          f" x the bare page")
    rates = [commands / saves for saves, commands in concurrent]
    print(f"bench: (b) {CLIENTS} clients: {statistics.median(c for _, c in concurrent):.0f} commands/s; bare "
          f"eventsourcing {statistics.median(s for s, _ in concurrent):.0f} saves/s ({CLIENTS} threads, SQLite): "
          f"{spread(rates)} x (target >= 0.3)")
    print(f"bench: (b) floor: that bare POST, {CLIENTS} clients: {statistics.median(floor_rates):.0f} commands/s = "
          f"{spread([f / saves for f, (saves, _) in zip(floor_rates, concurrent)])} x the bare saves")
    totals_cpu = [sum(used.values()) for used in cpu_per_command]
    print(f"bench: (b) bound: CPU per command over the platform's processes: {spread(totals_cpu, 'ms')}; "
          f"{os.cpu_count()} cores give at most {1000 * (os.cpu_count() or 1) / statistics.median(totals_cpu):.0f} commands/s")
    for name in sorted({n for used in cpu_per_command for n in used}):
        print(f"bench: (b)   {name}: {spread([used.get(name, 0.0) for used in cpu_per_command], 'ms')}")
    print(f"bench: (c) commit -> projected at 100 commands/s: p50 {spread([p50 for p50, _ in fresh], 'ms')}; "
          f"p99 {spread([p99 for _, p99 in fresh], 'ms')} (target p99 <= 50 ms)")
    totals = [sum(one.values()) for one in idle]
    print(f"bench: (d) idle mrezha run over {IDLE_SECONDS} s, whole platform: {spread(totals, '% of a core')} "
          f"(target < 1)")
    for name in sorted({n.split("[")[0] for one in idle for n in one}):
        values = [sum(v for n, v in one.items() if n.split("[")[0] == name) for one in idle]
        print(f"bench: (d)   {name}: {spread(values, '%')}")
    return 0


def spread(values: list[float], unit: str = "") -> str:
    unit = f" {unit}" if unit else ""
    return (f"median {statistics.median(values):.2f}{unit} (min {min(values):.2f}, max {max(values):.2f}; "
            f"{len(values)} rounds: {', '.join(f'{v:.2f}' for v in values)})")
