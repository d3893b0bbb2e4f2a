"""Operations: /readyz, /metrics, the contract served at /events/, and ``mrezha rebuild``."""

from __future__ import annotations


import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from uuid import uuid4

import psycopg
import yaml
from litestar.testing import TestClient
from eventsourcing.utils import get_topic
from prometheus_client.parser import text_string_to_metric_families

from domain.centre import Centre
from contract import documents as schema
from tests.support.rebuild import rebuild_from_store, table_contents
from projections.base import position
from infra.rebuild import reset_projection
from projections.catalog import all_projections
from tests.support.processes import ROOT, environment, eventually
from tests.support.stream import as_admin, run_apart, stream_length
from contract.envelope import INTERNAL_STREAM
from infra.settings import load_settings
from dataclasses import replace

from tests.support.stream import stream_length
from tests.support.web import Browserish
from web.app import create_app


def metrics(web) -> dict[tuple[str, str], float]:
    """``/metrics`` read with Prometheus's own parser: (name, projection label) -> value."""
    response = web.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return {
        (sample.name, sample.labels.get("projection", "")): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def record_centres(store, count: int) -> int:
    for n in range(count):
        centre_id, _ = store.centres.register_centre(name=f"Младежки център {uuid4().hex[:6]} {n}", city="Плевен")
        store.centres.apply_for_membership(centre_id)
    return store.last_notification_id()


def all_projected(read_db, last: int) -> bool:
    try:
        return all(position(read_db, p.name) >= last for p in all_projections())
    except (sqlite3.OperationalError, psycopg.errors.UndefinedTable):  # the projector has not made its tables yet
        return False


def test_readyz_is_ready_when_the_store_and_read_models_answer_and_nothing_waits_long(web, store):
    response = web.get("/readyz")

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "ready"
    assert response.json()["checks"]["store"] == "ok"
    assert response.json()["checks"]["read_models"] == "ok"


def test_readyz_is_not_ready_while_an_event_recorded_two_minutes_ago_is_still_not_projected(settings, store):
    # Given an event the store recorded two minutes ago, and no projector since
    event = Centre.Registered(
        originator_id=uuid4(), originator_version=1, timestamp=datetime.now(timezone.utc) - timedelta(minutes=2),
        originator_topic=get_topic(Centre), name="Младежки център – Русе", city="Русе", region="", address="",
        contact="", website="", description="",
    )
    store.recorder.insert_events([store.mapper.to_stored_event(event)])

    with TestClient(app=create_app(settings)) as client:
        # When a load balancer asks whether the web is ready
        response = client.get("/readyz")

        # Then it is not: the pages are too far behind the store
        assert response.status_code == 503
        assert response.json() == {"status": "not ready"}  # which check failed is not for everyone
        # the secretariat reads which check failed
        Browserish(client).sign_in_as("secretariat", username="secretariat")
        details = client.get("/readyz").json()
        assert details["checks"]["projections"].startswith("behind: 2 events")  # the event, and the account opened to sign in
        assert details["checks"]["store"] == "ok"
        # And the pages say so, once the monitor has looked (every second)
        eventually(lambda: 'id="bus-delayed"' in client.get("/").text, 5, "no bus-delayed notice")


def test_metrics_count_stored_published_projected_and_the_lag_of_each_read_model(
    web, store, read_db, settings, relay, projector
):
    # Given events recorded, published and projected
    last = record_centres(store, 3)
    eventually(lambda: stream_length(settings.nats_url) == last and all_projected(read_db, last), 30)

    # Then the metrics say so, once the monitor has looked at the stream (every second)
    eventually(lambda: metrics(web).get(("mrezha_events_published_total", "")) == last, 10,
               "the published count never reached the stream's")
    figures = metrics(web)
    assert figures[("mrezha_events_stored_total", "")] == last
    assert figures[("mrezha_bus_up", "")] == 1
    names = [p.name for p in all_projections()]
    assert {figures[("mrezha_projection_position", name)] for name in names} == {last}
    assert {figures[("mrezha_projection_lag_events", name)] for name in names} == {0}
    assert figures[("mrezha_projection_lag_seconds", "")] == 0

    # When the projector stops and two more events are recorded and published
    projector.stop()
    store.centres.apply_for_membership(store.centres.register_centre(name="Младежки център – Шумен", city="Шумен")[0])
    eventually(lambda: stream_length(settings.nats_url) == last + 3, 30)

    # Then every read model lags by those three, and is still where it was
    eventually(lambda: metrics(web).get(("mrezha_events_published_total", "")) == last + 3, 10)
    figures = metrics(web)
    assert figures[("mrezha_events_stored_total", "")] == last + 3
    assert {figures[("mrezha_projection_lag_events", name)] for name in names} == {3}
    assert {figures[("mrezha_projection_position", name)] for name in names} == {last}
    assert figures[("mrezha_projection_lag_seconds", "")] > 0


def test_the_web_serves_the_asyncapi_document_and_every_schema_it_generates(web):
    response = web.get("/events/asyncapi.yaml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/yaml")
    assert response.text == schema.documents()["asyncapi.yaml"]
    assert yaml.safe_load(response.text)["asyncapi"] == "3.0.0"

    index = web.get("/events").json()
    assert index["asyncapi"] == "/events/asyncapi.yaml"
    assert index["schemas"]["activity.planned.v1"] == "/events/activity.planned.v1.schema.json"
    for path in index["schemas"].values():
        served = web.get(path)
        assert served.status_code == 200 and served.headers["content-type"].startswith("application/schema+json")
        assert served.text == schema.documents()[path.removeprefix("/events/")]
    assert web.get("/events/activity.nothing.v1.schema.json").status_code == 404
    assert web.get("/events/..%2Fpyproject.toml").status_code == 404


def run_rebuild(settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mrezha", "rebuild", *args], env=environment(settings),
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_mrezha_rebuild_empties_a_read_model_and_the_running_projector_projects_it_again(
    store, read_db, fresh_database, settings, relay, projector
):
    # Given a network recorded and projected
    last = record_centres(store, 20)
    eventually(lambda: all_projected(read_db, last), 30)
    centres = next(p for p in all_projections() if p.name == "centres")
    before = table_contents(read_db, [centres])

    # When the operator rebuilds the centres directory while the projector runs
    result = run_rebuild(settings, "centres")

    # Then it comes back, rebuilt by the projector from the stream, with the same rows
    assert result.returncode == 0, result.stderr
    assert "centres emptied" in result.stdout
    assert f"centres rebuilt up to notification {last}" in result.stdout
    assert table_contents(read_db, [centres]) == before

    # And events recorded afterwards still reach it, as they reach one rebuilt from the store alone
    last = record_centres(store, 2)
    eventually(lambda: all_projected(read_db, last), 30)
    rebuild_from_store(store, fresh_database, all_projections())
    assert table_contents(read_db, all_projections()) == table_contents(fresh_database, all_projections())


def test_mrezha_rebuild_names_the_read_models_when_given_an_unknown_one(settings):
    result = run_rebuild(settings, "calender")

    assert result.returncode == 2
    assert "no read model 'calender'" in result.stderr
    assert "calendar" in result.stderr and "centres" in result.stderr


def test_mrezha_rebuild_says_when_no_projector_rebuilds_the_read_model(store, settings):
    record_centres(store, 1)

    result = run_rebuild(settings, "timeline", "--stall", "2")

    assert result.returncode == 1
    assert "is `mrezha projector` running?" in result.stderr


def purge_stream(url: str) -> None:
    import nats

    async def purge() -> None:
        nc = await nats.connect(as_admin(url))  # only the operator may
        await nc.jetstream().purge_stream(INTERNAL_STREAM)  # the one the metrics count
        await nc.close()

    run_apart(purge())


def test_metrics_counters_never_fall_when_the_stream_is_purged(web, store, read_db, settings, relay, projector):
    last = record_centres(store, 3)
    eventually(lambda: metrics(web).get(("mrezha_events_published_total", "")) == last, 20)

    relay.stop()  # or it would notice the purge and fill the stream again at once
    purge_stream(settings.nats_url)
    eventually(lambda: metrics(web).get(("mrezha_stream_messages", "")) == 0, 10, "the purge never showed")

    figures = metrics(web)
    assert figures[("mrezha_events_published_total", "")] == last, "a counter fell"
    assert figures[("mrezha_events_stored_total", "")] == last


def test_the_number_of_stored_events_and_the_last_notification_id_are_separate_series(web, store):
    last = record_centres(store, 2)
    eventually(lambda: metrics(web).get(("mrezha_events_stored_total", "")) == last, 10)

    figures = metrics(web)
    assert figures[("mrezha_last_notification_id", "")] == last
    gauges = [name for name, _ in figures if name.endswith("_total")]
    assert set(gauges) == {"mrezha_events_stored_total", "mrezha_events_published_total"} & {n for n, _ in figures}
    assert ("mrezha_projection_lag_events", "centres") in figures


def test_on_postgresql_an_id_taken_by_a_rolled_back_transaction_is_not_counted_as_an_event(
    postgres_url, tmp_path, nats_server
):
    settings = load_settings({"MREZHA_DATA_DIR": str(tmp_path / "data"), "MREZHA_DATABASE_URL": postgres_url,
                              "MREZHA_NATS_URL": nats_server.url})
    with TestClient(app=create_app(settings)) as client:
        app = client.app.state.services.app
        Browserish(client).sign_in_as("secretariat", username="secretariat")  # who may read /metrics: id 1
        record_centres(app, 1)  # two events and a claim: ids 2, 3, 4
        with psycopg.connect(postgres_url.split("?")[0]) as connection:  # a transaction takes id 5, then rolls back
            table = f'"{app.recorder.datastore.schema}"."{app.recorder.events_table_name}"'
            connection.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'notification_id'))")
            connection.rollback()
        record_centres(app, 1)  # ids 6, 7, 8

        eventually(lambda: text_metrics(client).get("mrezha_events_stored_total") == 7, 10, str(text_metrics(client)))
        assert text_metrics(client)["mrezha_last_notification_id"] == app.last_notification_id() == 8


