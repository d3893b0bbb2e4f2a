"""The public stream carries the network's facts, not its accounts: a subscriber with the
subscribers' credentials sees no account, no user name and no class path, and cannot read
the internal stream the projector reads; the account list is still projected."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from uuid import uuid4

import nats
import pytest
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from application.actor import acting_as
from application.submissions import submitting
from contract.envelope import INTERNAL_PREFIX, INTERNAL_STREAM, STREAM
from contract.headers import source_for
from infra.bus import stream_config
from infra.bus_auth import url_for
from projections.accounts import AccountsList
from tests.support.accounts import open_account
from tests.support.delivery import caught_up
from tests.support.processes import Worker, eventually
from tests.support.stream import as_admin, public_stream_messages, run_apart, stream_length, stream_messages

USER = "ivana.petrova"


async def _read_public_as_subscriber(url: str) -> list[tuple[str, dict[str, str], bytes]]:
    nc = await nats.connect(url, allow_reconnect=False)
    try:
        js = nc.jetstream(timeout=5)
        total = (await js.stream_info(STREAM)).state.messages
        sub = await js.pull_subscribe("mrezha.>", stream=STREAM, config=ConsumerConfig(
            deliver_policy=DeliverPolicy.ALL, ack_policy=AckPolicy.NONE))
        received: list[tuple[str, dict[str, str], bytes]] = []
        while len(received) < total:
            received += [(m.subject, dict(m.headers or {}), m.data) for m in await sub.fetch(100, timeout=5)]
        return received
    finally:
        await nc.close()


async def _read_internal_as_subscriber(url: str) -> dict[str, str]:
    nc = await nats.connect(url, allow_reconnect=False, error_cb=_quiet)
    outcomes = {}
    try:
        js = nc.jetstream(timeout=1)
        for name, attempt in {
            "stream info": js.stream_info(INTERNAL_STREAM),
            "get a message": js.get_msg(INTERNAL_STREAM, seq=1),
            "make a consumer": js.add_consumer(INTERNAL_STREAM, ConsumerConfig(
                durable_name="peek", filter_subject=f"{INTERNAL_PREFIX}.>")),
        }.items():
            try:
                await attempt
                outcomes[name] = "done"
            except (nats.errors.Error, asyncio.TimeoutError) as error:
                outcomes[name] = f"refused ({type(error).__name__})"
    finally:
        await nc.close()
    return outcomes


async def _quiet(error: Exception) -> None:
    """The permission violations are what the test expects."""


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    return sqlite_url


def test_a_subscriber_sees_the_networks_facts_but_no_account_and_no_user_name(
    store, settings, read_db, relay, projector
):
    # Given a secretariat account, and a centre it registered and whose staff it changed
    open_account(settings, USER, "secretariat")
    with acting_as(USER), submitting(f"{USER}/{uuid4().hex}", "centre.register"):  # as its form sends it
        centre_id, _ = store.centres.register_centre(name="Младежки център – Добрич", city="Добрич")
    with acting_as(USER):
        store.centres.apply_for_membership(centre_id)
    caught_up(store, read_db, settings.nats_url, 30, (relay, projector))

    # When a subscriber reads the public stream with the subscribers' credentials
    messages = run_apart(_read_public_as_subscriber(url_for(settings.nats_url, settings.data_dir, "subscriber")))

    # Then it gets the centre's facts, under the installation's own ce-source
    subjects = [subject for subject, _, _ in messages]
    assert subjects == ["mrezha.centre.registered", "mrezha.centre.membership_applied"]
    assert {headers["ce-source"] for _, headers, _ in messages} == {source_for(settings.site_url)}

    # And no account, no name claim, no user name, no class path anywhere in headers or bodies
    assert not [s for s in subjects if s.startswith(("mrezha.account.", "mrezha.centre_name.", "mrezha.submission."))]
    text = "".join(repr(headers) + body.decode() for _, headers, body in messages)
    for private in (USER, USER.title(), "originator_topic", "domain.centre:", "ce-actor'"):
        assert private not in text

    # While the internal stream has every event, with who acted, for the projector
    internal = stream_messages(settings.nats_url)
    assert len(internal) == store.last_notification_id()
    assert any(m.subject.startswith(f"{INTERNAL_PREFIX}.account.") for m in internal)
    assert any(m.subject.startswith(f"{INTERNAL_PREFIX}.submission.") for m in internal)
    assert any(m.headers.get("ce-actor") == USER for m in internal)

    # And the account list the login and admin pages read is still projected
    assert [row["username"] for row in AccountsList.all(read_db)] == [USER]


def test_a_subscriber_cannot_read_the_internal_stream(store, settings, read_db, relay, projector):
    open_account(settings, USER, "secretariat")
    caught_up(store, read_db, settings.nats_url, 30, (relay, projector))

    outcomes = run_apart(_read_internal_as_subscriber(url_for(settings.nats_url, settings.data_dir, "subscriber")))

    assert all(outcome.startswith("refused") for outcome in outcomes.values()), outcomes
    assert public_stream_messages(settings.nats_url) == []  # an account alone puts nothing on the public stream


async def _as_admin(url: str, action: str) -> None:
    """What an installation of contract 1.0.0 left, or what its operator does once on upgrading."""
    nc = await nats.connect(as_admin(url))
    try:
        js = nc.jetstream(timeout=5)
        if action == "old stream":  # MREZHA held every event, accounts and name claims included
            # (a duplicate window of a second: an upgrade comes long after the two minutes of the real one)
            await js.add_stream(replace(stream_config(1, STREAM), duplicate_window=1.0))
            for n, subject in ((1, "mrezha.centre.registered"), (2, "mrezha.centre_name.claimed")):
                await js.publish(subject, b"{}", headers={"Nats-Msg-Id": str(n), "ce-id": str(n)})
        else:
            await js.purge_stream(STREAM)
    finally:
        await nc.close()


def test_an_installation_upgraded_from_contract_1_gets_no_copies_until_its_operator_purges_the_public_stream(
    store, settings, tmp_path
):
    # Given a store with a centre (and the claim on its name) and the stream contract 1 left
    store.centres.register_centre(name="Младежки център – Плевен", city="Плевен")
    run_apart(_as_admin(settings.nats_url, "old stream"))

    # When the relay of contract 2 starts
    relay = Worker("relay", settings, tmp_path).start()
    try:
        eventually(lambda: stream_length(settings.nats_url) == 2, 30, "the internal stream was not filled")

        # Then the internal stream has both events and the public one no copies
        assert [m.subject for m in stream_messages(settings.nats_url)] == [
            "internal.mrezha.centre.registered", "internal.mrezha.centre_name.claimed"]
        assert len(public_stream_messages(settings.nats_url)) == 2
    finally:
        relay.stop()

    # When the operator purges the public stream and the relay starts again
    run_apart(_as_admin(settings.nats_url, "purge"))
    time.sleep(1.5)  # past the duplicate window
    relay = Worker("relay", settings, tmp_path).start()
    try:
        # Then the public stream holds the public events again, and nothing else
        eventually(lambda: len(public_stream_messages(settings.nats_url)) == 1, 30, "the public stream stayed empty")
        [message] = public_stream_messages(settings.nats_url)
        assert (message.subject, message.headers["ce-id"]) == ("mrezha.centre.registered", "1")
    finally:
        relay.stop()
