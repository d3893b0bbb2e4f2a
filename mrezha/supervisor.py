"""``mrezha run``: set up, start every process, print the URL, stop them all on Ctrl-C.

The bus: MREZHA_NATS_URL when it answers, otherwise an embedded nats-server
from the wheel (port 4222, or a free one when that is taken). The store is
created and, the first time, filled with the demo data from the seeds. Then
the web, relay and projector run as child processes; one that dies is restarted,
and so is the embedded nats-server (on the same port, with the same store).
"""

from __future__ import annotations

import asyncio
import http.client
import os
import select
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from infra.bus import StallWatch, newest_published, wait_until_reachable
from infra.children import die_with_parent
from demo.seeds import DEMO_ACCOUNTS, load_demo_if_empty
from infra.bus_auth import ensure_credentials, inbox_prefix
from infra.nats_server import NatsServer, free_port
from infra.security import Security
from infra.wakeups import SAFETY_POLL_SECONDS
from infra.settings import Settings
from infra.sql import open_database
from application.app import MrezhaApplication
from infra.store import store_environment

CHILDREN = ("web", "relay", "projector")


def run(settings: Settings) -> int:
    stopping = False
    nudge = Nudge()

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True
        nudge()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGCHLD, nudge)  # a child that ends is seen at once, not at the next look

    nats = None
    url = settings.nats_url
    if url and asyncio.run(wait_until_reachable(url, timeout=2)):
        print(f"mrezha: using the NATS server at {url}", flush=True)
    else:
        if url:
            print(f"mrezha: {url} does not answer; starting an embedded nats-server", flush=True)
        credentials = ensure_credentials(settings.data_dir)  # made once; only their users get in
        nats = NatsServer(settings.data_dir / "nats", free_port(4222), credentials=credentials).start()
        url = nats.url
        print(f"mrezha: embedded nats-server with JetStream at {url}", flush=True)
    settings = replace(settings, nats_url=url)

    store, db = MrezhaApplication(env=store_environment(settings)), open_database(settings)
    try:
        security = Security(db)
        security.create_tables()
        store.passwords = security
        # The demo only where asked (`make run`, MREZHA_DEMO=on by default); a real installation
        # (MREZHA_DEMO=off) starts empty and its first account comes from `mrezha user add`
        passwords = load_demo_if_empty(store) if settings.demo else None
        if passwords is not None:
            print("mrezha: demo data loaded from the seeds", flush=True)
            save_demo_accounts(settings, passwords)
        if not settings.demo and not security.has_accounts():
            print("mrezha: no account yet; create the first with: "
                  "mrezha user add NAME --role secretariat --name \"Full Name\"", flush=True)
    finally:
        store.close()
        db.close()

    env = {**os.environ, "MREZHA_NATS_URL": url, "MREZHA_DATA_DIR": str(settings.data_dir),
           "MREZHA_DATABASE_URL": settings.database_url}
    health_store = MrezhaApplication(env=store_environment(settings))
    bus_health = BusHealth(health_store)
    processes = {name: _spawn(name, env) for name in CHILDREN}
    try:
        if _wait_for_web(settings, processes["web"], lambda: stopping):
            if settings.demo:
                print_demo_accounts(settings)
            print(f"mrezha: serving at {settings.base_url}  (Ctrl-C stops everything)", flush=True)
        while not stopping:
            nudge.wait(SAFETY_POLL_SECONDS)
            if nats is not None and nats.process is not None and nats.process.poll() is not None:
                _restart_bus(nats, f"nats-server exited ({nats.process.poll()})")
            elif nats is not None and bus_health.stuck(nats.url_as("monitor")):
                nats.stop()
                _restart_bus(nats, "nats-server has stopped taking the store's events (a full disk?)")
            for name, process in processes.items():
                code = process.poll()
                if code is not None and not stopping:
                    if name == "web" and code == 2:
                        print("mrezha: the web process cannot start; stopping", flush=True)
                        stopping = True
                        break
                    print(f"mrezha: {name} exited ({code}); restarting it", flush=True)
                    time.sleep(0.5)
                    processes[name] = _spawn(name, env)
    finally:
        _stop_all(list(processes.values()))
        health_store.close()
        if nats is not None:
            nats.stop()
        print("mrezha: stopped", flush=True)
    return 0