def text_metrics(client) -> dict[str, float]:
    return {sample.name: sample.value for family in text_string_to_metric_families(client.get("/metrics").text)
            for sample in family.samples if not sample.labels}


def test_readyz_stays_ready_while_a_read_model_is_rebuilt_and_says_it_is_catching_up(settings, store, read_db):
    # Given an event the store recorded two minutes ago, projected everywhere
    event = Centre.Registered(
        originator_id=uuid4(), originator_version=1, timestamp=datetime.now(timezone.utc) - timedelta(minutes=2),
        originator_topic=get_topic(Centre), name="Младежки център – Видин", city="Видин", region="", address="",
        contact="", website="", description="",
    )
    store.recorder.insert_events([store.mapper.to_stored_event(event)])
    rebuild_from_store(store, read_db, all_projections())
    centres = next(p for p in all_projections() if p.name == "centres")

    with TestClient(app=create_app(settings)) as client:
        Browserish(client).sign_in_as("secretariat", username="secretariat")  # who may read /readyz's checks
        rebuild_from_store(store, read_db, all_projections())  # the secretariat's account projected too
        # When the operator rebuilds the centres directory (and no projector has got to it yet)
        reset_projection(read_db, centres, store.last_notification_id())
        response = client.get("/readyz")

        # Then the site is ready, and says which read model is catching up
        assert response.status_code == 200, response.text
        assert response.json()["checks"]["projections"] == (
            f"ok, catching up (stale while rebuilt): centres at 0 of {store.last_notification_id()}"
        )

        # And once it has caught up, nothing is said of it any more
        rebuild_from_store(store, read_db, [centres])
        assert client.get("/readyz").json()["checks"]["projections"] == "ok: 0 events waiting"
