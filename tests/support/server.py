"""``mrezha web`` as a child process serving real HTTP, for tests that drive a browser."""

from __future__ import annotations

import time
import urllib.request
from pathlib import Path

from infra.settings import Settings
from tests.support.processes import Worker


class WebServer(Worker):
    """The web process on the settings' host and port; ``start`` returns once /healthz answers."""

    def __init__(self, settings: Settings, log_dir: Path) -> None:
        super().__init__("web", settings, log_dir)

    @property
    def url(self) -> str:
        return self.settings.base_url.rstrip("/")

    def start(self, timeout: float = 30.0) -> WebServer:
        super().start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"mrezha web exited ({self.process.returncode}):\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"mrezha web did not answer /healthz within {timeout}s:\n{self.log()}")
