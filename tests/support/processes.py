"""Real processes for integration tests: nats-server, relay, projector."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from infra.nats_server import NatsServer
from infra.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def environment(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MREZHA_")}
    env.update(
        MREZHA_DATA_DIR=str(settings.data_dir),
        MREZHA_DATABASE_URL=settings.database_url,
        MREZHA_NATS_URL=settings.nats_url or "",
        MREZHA_SECRET_KEY=settings.secret_key,
        MREZHA_HOST=settings.host,
        MREZHA_PORT=str(settings.port),
        MREZHA_PROJECTION_WAIT=str(settings.projection_wait_seconds),
        MREZHA_STREAM_REPLICAS=str(settings.stream_replicas),
        MREZHA_METRICS_FROM=",".join(settings.metrics_from),
        MREZHA_LIVE_STREAM_SECONDS=str(settings.live_stream_seconds),
        PYTHONUNBUFFERED="1",
    )
    return env


class Worker:
    """``mrezha relay`` or ``mrezha projector`` as a child process that a test may kill."""

    def __init__(self, name: str, settings: Settings, log_dir: Path) -> None:
        self.name = name
        self.settings = settings
        self.log_path = log_dir / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Worker:
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mrezha", self.name],
            env=environment(self.settings),
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        return self

    def kill(self) -> None:
        """SIGKILL: no chance to finish anything."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def kill_server(server: NatsServer) -> None:
    """SIGKILL the nats-server: no chance to flush or to close its connections."""
    if server.process is not None and server.process.poll() is None:
        server.process.kill()
        server.process.wait()


def answers(url: str) -> bool:
    """Whether a GET of the URL answers 200 now (False while nothing listens there)."""
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.TransportError:
        return False


def eventually(
    condition: Callable[[], object], timeout: float = 20.0, message: str = "", interval: float = 0.05
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(message or "condition not met in time")
