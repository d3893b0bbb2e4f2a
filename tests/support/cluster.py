"""A 3-node NATS cluster on loopback: three nats-servers with JetStream, routes between them."""

from __future__ import annotations

import time
from pathlib import Path

import nats

from infra.nats_server import NatsServer, free_port
from tests.support.processes import kill_server
from tests.support.stream import BUS_UNAVAILABLE, quiet, run_apart


class NatsCluster:
    def __init__(self, directory: Path, size: int = 3) -> None:
        names = [f"n{i + 1}" for i in range(size)]
        routes_ports = {name: free_port() for name in names}
        routes = ", ".join(f"nats-route://127.0.0.1:{port}" for port in routes_ports.values())
        self.nodes = {
            name: NatsServer(
                directory / name, free_port(), name=name,
                extra=f"cluster {{\n  name: mrezha\n  listen: 127.0.0.1:{routes_ports[name]}\n"
                      f"  routes: [{routes}]\n}}\n",
            )
            for name in names
        }

    @property
    def url(self) -> str:
        """Every node, comma-separated, as MREZHA_NATS_URL takes them."""
        return ",".join(node.url for node in self.nodes.values())

    def start(self, timeout: float = 30.0) -> NatsCluster:
        for node in self.nodes.values():
            node.start()
        deadline = time.monotonic() + timeout
        while not run_apart(self._jetstream_ready()):
            if time.monotonic() > deadline:
                raise RuntimeError("the cluster's JetStream never became ready")
            time.sleep(0.2)
        return self

    async def _jetstream_ready(self) -> bool:
        try:
            nc = await nats.connect(servers=self.url.split(","), connect_timeout=1, max_reconnect_attempts=1,
                                     error_cb=quiet)
        except BUS_UNAVAILABLE:
            return False
        try:
            await nc.jetstream(timeout=1).account_info()
            return True
        except BUS_UNAVAILABLE:
            return False
        finally:
            await nc.close()

    def stream_leader(self) -> str:
        async def ask() -> str:
            nc = await nats.connect(servers=self.url.split(","), error_cb=quiet)
            try:
                info = await nc.jetstream(timeout=5).stream_info("MREZHA")
                return info.cluster.leader
            finally:
                await nc.close()
        return run_apart(ask())

    def replicas(self) -> dict[str, bool]:
        """Each replica of the stream and whether it is current (the leader counts as current)."""
        async def ask() -> dict[str, bool]:
            nc = await nats.connect(servers=self.url.split(","), error_cb=quiet)
            try:
                info = await nc.jetstream(timeout=5).stream_info("MREZHA")
                return {info.cluster.leader: True} | {p.name: bool(p.current) for p in info.cluster.replicas or []}
            finally:
                await nc.close()
        return run_apart(ask())

    def stop(self) -> None:
        for node in self.nodes.values():
            kill_server(node)
