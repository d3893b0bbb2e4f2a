"""The whole platform for a module of tests: nats-server, relay, projector, web, store, read models.

Starting the real processes once per module (not once per test) keeps tables of
HTTP cases fast; each case then makes its own centres and activities.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup
from litestar.testing import TestClient

from infra.bus_auth import ensure_credentials
from infra.nats_server import NatsServer, free_port
from infra.settings import Settings, load_settings
from infra.sql import open_database
from application.app import MrezhaApplication
from infra.store import store_environment
from projections.base import position
from projections.catalog import all_projections
from projections.sql import Database
from tests.support.processes import Worker, eventually, kill_server
from tests.support.stream import started_with_auth
from tests.support.web import Browserish


@dataclass
class Site:
    settings: Settings
    store: MrezhaApplication
    db: Database
    web: Browserish

    def stored(self) -> int:
        """The store's last notification id."""
        return self.store.last_notification_id()

    def projected(self) -> bool:
        last = self.stored()
        return all(position(self.db, p.name) == last for p in all_projections())

    def settle(self) -> None:
        """Wait until every read model has projected everything stored."""
        eventually(self.projected, 30, "the read models never caught up with the store")

    def member(self, name: str = "", city: str = "Добрич") -> uuid.UUID:
        """A centre the network admitted, with a name of its own."""
        centre_id, _ = self.store.centres.register_centre(name=name or f"Младежки център {uuid.uuid4().hex[:8]}", city=city)
        self.store.centres.apply_for_membership(centre_id)
        self.store.centres.admit_centre(centre_id)
        return centre_id

    def page(self, url: str) -> BeautifulSoup:
        response = self.web.get(url)
        assert response.status_code == 200, response.text
        return BeautifulSoup(response.text, "html.parser")


def start_platform(directory: Path, stack: ExitStack, database_url: str = "") -> tuple[Settings, TestClient]:
    """A nats-server, the web app under a test client, and the relay and projector processes,
    all stopped when ``stack`` closes (against a SQLite file in ``directory`` by default)."""
    credentials = ensure_credentials(directory / "data")  # as `make run` makes them in its data dir
    nats = started_with_auth(NatsServer(directory / "nats", free_port(), credentials=credentials).start())
    stack.callback(kill_server, nats)
    settings = load_settings(
        {
            "MREZHA_DATA_DIR": str(directory / "data"),
            "MREZHA_DATABASE_URL": database_url or f"sqlite:///{directory / 'mrezha.sqlite'}",
            "MREZHA_NATS_URL": nats.url,
            "MREZHA_PORT": str(free_port()),
            "MREZHA_PROJECTION_WAIT": "10",
            # the test client reads a response to its end: a live page's stream ends soon
            "MREZHA_LIVE_STREAM_SECONDS": "0.5",
        }
    )
    from web.app import create_app

    client = stack.enter_context(TestClient(app=create_app(settings)))  # creates the read models' tables
    for name in ("relay", "projector"):
        stack.callback(Worker(name, settings, directory).start().stop)
    return settings, client


@contextmanager
def running_site(directory: Path, database_url: str = "") -> Iterator[Site]:
    """Start everything against ``database_url`` (a SQLite file in ``directory`` by default)."""
    with ExitStack() as stack:
        settings, client = start_platform(directory, stack, database_url)
        store = MrezhaApplication(env=store_environment(settings))
        stack.callback(store.close)
        db = open_database(settings)
        stack.callback(db.close)
        web = Browserish(client)
        web.sign_in_as("secretariat", username="secretariat")  # who may send every form
        yield Site(settings, store, db, web)
