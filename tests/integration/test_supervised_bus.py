"""`mrezha run` looks after its embedded nats-server: SIGKILLed while people plan activities, it is
started again by the supervisor; every command succeeds throughout, and afterwards the stream holds
every stored event once, in order, and the read models equal a rebuild from the store."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from uuid import uuid4

import httpx
from bs4 import BeautifulSoup

from application.app import MrezhaApplication
from contract.headers import source_for
from infra.bus_auth import url_for
from infra.nats_server import free_port
from infra.settings import load_settings
from infra.sql import open_database
from infra.store import store_environment
from tests.integration.test_make_run import START_TIMEOUT, Run, descendants
from tests.support.processes import eventually
from tests.support.delivery import caught_up, compare_read_models_with_rebuilt, compare_stream_with_store
from infra.sql import SQLiteDatabase


def signed_in(base: str, data_dir: Path) -> httpx.Client:
    accounts = dict(line.split("\t")[:2] for line in (data_dir / "demo-accounts.txt").read_text().splitlines())
    client = httpx.Client(base_url=base, timeout=30)
    client.get("/login")
    response = client.post("/login", data={"username": "dobrich", "password": accounts["dobrich"], "next": "/"},
                           headers={"x-csrftoken": client.cookies["csrftoken"]})
    assert response.status_code == 303, response.text
    return client


def dobrichs_centre(client: httpx.Client) -> str:
    """The centre the plan form offers dobrich, once the demo is projected (the web answers before that)."""
    def offered() -> list[str]:
        form = BeautifulSoup(client.get("/calendar").text, "html.parser")
        return [o["value"] for o in form.select('select[name="host_centre_id"] option') if o["value"]]

    eventually(lambda: bool(offered()), 30, "the demo's centres were never projected")
    return offered()[0]


def test_a_killed_nats_server_is_restarted_by_mrezha_run_and_commands_succeed_throughout(tmp_path: Path):
    data_dir, port = tmp_path / "data", free_port()
    run = Run(data_dir, port)
    try:
        nats_url = url_for(run.wait_for(r"JetStream at (nats://\S+)", START_TIMEOUT).group(1), data_dir, "admin")
        run.wait_for("serving at", START_TIMEOUT)
        base = f"http://127.0.0.1:{port}"
        client = signed_in(base, data_dir)
        centre_id = dobrichs_centre(client)
        statuses: list[int] = []
        stop = threading.Event()

        def plan_activities() -> None:
            n = 0
            while not stop.is_set():
                on = (date.today() + timedelta(days=20 + n % 100)).isoformat()
                response = client.post(
                    "/activities",
                    data={"title": f"Обмен {n}", "kind": "exchange", "starts_on": on, "ends_on": on,
                          "city": "Добрич", "host_centre_id": centre_id, "_submission": uuid4().hex},
                    headers={"x-csrftoken": client.cookies["csrftoken"], "HX-Request": "true"},
                )
                statuses.append(response.status_code)
                n += 1
                time.sleep(0.1)

        planner = threading.Thread(target=plan_activities)
        planner.start()
        time.sleep(2)
        [bus] = [pid for pid, command in descendants(run.process.pid).items() if "nats-server" in command]
        os.kill(bus, signal.SIGKILL)
        run.wait_for(r"nats-server exited \(-9\); restarting it", 20)
        time.sleep(4)
        stop.set()
        planner.join(30)

        assert statuses and set(statuses) == {201}, statuses
        assert [pid for pid, command in descendants(run.process.pid).items() if "nats-server" in command] != [bus]

        settings = load_settings({"MREZHA_DATA_DIR": str(data_dir), "MREZHA_NATS_URL": nats_url})
        store = MrezhaApplication(env=store_environment(settings))
        read_db = open_database(settings)
        fresh = SQLiteDatabase(tmp_path / "fresh.sqlite")
        try:
            caught_up(store, read_db, nats_url, 60)
            report = compare_stream_with_store(store, nats_url, source=source_for(settings.site_url))
            assert (report.duplicates, report.missing, report.in_order) == (0, 0, True), report.line()
            assert compare_read_models_with_rebuilt(store, read_db, fresh) == ""
        finally:
            fresh.close()
            read_db.close()
            store.close()
    finally:
        run.stop()


@contextmanager
def small_disk(path: Path, megabytes: int) -> Iterator[Path]:
    """A file system of its own, this small, mounted at ``path`` (a tmpfs: these machines run the
    tests as root)."""
    path.mkdir(parents=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(path)], check=True)
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=True)


def fill(disk: Path) -> Path:
    ballast = disk / "ballast"
    with open(ballast, "wb") as file:
        try:
            while True:
                file.write(b"\0" * 65536)
                file.flush()
        except OSError as error:
            assert error.errno == errno.ENOSPC
    return ballast


def test_the_bus_whose_disk_filled_up_recovers_by_itself_once_space_is_freed(tmp_path: Path):
    data_dir, port = tmp_path / "data", free_port()
    with small_disk(data_dir / "nats", 16) as disk:
        run = Run(data_dir, port)
        try:
            nats_url = url_for(run.wait_for(r"JetStream at (nats://\S+)", START_TIMEOUT).group(1), data_dir, "admin")
            run.wait_for("serving at", START_TIMEOUT)
            client = signed_in(f"http://127.0.0.1:{port}", data_dir)
            centre_id = dobrichs_centre(client)
            statuses = []

            def plan(n: int) -> None:
                on = (date.today() + timedelta(days=20 + n % 100)).isoformat()
                statuses.append(client.post(
                    "/activities",
                    data={"title": f"Обучение {n}", "kind": "training", "starts_on": on, "ends_on": on,
                          "city": "Добрич", "host_centre_id": centre_id, "_submission": uuid4().hex},
                    headers={"x-csrftoken": client.cookies["csrftoken"], "HX-Request": "true"},
                ).status_code)

            plan(0)
            ballast = fill(disk)  # the bus's disk is full
            for n in range(1, 4):
                plan(n)  # commands still succeed: the store is elsewhere
            run.wait_for(r"nats-server has stopped taking the store's events \(a full disk\?\); restarting it", 60)
            ballast.unlink()  # space is freed
            for n in range(4, 7):
                plan(n)

            assert statuses == [201] * 7, statuses
            settings = load_settings({"MREZHA_DATA_DIR": str(data_dir), "MREZHA_NATS_URL": nats_url})
            store = MrezhaApplication(env=store_environment(settings))
            read_db = open_database(settings)
            fresh = SQLiteDatabase(tmp_path / "fresh.sqlite")
            try:
                caught_up(store, read_db, nats_url, 90)
                report = compare_stream_with_store(store, nats_url, source=source_for(settings.site_url))
                assert (report.duplicates, report.missing, report.in_order) == (0, 0, True), report.line()
                assert compare_read_models_with_rebuilt(store, read_db, fresh) == ""
            finally:
                fresh.close()
                read_db.close()
                store.close()
        finally:
            run.stop()