class Nudge:
    """Cuts the supervisor's wait short: a signal handler (a child ended, Ctrl-C) writes a byte to a
    pipe that the wait selects on, so it looks at once, and otherwise once a second."""

    def __init__(self) -> None:
        self._read, self._write = os.pipe()
        os.set_blocking(self._read, False)
        os.set_blocking(self._write, False)

    def __call__(self, *_: object) -> None:
        try:
            os.write(self._write, b"\0")
        except BlockingIOError:  # the pipe is full: a nudge is already waiting
            pass

    def wait(self, seconds: float) -> None:
        select.select([self._read], [], [], seconds)
        try:
            while os.read(self._read, 512):
                pass
        except BlockingIOError:
            pass


class BusHealth:
    """Every few seconds, compares the stream's newest message with the store's last event. A
    nats-server whose disk filled up refuses writes, and goes on refusing them once space is free
    again until it restarts: when the stream has stalled behind the store, the supervisor restarts it.
    The bus is asked only when the store holds more than the stream did when last asked (an idle
    platform makes no connection every few seconds)."""

    EVERY_SECONDS = 5.0

    def __init__(self, store: MrezhaApplication) -> None:
        self.store = store
        self.watch = StallWatch()
        self.asked_at = time.monotonic()
        self.published = -1  # the stream's newest notification id when last asked (-1: never asked)

    def stuck(self, url: str) -> bool:
        if time.monotonic() - self.asked_at < self.EVERY_SECONDS:
            return False
        self.asked_at = time.monotonic()
        stored = self.store.last_notification_id()
        if stored <= self.published:  # nothing stored since the stream was last seen to hold it: nothing to ask
            self.watch.stalled(stored, self.published, time.monotonic())
            return False
        published = asyncio.run(newest_published(url, inbox_prefix("monitor")))
        if published is None:  # not answering: a dead process is seen, a live one is reconnected to
            return False
        self.published = published
        if self.watch.stalled(stored, published, time.monotonic()):
            self.watch = StallWatch()
            return True
        return False


def _restart_bus(nats: NatsServer, why: str) -> None:
    """Start the embedded nats-server again. Its clients reconnect by themselves, and the relay
    publishes what was stored meanwhile."""
    print(f"mrezha: {why}; restarting it", flush=True)
    try:
        nats.start()
    except RuntimeError as error:  # the port is not free yet, or it failed at once: try again shortly
        print(f"mrezha: nats-server did not start again ({error}); retrying", flush=True)
        time.sleep(1)


def _accounts_file(settings: Settings) -> Path:
    return settings.data_dir / "demo-accounts.txt"


def save_demo_accounts(settings: Settings, passwords: dict[str, str]) -> None:
    """The demo passwords are made at random on first start and kept only in the data dir."""
    path = _accounts_file(settings)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as file:
        for (username, _name, role, _centre) in DEMO_ACCOUNTS:
            file.write(f"{username}\t{passwords[username]}\t{role}\n")


def print_demo_accounts(settings: Settings) -> None:
    path = _accounts_file(settings)
    if not path.exists():
        return
    print("mrezha: demo accounts (user name, password, role):", flush=True)
    for line in path.read_text().splitlines():
        username, password, role = line.split("\t")
        print(f"    {username:<12} {password:<16} {role}", flush=True)


def _spawn(name: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    # Own session: Ctrl-C reaches only the supervisor, which stops the children in order.
    # die_with_parent: should the supervisor itself be killed, no child outlives it.
    return subprocess.Popen(
        [sys.executable, "-m", "mrezha", name], env=env, start_new_session=True, preexec_fn=die_with_parent
    )


def _wait_for_web(
    settings: Settings, process: subprocess.Popen[bytes], stopped: Callable[[], bool], timeout: float = 30
) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not stopped():
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(settings.base_url + "healthz", timeout=1):
                return True
        except (OSError, http.client.HTTPException):  # not listening yet, or closed the connection early
            time.sleep(0.1)
    return False


def _stop_all(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
