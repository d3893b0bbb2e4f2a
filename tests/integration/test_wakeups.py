"""Wake-ups instead of polling: the relay publishes as soon as a process says "stored", and a
request waiting to read its own write is woken as soon as the projector says "projected"."""

from __future__ import annotations

import asyncio
import threading
import time

import nats

from contract.envelope import INTERNAL_STREAM as STREAM
from infra.bus_auth import inbox_prefix
from infra.wakeups import PROJECTED, STORED, Signal, StoredAnnouncer
from tests.support.stream import as_admin, run_apart, stream_length
from workers.relay import Relay

A_MINUTE = 60.0  # the safety poll, made long enough that only a wake-up can explain a quick publish


def test_the_relay_publishes_what_was_stored_when_told_so_without_waiting_for_its_safety_poll(
    store, nats_server
):
    relay = Relay(store, nats_server.url_as("relay"), poll_interval=A_MINUTE)
    announcer = StoredAnnouncer(nats_server.url_as("monitor"), inbox_prefix("monitor"))
    store.after_save.append(announcer.stored)

    async def scenario() -> int:
        stop = asyncio.Event()
        running = asyncio.create_task(relay.run(stop))
        await stream_made(as_admin(nats_server.url))  # by the relay, just before it first looks and waits
        await asyncio.sleep(0.5)
        await asyncio.to_thread(store.centres.register_centre, name="Младежки център Видин", city="Видин")
        deadline = time.monotonic() + 10
        while relay.published < 2 and time.monotonic() < deadline:  # the centre and its name's claim
            await asyncio.sleep(0.05)
        stop.set()
        await running
        return relay.published

    try:
        assert run_apart(scenario()) == 2, "the relay waited for its safety poll: the wake-up did not reach it"
    finally:
        announcer.close()
    assert stream_length(nats_server.url) == 2  # on the internal stream


async def stream_made(url: str) -> None:
    nc = await nats.connect(url)
    try:
        while True:
            try:
                await nc.jetstream().stream_info(STREAM)
                return
            except nats.js.errors.NotFoundError:
                await asyncio.sleep(0.05)
    finally:
        await nc.close()


def test_a_reader_waiting_for_a_projection_is_woken_by_the_projectors_announcement(nats_server):
    from web.wakeups import Wakeups

    wakeups = Wakeups(nats_server.url_as("monitor"))
    woken = threading.Event()

    def reader() -> None:
        generation = wakeups.projected.generation
        wakeups.projected.wait(generation, A_MINUTE)
        woken.set()

    async def scenario() -> None:
        stop = asyncio.Event()
        running = asyncio.create_task(wakeups.run(stop))
        waiting = threading.Thread(target=reader)
        waiting.start()
        await asyncio.sleep(0.5)  # connected and subscribed
        nc = await nats.connect(nats_server.url_as("projector"), inbox_prefix=inbox_prefix("projector"))
        await nc.publish(PROJECTED, b"")
        await nc.flush()
        await nc.close()
        await asyncio.to_thread(woken.wait, 10)
        stop.set()
        await running
        waiting.join(1)

    run_apart(scenario())
    assert woken.is_set()


def test_a_signal_fired_between_reading_its_generation_and_waiting_is_not_missed():
    signal = Signal()
    generation = signal.generation
    signal.fire()  # before the wait began
    started = time.monotonic()
    signal.wait(generation, A_MINUTE)
    assert time.monotonic() - started < A_MINUTE / 2


def test_the_wake_up_subjects_are_not_on_the_stream():
    from contract.envelope import SUBJECT_PREFIX

    assert not STORED.startswith(SUBJECT_PREFIX + ".") and not PROJECTED.startswith(SUBJECT_PREFIX + ".")


def test_the_audit_follower_extends_the_tree_when_the_relay_is_told_stored_without_waiting_for_its_safety_poll(
    store, nats_server, read_db, settings
):
    from infra import audit_log
    from workers.auditor import Auditor

    # Given the relay and the audit follower as `mrezha relay` runs them, both polling only once a minute
    relay = Relay(store, nats_server.url_as("relay"), poll_interval=A_MINUTE)
    log = audit_log.AuditLog(read_db, store.recorder, "example.org/mrezha", audit_log.load_key(settings.data_dir))
    auditor = Auditor(log, None, poll=A_MINUTE)
    relay.also_wakes(auditor.woken)
    announcer = StoredAnnouncer(nats_server.url_as("monitor"), inbox_prefix("monitor"))
    store.after_save.append(announcer.stored)

    async def scenario() -> int:
        stop = asyncio.Event()
        running = asyncio.gather(relay.run(stop), auditor.run(stop))
        await stream_made(as_admin(nats_server.url))
        await asyncio.sleep(0.5)  # both looked once and wait
        # When a centre is stored and the process that stored it says so
        await asyncio.to_thread(store.centres.register_centre, name="Младежки център Видин", city="Видин")
        deadline = time.monotonic() + 10
        while log.size < 2 and time.monotonic() < deadline:  # the centre and its name's claim
            await asyncio.sleep(0.05)
        stop.set()
        await running
        return log.size

    try:
        # Then the tree holds both events long before the follower's own poll was due
        assert run_apart(scenario()) == 2, "the audit follower waited for its safety poll"
    finally:
        announcer.close()


def test_a_lone_command_is_published_at_once_and_those_close_behind_it_together(store, nats_server):
    # Given a relay that gathers what is stored within two seconds of a publication
    relay = Relay(store, nats_server.url_as("relay"), poll_interval=A_MINUTE, gather=2.0)
    announcer = StoredAnnouncer(nats_server.url_as("monitor"), inbox_prefix("monitor"))
    store.after_save.append(announcer.stored)

    async def scenario() -> tuple[float, int, int]:
        stop = asyncio.Event()
        running = asyncio.create_task(relay.run(stop))
        await stream_made(as_admin(nats_server.url))
        await asyncio.sleep(0.5)
        # When a centre is registered after a quiet moment (two events: the centre and its name's claim)
        started = time.monotonic()
        await asyncio.to_thread(store.centres.register_centre, name="Младежки център Видин", city="Видин")
        while relay.published < 2 and time.monotonic() - started < 10:
            await asyncio.sleep(0.01)
        at_once = time.monotonic() - started
        batches_then = relay.batches
        # and three more right behind it, a tenth of a second apart
        for city in ("Враца", "Монтана", "Ловеч"):
            await asyncio.to_thread(store.centres.register_centre, name=f"Младежки център {city}", city=city)
            await asyncio.sleep(0.1)
        deadline = time.monotonic() + 10
        while relay.published < 8 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        stop.set()
        await running
        return at_once, batches_then, relay.batches

    try:
        at_once, batches_then, batches = run_apart(scenario())
    finally:
        announcer.close()
    # Then the first went out at once, alone, and the three behind it together in one more publication
    assert at_once < 1.0, f"the lone command waited {at_once:.2f} s"
    assert (batches_then, batches) == (1, 2)
    assert stream_length(nats_server.url) == 8
