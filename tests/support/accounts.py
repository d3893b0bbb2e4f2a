"""Accounts for tests, opened through the real application as `mrezha user add` would."""

from __future__ import annotations

from uuid import UUID

from application.actor import acting_as
from infra.security import Security
from infra.settings import Settings
from infra.sql import open_database
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
