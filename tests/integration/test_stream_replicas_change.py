"""A network that grows from one copy of its stream to three: the next worker to start
brings the existing stream to the configured count, and the events on it stay."""

from __future__ import annotations

import asyncio
from pathlib import Path

import nats
from nats.js.errors import NoStreamResponseError

from infra.bus import ensure_stream
from contract.envelope import STREAM
from tests.support.cluster import NatsCluster
from tests.support.processes import eventually
from tests.support.stream import quiet, run_apart


async def replicas_and_messages(url: str) -> tuple[int, int]:
    nc = await nats.connect(servers=url.split(","), error_cb=quiet)
    try:
        info = await nc.jetstream(timeout=5).stream_info(STREAM)
        return info.config.num_replicas, info.state.messages
    finally:
        await nc.close()


async def start_a_worker_with(url: str, replicas: int, publish: int = 0) -> None:
    """What the relay and the projector do first on every connection, and a few events."""
    nc = await nats.connect(servers=url.split(","), error_cb=quiet)
    try:
        js = nc.jetstream(timeout=10)
        await ensure_stream(js, replicas)
        for n in range(publish):
            for attempt in range(50):  # a stream just made takes a moment to take messages
                try:
                    await js.publish("mrezha.centre.registered", b"{}", headers={"Nats-Msg-Id": str(n + 1)})
                    break
                except NoStreamResponseError:
                    await asyncio.sleep(0.1)
            else:
                raise AssertionError("the stream never took a message")
    finally:
        await nc.close()


def test_raising_the_replica_setting_gives_the_existing_stream_three_copies_and_keeps_its_events(
    tmp_path: Path,
) -> None:
    cluster = NatsCluster(tmp_path / "cluster").start()
    try:
        # Given a stream made with one copy, holding events
        run_apart(start_a_worker_with(cluster.url, replicas=1, publish=25))
        assert run_apart(replicas_and_messages(cluster.url)) == (1, 25)

        # When a worker starts with MREZHA_STREAM_REPLICAS=3
        run_apart(start_a_worker_with(cluster.url, replicas=3))

        # Then the stream keeps three copies, every one current, with all its events
        assert run_apart(replicas_and_messages(cluster.url)) == (3, 25)
        eventually(lambda: len(cluster.replicas()) == 3 and all(cluster.replicas().values()), 30,
                   f"the copies did not catch up: {cluster.replicas()}")

        # And a worker started with the same setting changes nothing
        run_apart(start_a_worker_with(cluster.url, replicas=3))
        assert run_apart(replicas_and_messages(cluster.url)) == (3, 25)
    finally:
        cluster.stop()
