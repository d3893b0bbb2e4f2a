"""The stream lost under a running platform: purged, or deleted. The relay notices by itself, makes
the stream anew and fills it again from the store; commands go on meanwhile. Each case ends with
the stream holding every stored event once, in order, and the read models equal to a rebuild."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import nats
import pytest

from contract.envelope import INTERNAL_STREAM, STREAM
from contract.headers import source_for
from tests.integration.test_operations import record_centres
from tests.support.delivery import caught_up, compare_read_models_with_rebuilt, compare_stream_with_store
from tests.support.processes import eventually
from tests.support.stream import as_admin, public_ids, public_stream_messages, run_apart


def purge(stream: str) -> Callable[[Any], Awaitable[None]]:
    return lambda js: js.purge_stream(stream)


def delete(stream: str) -> Callable[[Any], Awaitable[None]]:
    return lambda js: js.delete_stream(stream)


def on_the_bus(url: str, action: Callable[[Any], Awaitable[None]]) -> None:
    async def act() -> None:
        nc = await nats.connect(as_admin(url))  # only the operator may purge or delete
        try:
            await action(nc.jetstream())
        finally:
            await nc.close()

    run_apart(act())


@pytest.mark.parametrize("stream", [INTERNAL_STREAM, STREAM], ids=["internal", "public"])
@pytest.mark.parametrize("lose", [purge, delete], ids=["purged", "deleted"])
def test_a_lost_stream_is_made_anew_from_the_store_and_nothing_is_lost_or_doubled(
    lose, stream, store, read_db, fresh_database, settings, relay, projector
):
    # Given a network recorded, published and projected
    record_centres(store, 20)
    caught_up(store, read_db, settings.nats_url, 30, (relay, projector))

    # When the stream is lost, and commands go on before and after the relay notices
    on_the_bus(settings.nats_url, lose(stream))
    record_centres(store, 10)

    # Then both streams hold every stored event again, once and in order
    caught_up(store, read_db, settings.nats_url, 60, (relay, projector))
    report = compare_stream_with_store(store, settings.nats_url, source=source_for(settings.site_url))
    assert (report.duplicates, report.missing, report.in_order, report.mismatched) == (0, 0, True, []), report.line()
    assert report.published == report.stored
    eventually(lambda: published_ids(settings.nats_url) == public_ids(store), 30, "the public stream was not filled again")
    # And the read models are what the store alone gives
    assert compare_read_models_with_rebuilt(store, read_db, fresh_database) == ""


def published_ids(url: str) -> list[int]:
    return [int(message.headers["ce-id"]) for message in public_stream_messages(url)]
