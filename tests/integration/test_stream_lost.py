"""The stream lost under a running platform: purged, or deleted. The relay notices by itself, makes
the stream anew and fills it again from the store; commands go on meanwhile. Each case ends with
the stream holding every stored event once, in order, and the read models equal to a rebuild."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import nats
import pytest

from contract.envelope import STREAM
from tests.integration.test_operations import record_centres
from tests.support.delivery import caught_up, compare_read_models_with_rebuilt, compare_stream_with_store
from tests.support.stream import run_apart


async def purge(js: Any) -> None:
    await js.purge_stream(STREAM)


async def delete(js: Any) -> None:
    await js.delete_stream(STREAM)


def on_the_bus(url: str, action: Callable[[Any], Awaitable[None]]) -> None:
    async def act() -> None:
        nc = await nats.connect(url)
        try:
            await action(nc.jetstream())
        finally:
            await nc.close()

    run_apart(act())


@pytest.mark.parametrize("lose", [purge, delete], ids=["purged", "deleted"])
def test_a_lost_stream_is_made_anew_from_the_store_and_nothing_is_lost_or_doubled(
    lose, store, read_db, fresh_database, settings, relay, projector
):
    # Given a network recorded, published and projected
    record_centres(store, 20)
    caught_up(store, read_db, settings.nats_url, 30, (relay, projector))

    # When the stream is lost, and commands go on before and after the relay notices
    on_the_bus(settings.nats_url, lose)
    record_centres(store, 10)

    # Then the stream holds every stored event again, once and in order
    caught_up(store, read_db, settings.nats_url, 60, (relay, projector))
    report = compare_stream_with_store(store, settings.nats_url)
    assert (report.duplicates, report.missing, report.in_order, report.mismatched) == (0, 0, True, []), report.line()
    assert report.published == report.stored
    # And the read models are what the store alone gives
    assert compare_read_models_with_rebuilt(store, read_db, fresh_database) == ""
    assert "making it anew" in relay.log() or lose is delete
