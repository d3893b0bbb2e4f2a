"""A 3-node NATS cluster on loopback, the stream replicated three times: the node leading
the stream is killed while commands are recorded, and nothing is lost."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from contract.headers import source_for
from infra.nats_server import free_port
from infra.settings import Settings, load_settings
from tests.support.cluster import NatsCluster
from tests.support.delivery import (
    Gates,
    Load,
    caught_up,
    compare_read_models_with_rebuilt,
    compare_stream_with_store,
)
from tests.support.processes import eventually, kill_server
from tests.support.stream import BUS_UNAVAILABLE, stream_length, stream_messages

COMMANDS = 4_000
KILL_AT, GATE_AT = 0.30, 0.40
LOADS = {"sqlite": 1, "postgresql": 4}


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[NatsCluster]:
    nodes = NatsCluster(tmp_path / "cluster").start()
    yield nodes
    nodes.stop()


@pytest.fixture
def settings(tmp_path: Path, cluster: NatsCluster, database_url: str, fast_postgres_commits: None) -> Settings:
    return load_settings({
        "MREZHA_DATA_DIR": str(tmp_path / "data"), "MREZHA_DATABASE_URL": database_url,
        "MREZHA_NATS_URL": cluster.url, "MREZHA_STREAM_REPLICAS": "3", "MREZHA_PORT": str(free_port()),
    })


def test_killing_the_node_that_leads_the_replicated_stream_during_the_load_loses_nothing(
    settings, cluster, store, read_db, fresh_database, relay, projector
):
    engine = "postgresql" if settings.is_postgres else "sqlite"
    # Given commands being recorded, published to a stream the cluster keeps three copies of
    gates = Gates([int(GATE_AT * COMMANDS)])
    loads = [Load(store, COMMANDS // LOADS[engine], name=f"C{n}", gates=gates) for n in range(LOADS[engine])]
    for load in loads:
        load.start()
    eventually(lambda: gates.count >= KILL_AT * COMMANDS and stream_length(settings.nats_url) > 0, 120,
               "the load never reached the kill", interval=0.2)
    assert cluster.replicas().keys() == set(cluster.nodes)

    # When the node leading the stream is SIGKILLed in the middle of it
    leader = cluster.stream_leader()
    kill_server(cluster.nodes[leader])
    killed_at = gates.count
    gates.open(int(GATE_AT * COMMANDS))
    for load in loads:
        load.finish(timeout=300)

    # Then the two nodes left elect another leader, and hold every stored event once, in order
    # (read message by message from the stream's leader: a new consumer may be placed on the dead node)
    caught_up_in = caught_up(store, read_db, settings.nats_url, 120, (relay, projector))
    assert cluster.stream_leader() != leader
    report = compare_stream_with_store(store, settings.nats_url, read=stream_messages,
                                       source=source_for(settings.site_url))
    print(f"\n[{engine}, 3-node cluster] killed stream leader {leader} at command {killed_at} of {COMMANDS}; "
          f"{report.line()}; caught up {caught_up_in:.1f}s after the load")
    assert (report.duplicates, report.missing) == (0, 0)
    assert report.in_order and report.published == report.stored > COMMANDS
    assert report.mismatched == []
    assert compare_read_models_with_rebuilt(store, read_db, fresh_database) == ""

    # And with the killed node back in the cluster, the stream it serves is still the store's
    # (asked until the cluster answers again: a node rejoining may refuse a new consumer at first)
    cluster.nodes[leader].start()
    eventually(lambda: still_complete(store, settings.nats_url, report.stored, source_for(settings.site_url)), 60,
               "the cluster never served the whole stream again", interval=1.0)


def still_complete(store, url: str, stored: int, source: str) -> bool:
    try:
        again = compare_stream_with_store(store, url, read=stream_messages, source=source)
    except BUS_UNAVAILABLE:
        return False
    assert (again.stored, again.published, again.in_order, again.duplicates) == (stored, stored, True, 0)
    return True
