"""The two-commands promise: `mrezha run` (what `make run` starts) serves the demo at the URL it
prints, Ctrl-C stops every process it started, and a second run keeps the data without reloading it."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from bs4 import BeautifulSoup

from demo.seeds import ACTIVITIES, CENTRES
from infra.nats_server import free_port, port_is_free
from tests.support.processes import ROOT, eventually

START_TIMEOUT = 60
STOP_TIMEOUT = 15


class Run:
    """`python -m mrezha run` with its stdout read line by line on a thread (so the pipe never fills)."""

    def __init__(self, data_dir: Path, port: int, **settings: str) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MREZHA_")}
        env.update(MREZHA_DATA_DIR=str(data_dir), MREZHA_PORT=str(port), PYTHONUNBUFFERED="1", **settings)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mrezha", "run"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(self, pattern: str, timeout: float) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            self.lines.append(line)
            if found := re.search(pattern, line):
                return found
        raise AssertionError(f"no line matching {pattern!r} within {timeout}s; output:\n" + "\n".join(self.lines))

    def rest_of_output(self) -> str:
        while (line := self._queue.get(timeout=5)) is not None:
            self.lines.append(line)
        return "\n".join(self.lines)

    def stop(self) -> None:
        """After a failed step: Ctrl-C, then kill whatever is still running below it."""
        if self.process.poll() is not None:
            return
        below = descendants(self.process.pid)
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for pid, cmdline in below.items():
            if alive(pid, cmdline):
                os.kill(pid, signal.SIGKILL)


def descendants(pid: int) -> dict[int, str]:
    """Every process below ``pid``, with its command line (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: dict[int, str] = {}
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        for child, its_parent in parents.items():
            if its_parent == parent and child not in found:
                found[child] = command_line(child)
                frontier.append(child)
    return found


def command_line(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def alive(pid: int, cmdline: str) -> bool:
    """Still running (not a zombie) and still the same program."""
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z" and command_line(pid) == cmdline


def processes_mentioning(data_dir: Path) -> list[str]:
    """Running processes whose command line or environment names the data dir."""
    marker = str(data_dir).encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker in (entry / "cmdline").read_bytes() or marker in (entry / "environ").read_bytes():
                if alive(int(entry.name), command_line(int(entry.name))):
                    found.append(f"{entry.name}: {command_line(int(entry.name))}")
        except OSError:
            continue
    return found


def page(url: str) -> BeautifulSoup:
    with urllib.request.urlopen(url, timeout=5) as response:
        assert response.status == 200
        return BeautifulSoup(response.read().decode(), "html.parser")


SEED_TITLES = ("Предизвикателствата на младежката работа", "Под многобройните маски на младежката работа")


def member_centres_figure(base_url: str) -> int:
    """The front page's count of member centres ("N центрове членове")."""
    for figure in page(base_url).select(".figures article"):
        if figure.p and figure.p.get_text(strip=True) == "центрове членове":
            return int(figure.h2.get_text(strip=True))
    raise AssertionError("the front page shows no count of member centres")


def the_demo_is_visible(base_url: str) -> bool:
    home = page(base_url).get_text()
    # The seeds' activities are dated; the calendar lists them as upcoming or as past
    calendar = page(base_url + "calendar").get_text() + page(base_url + "calendar?when=past").get_text()
    return (
        member_centres_figure(base_url) == len(CENTRES)
        and all(centre["name"] in home for centre in CENTRES)
        and all(activity["title"] in calendar for activity in ACTIVITIES)
    )


def test_mrezha_run_serves_the_demo_stops_everything_on_ctrl_c_and_keeps_the_data(tmp_path):
    data_dir = tmp_path / "var"
    port = free_port()

    # Given a first start on an empty data dir, with no NATS server configured
    first = Run(data_dir, port)
    try:
        url = first.wait_for(r"serving at (http://\S+)", START_TIMEOUT).group(1)
        # Then it announced the embedded bus and the demo, and serves at the configured port
        assert url == f"http://127.0.0.1:{port}/"
        output = "\n".join(first.lines)
        assert "embedded nats-server" in output and "demo data loaded" in output
        nats_port = int(re.search(r"nats://127\.0\.0\.1:(\d+)", output).group(1))

        # And the front page shows the five demo centres, the calendar the seeds' activities
        assert len(CENTRES) == 5 and all(any(a["title"] == t for a in ACTIVITIES) for t in SEED_TITLES)
        eventually(lambda: the_demo_is_visible(url), timeout=30, message="the demo never became visible")

        # And it runs the web, relay, projector and nats-server below it
        children = descendants(first.process.pid)
        assert any("nats-server" in c for c in children.values()), children
        for name in ("web", "relay", "projector"):
            assert any(c.endswith(f"-m mrezha {name} ") for c in children.values()), (name, children)

        # When Ctrl-C reaches it
        first.process.send_signal(signal.SIGINT)

        # Then it exits promptly, and nothing it started is left running
        assert first.process.wait(timeout=STOP_TIMEOUT) == 0
        assert "mrezha: stopped" in first.rest_of_output()
        left = {pid: cmd for pid, cmd in children.items() if alive(pid, cmd)}
        assert left == {}
        assert processes_mentioning(data_dir) == []
        assert port_is_free(port) and port_is_free(nats_port)
    finally:
        first.stop()

    # Given a second start on the same data dir
    second = Run(data_dir, port)
    try:
        url = second.wait_for(r"serving at (http://\S+)", START_TIMEOUT).group(1)
        # Then the demo is not loaded again and the page still shows five centres
        assert "demo data loaded" not in "\n".join(second.lines)
        eventually(lambda: the_demo_is_visible(url), timeout=30, message="the kept data never became visible")
        time.sleep(1)  # give a wrongly reloaded demo time to be projected
        assert member_centres_figure(url) == 5
        second.process.send_signal(signal.SIGINT)
        assert second.process.wait(timeout=STOP_TIMEOUT) == 0
        assert "demo data loaded" not in second.rest_of_output()
        assert processes_mentioning(data_dir) == []
    finally:
        second.stop()


def test_a_production_start_loads_no_demo_prints_no_password_and_the_first_account_comes_from_the_cli(tmp_path):
    data_dir = tmp_path / "var"
    port = free_port()
    # Given a start with the demo off, on an empty data dir
    run = Run(data_dir, port, MREZHA_DEMO="off")
    try:
        url = run.wait_for(r"serving at (http://\S+)", START_TIMEOUT).group(1)
        output = "\n".join(run.lines)
        # Then no demo is loaded, no account or password is printed, and the way to the first account is
        assert "demo" not in output and "secretariat  " not in output
        assert "mrezha user add" in output
        assert member_centres_figure(url) == 0
        assert not (data_dir / "demo-accounts.txt").exists()
        # When the first account is made on the command line
        env = {k: v for k, v in os.environ.items() if not k.startswith("MREZHA_")}
        added = subprocess.run(
            [sys.executable, "-m", "mrezha", "user", "add", "ivana", "--role", "secretariat", "--name", "Ивана Петрова",
             "--password-stdin"],
            input="кафе на гарата в четвъртък\n", capture_output=True, text=True, cwd=ROOT, timeout=60,
            env={**env, "MREZHA_DATA_DIR": str(data_dir)},
        )
        # Then it is created and signs in
        assert added.returncode == 0, added.stderr
        with urllib.request.urlopen(url + "login", timeout=5) as login_page:
            token = re.search(r'name="_csrf_token" value="([^"]+)"', login_page.read().decode()).group(1)
            cookie = login_page.headers["set-cookie"].split(";")[0]
        form = urllib.parse.urlencode({"username": "ivana", "password": "кафе на гарата в четвъртък", "next": "/",
                                       "_csrf_token": token}).encode()
        request = urllib.request.Request(url + "login", data=form, headers={"cookie": cookie})

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):  # the 303 itself is the answer wanted
                return None

        try:
            urllib.request.build_opener(NoRedirect).open(request, timeout=10)
            raise AssertionError("signing in did not redirect")
        except urllib.error.HTTPError as answer:
            assert answer.code == 303 and "mrezha_session=" in answer.headers["set-cookie"]
        run.process.send_signal(signal.SIGINT)
        assert run.process.wait(timeout=STOP_TIMEOUT) == 0
    finally:
        run.stop()
