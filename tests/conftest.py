"""Fixtures on real parts: a nats-server of our own, SQLite files, PostgreSQL schemas."""

from __future__ import annotations

import os
import time

# The tests' "today" (``date.today()``) is the application's: the date in Sofia, whatever the machine's zone (from
# 22:00 to midnight UTC the dates differ). Set before anything reads the clock; the processes started inherit it.
os.environ["TZ"] = "Europe/Sofia"
time.tzset()

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient

from infra.bus_auth import ensure_credentials
from infra.nats_server import NatsServer, free_port
from infra.settings import Settings, load_settings
from infra.sql import open_database
from application.app import MrezhaApplication
from infra.store import store_environment
from projections.sql import Database
from tests.support.processes import Worker, kill_server
from tests.support.stream import started_with_auth
from tests.support.web import Browserish

POSTGRES_DSN = os.environ.get("MREZHA_TEST_POSTGRES_DSN", "")


def postgres_dsn() -> str:
    if not POSTGRES_DSN:
        if os.environ.get("CI"):
            pytest.fail("CI must set MREZHA_TEST_POSTGRES_DSN: PostgreSQL tests never skip in CI")
        pytest.skip("MREZHA_TEST_POSTGRES_DSN is not set")
    return POSTGRES_DSN


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[NatsServer]:
    credentials = ensure_credentials(tmp_path / "data")  # in the data dir of the `settings` fixture
    server = started_with_auth(NatsServer(tmp_path / "nats", free_port(), credentials=credentials).start())
    yield server
    kill_server(server)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'mrezha.sqlite'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    import psycopg

    dsn = postgres_dsn()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    yield f"{dsn}?schema={schema}"
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return request.getfixturevalue(name)


@pytest.fixture
def settings(tmp_path: Path, nats_server: NatsServer, database_url: str) -> Settings:
    return load_settings(
        {
            "MREZHA_DATA_DIR": str(tmp_path / "data"),
            "MREZHA_DATABASE_URL": database_url,
            "MREZHA_NATS_URL": nats_server.url,
            "MREZHA_PORT": str(free_port()),
            "MREZHA_PROJECTION_WAIT": "10",
        }
    )


@pytest.fixture
def store(settings: Settings) -> Iterator[MrezhaApplication]:
    app = MrezhaApplication(env=store_environment(settings))
    yield app
    app.close()


@pytest.fixture
def read_db(settings: Settings) -> Iterator[Database]:
    db = open_database(settings)
    yield db
    db.close()


@pytest.fixture
def relay(settings: Settings, tmp_path: Path) -> Iterator[Worker]:
    worker = Worker("relay", settings, tmp_path).start()
    yield worker
    worker.stop()


@pytest.fixture
def projector(settings: Settings, tmp_path: Path) -> Iterator[Worker]:
    worker = Worker("projector", settings, tmp_path).start()
    yield worker
    worker.stop()


@pytest.fixture
def web(settings: Settings) -> Iterator[Browserish]:
    from web.app import create_app

    with TestClient(app=create_app(settings)) as client:
        browserish = Browserish(client)
        browserish.sign_in_as("secretariat", username="secretariat")  # the widest rights; tests narrow them
        yield browserish
