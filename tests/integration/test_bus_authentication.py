"""The embedded bus lets in only its own users, each with the rights its part needs: the relay
publishes, the projector and subscribers only read, and nobody but the admin may purge."""

from __future__ import annotations

import asyncio
import stat
from pathlib import Path
from typing import Any

import nats
import pytest
from nats.js.api import ConsumerConfig, DeliverPolicy

from contract.envelope import INTERNAL_STREAM, STREAM
from infra.bus import ensure_stream
from infra.bus_auth import credentials_path, inbox_prefix, url_for
from infra.nats_server import NatsServer
from tests.support.stream import run_apart


class Refusals:
    """What the server said no to, as nats-py reports it to the error callback."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    async def record(self, error: Exception) -> None:
        self.errors.append(str(error))

    @property
    def permission_violations(self) -> list[str]:
        return [e for e in self.errors if "permissions violation" in e.lower()]


async def _connect(url: str, refusals: Refusals | None = None, **options: Any) -> nats.NATS:
    return await nats.connect(url, error_cb=(refusals or Refusals()).record, allow_reconnect=False, connect_timeout=2,
                              **options)


async def _publish_as_relay(url: str, count: int) -> None:
    nc = await _connect(url, inbox_prefix=inbox_prefix("relay"))
    try:
        js = nc.jetstream(timeout=5)
        await ensure_stream(js)
        for n in range(1, count + 1):
            await js.publish("mrezha.centre.registered", b"{}", headers={"Nats-Msg-Id": str(n)})
        await js.publish("mrezha.audit.checkpoint", b"{}", headers={"Nats-Msg-Id": str(count + 1)})
    finally:
        await nc.close()


async def _messages(url: str) -> int:
    nc = await _connect(url)
    try:
        return int((await nc.jetstream().stream_info(STREAM)).state.messages)
    finally:
        await nc.close()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"  # where the nats_server fixture made the credentials


def as_user(server: NatsServer, data_dir: Path, role: str) -> str:
    return url_for(server.url, data_dir, role)


def test_the_credentials_are_made_once_and_readable_by_their_owner_only(nats_server, data_dir):
    path = credentials_path(data_dir)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((nats_server.directory / "nats-server.conf").stat().st_mode) == 0o600


def test_a_connection_without_credentials_is_refused(nats_server):
    with pytest.raises((nats.errors.Error, OSError)) as refused:
        run_apart(_connect(nats_server.url))
    assert "authorization violation" in str(refused.value).lower()


def test_a_connection_with_a_wrong_password_is_refused(nats_server):
    with pytest.raises((nats.errors.Error, OSError)):
        run_apart(_connect(nats_server.url.replace("nats://", "nats://subscriber:guessed@")))


def test_the_relay_publishes_events_and_audit_checkpoints(nats_server, data_dir):
    run_apart(_publish_as_relay(as_user(nats_server, data_dir, "relay"), 3))
    assert run_apart(_messages(as_user(nats_server, data_dir, "subscriber"))) == 4


async def _try_to_publish(url: str, role: str) -> tuple[list[str], Any]:
    """Publish as the given user; what the server refused, and what the publish raised."""
    refusals = Refusals()
    nc = await _connect(url, refusals, inbox_prefix="_INBOX" if role == "subscriber" else inbox_prefix(role))
    raised: Any = None
    try:
        nc_js = nc.jetstream(timeout=1)
        try:
            await nc_js.publish("mrezha.centre.registered", b'{"forged": true}', headers={"Nats-Msg-Id": "999"})
        except (nats.errors.Error, asyncio.TimeoutError) as error:
            raised = error
        await nc.publish("mrezha.activity.planned", b'{"forged": true}')  # core NATS, no ack asked
        await nc.flush()
        await asyncio.sleep(0.2)
    finally:
        await nc.close()
    return refusals.permission_violations, raised


@pytest.mark.parametrize("role", ["subscriber", "projector", "monitor"])
def test_a_reader_cannot_publish_on_the_stream(nats_server, data_dir, role):
    # Given a stream the relay filled
    run_apart(_publish_as_relay(as_user(nats_server, data_dir, "relay"), 3))

    # When a reader publishes on the stream's subjects
    violations, raised = run_apart(_try_to_publish(as_user(nats_server, data_dir, role), role))

    # Then the server refuses both messages and the stream holds only the relay's
    assert raised is not None
    assert len(violations) >= 2, violations
    assert run_apart(_messages(as_user(nats_server, data_dir, "admin"))) == 4


async def _try_to_destroy(url: str) -> dict[str, str]:
    nc = await _connect(url)
    outcomes = {}
    try:
        js = nc.jetstream(timeout=1)
        for name, attempt in {
            "purge": js.purge_stream(STREAM),
            "delete": js.delete_stream(STREAM),
            "delete a message": js.delete_msg(STREAM, 1),
            "delete the projector's consumer": js.delete_consumer(INTERNAL_STREAM, "projector"),
            "take over the projector's name": js.add_consumer(STREAM, ConsumerConfig(durable_name="projector")),
            "make a stream": js.add_stream(name="MINE", subjects=["mine.>"]),
        }.items():
            try:
                await attempt
                outcomes[name] = "done"
            except (nats.errors.Error, asyncio.TimeoutError) as error:
                outcomes[name] = f"refused ({type(error).__name__})"
    finally:
        await nc.close()
    return outcomes


async def _projector_consumer(url: str) -> None:
    nc = await _connect(url, inbox_prefix=inbox_prefix("projector"))
    try:
        await nc.jetstream(timeout=5).add_consumer(INTERNAL_STREAM, ConsumerConfig(durable_name="projector"))
    finally:
        await nc.close()


def test_a_subscriber_cannot_purge_or_delete_the_stream_nor_the_projectors_consumer(nats_server, data_dir):
    run_apart(_publish_as_relay(as_user(nats_server, data_dir, "relay"), 3))
    run_apart(_projector_consumer(as_user(nats_server, data_dir, "projector")))

    outcomes = run_apart(_try_to_destroy(as_user(nats_server, data_dir, "subscriber")))

    assert all(outcome.startswith("refused") for outcome in outcomes.values()), outcomes
    assert run_apart(_messages(as_user(nats_server, data_dir, "admin"))) == 4


async def _read_with_a_durable(url: str, count: int) -> list[str]:
    nc = await _connect(url)
    try:
        js = nc.jetstream(timeout=5)
        sub = await js.pull_subscribe("mrezha.>", durable="their-system", stream=STREAM,
                                      config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL))
        received: list[str] = []
        while len(received) < count:
            for msg in await sub.fetch(count, timeout=5):
                received.append(msg.headers["Nats-Msg-Id"])
                await msg.ack()
        await js.consumer_info(STREAM, "their-system")
        return received
    finally:
        await nc.close()


def test_a_subscriber_reads_the_stream_with_a_durable_consumer_of_its_own(nats_server, data_dir):
    run_apart(_publish_as_relay(as_user(nats_server, data_dir, "relay"), 3))

    received = run_apart(_read_with_a_durable(as_user(nats_server, data_dir, "subscriber"), 4))

    assert received == ["1", "2", "3", "4"]


def test_an_external_servers_own_credentials_in_the_url_are_kept(data_dir, nats_server):
    external = "nats://them:secret@nats.example.org:4222"
    assert url_for(external, data_dir, "relay") == external
    assert url_for(nats_server.url, data_dir, "relay").startswith("nats://relay:")


def test_mrezha_bus_url_gives_a_subscriber_its_read_only_url_from_the_data_dir(nats_server, data_dir):
    import os
    import subprocess
    import sys

    from tests.support.processes import ROOT

    # Given the relay made the stream
    run_apart(_publish_as_relay(as_user(nats_server, data_dir, "relay"), 3))

    # When a subscriber asks for its URL
    env = {k: v for k, v in os.environ.items() if not k.startswith("MREZHA_")}
    env.update(MREZHA_DATA_DIR=str(data_dir), MREZHA_NATS_URL=nats_server.url)
    done = subprocess.run([sys.executable, "-m", "mrezha", "bus-url"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)

    # Then it is the subscriber's, and reading with it works while publishing does not
    url = done.stdout.strip()
    assert done.returncode == 0 and url.startswith("nats://subscriber:"), done.stderr
    assert run_apart(_read_with_a_durable(url, 4)) == ["1", "2", "3", "4"]
    violations, _ = run_apart(_try_to_publish(url, "subscriber"))
    assert violations


def test_the_relay_finds_its_place_on_the_public_stream_behind_an_audit_checkpoint(nats_server, data_dir):
    from infra.bus import last_published_id

    async def publish_and_read(url: str) -> int:
        nc = await _connect(url, inbox_prefix=inbox_prefix("relay"))
        try:
            js = nc.jetstream(timeout=5)
            await ensure_stream(js)
            await js.publish("mrezha.centre.registered", b"{}", headers={"Nats-Msg-Id": "7", "ce-id": "7"})
            await js.publish("mrezha.audit.checkpoint", b"{}", headers={"Nats-Msg-Id": "checkpoint-2026-1"})
            return await last_published_id(js, STREAM)
        finally:
            await nc.close()

    assert run_apart(publish_and_read(as_user(nats_server, data_dir, "relay"))) == 7
