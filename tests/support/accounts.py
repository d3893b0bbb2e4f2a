"""Accounts for tests, opened through the real application as `mrezha user add` would."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID

from application.actor import acting_as
from demo.seeds import load_demo_if_empty
from infra.security import Security
from infra.settings import Settings
from infra.sql import open_database
from projections.sql import Database
from application.app import MrezhaApplication
from infra.store import store_environment

PASSWORD = "a-long-test-password"


def open_account(settings: Settings, username: str, role: str, centre_id: UUID | str | None = None) -> str:
    """Open an account in the configured store; returns its password."""
    store, db = MrezhaApplication(env=store_environment(settings)), open_database(settings)
    try:
        store.passwords = Security(db)
        store.passwords.create_tables()
        with acting_as("test"):
            store.accounts.open_account(
                username=username, display_name=username.title(), role=role,
                centre_id=UUID(str(centre_id)) if centre_id else None, password=PASSWORD,
            )
    finally:
        store.close()
        db.close()
    return PASSWORD


@contextmanager
def demo_loaded(settings: Settings) -> Iterator[tuple[MrezhaApplication, Database, dict[str, str]]]:
    """The demo network loaded into the configured (empty) store, as `make run` loads it: the store,
    the read database and the demo accounts' passwords; both closed after."""
    store, db = MrezhaApplication(env=store_environment(settings)), open_database(settings)
    try:
        store.passwords = Security(db)
        store.passwords.create_tables()
        with acting_as("test"):
            passwords = load_demo_if_empty(store)
        assert passwords, "the demo was not loaded into an empty store"
        yield store, db, passwords
    finally:
        store.close()
        db.close()


def a_member(app: MrezhaApplication, name: str) -> UUID:
    """A centre named after its city, registered, applied and admitted through the application."""
    with acting_as("test-setup"):
        centre_id, _ = app.centres.register_centre(name=f"Младежки център {name}", city=name)
        app.centres.apply_for_membership(centre_id, "Искаме")
        app.centres.admit_centre(centre_id)
    return centre_id


def an_account(app: MrezhaApplication, username: str, role: str, centre_id: UUID | None = None) -> str:
    """An account opened through the application (its passwords service set); returns the user name."""
    with acting_as("test-setup"):
        app.accounts.open_account(username=username, display_name=username, role=role, centre_id=centre_id,
                                  password="кафе на гарата в четвъртък")
    return username
