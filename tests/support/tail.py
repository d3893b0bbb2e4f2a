"""``mrezha tail`` as a child process whose JSON lines a test reads as they come."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from typing import Any

from infra.settings import Settings
from tests.support.processes import ROOT, environment


class TailProcess:
    def __init__(self, settings: Settings, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mrezha", "tail", *args],
            env=environment(settings), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        self._start_readers()

    def _start_readers(self) -> None:
        self._lines: queue.Queue[bytes | None] = queue.Queue()
        self._said: list[str] = []
        threading.Thread(target=self._read, args=(self.process.stdout, self._lines.put), daemon=True).start()
        threading.Thread(target=self._read, args=(self.process.stderr, self._note), daemon=True).start()

    @staticmethod
    def _read(stream: Any, put: Any) -> None:
        for line in stream:
            put(line)
        put(None)

    def _note(self, line: bytes | None) -> None:
        if line is not None:
            self._said.append(line.decode(errors="replace"))

    @property
    def stderr(self) -> str:
        return "".join(self._said)

    def wait_until_said(self, text: str, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.stderr:
            if time.monotonic() > deadline:
                raise AssertionError(f"mrezha tail never said {text!r}; it said:\n{self.stderr}")
            time.sleep(0.05)

    def lines(self, count: int, timeout: float = 30.0) -> list[dict[str, Any]]:
        """The next ``count`` events it printed, parsed."""
        deadline = time.monotonic() + timeout
        found = []
        while len(found) < count:
            try:
                line = self._lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"only {len(found)} of {count} lines came; it said:\n{self.stderr}") from None
            if line is None:
                raise AssertionError(f"tail ended after {len(found)} of {count} lines:\n{self.stderr}")
            found.append(json.loads(line))
        return found

    def wait(self, timeout: float = 30.0) -> int:
        return self.process.wait(timeout=timeout)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
