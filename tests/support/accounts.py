"""Accounts for tests, opened through the real application as `mrezha user add` would."""

from __future__ import annotations

from uuid import UUID

from infra.metadata import acting_as
from infra.security import Security
from infra.settings import Settings
from infra.sql import open_database
from infra.store import open_store

PASSWORD = "a-long-test-password"


def open_account(settings: Settings, username: str, role: str, centre_id: UUID | str | None = None) -> str:
    """Open an account in the configured store; returns its password."""
    store, db = open_store(settings), open_database(settings)
    try:
        store.security = Security(db)
        store.security.create_tables()
        with acting_as("test"):
            store.open_account(
                username=username, display_name=username.title(), role=role,
                centre_id=UUID(str(centre_id)) if centre_id else None, password=PASSWORD,
            )
    finally:
        store.close()
        db.close()
    return PASSWORD
