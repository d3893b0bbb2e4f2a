"""The accounts list the secretariat manages: who, which role, for which centre, enabled or not."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

from domain.account import Account
from projections.base import Projection
from projections.sql import Database, Row, Transaction


class AccountsList(Projection):
    name = "accounts"
    tables = ("accounts",)
    schema = (
        """
        CREATE TABLE IF NOT EXISTS accounts (
            id TEXT PRIMARY KEY,
            username TEXT NOT NULL,
            display_name TEXT NOT NULL,
            role TEXT NOT NULL,
            centre_id TEXT,
            disabled INTEGER NOT NULL DEFAULT 0,
            opened_at TEXT NOT NULL
        )
        """,
        # the history names who acted by user name: one lookup per fact
        "CREATE INDEX IF NOT EXISTS accounts_by_username ON accounts (username)",
    )

    @singledispatchmethod
    def apply(self, event: Any, tx: Transaction) -> None:
        """Other events do not change this read model."""

    @apply.register
    def _(self, event: Account.Opened, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO accounts (id, username, display_name, role, centre_id, opened_at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO NOTHING",
            (
                str(event.originator_id), event.username, event.display_name, event.role,
                str(event.centre_id) if event.centre_id else None, event.timestamp.isoformat(),
            ),
        )

    @apply.register
    def _(self, event: Account.RoleChanged, tx: Transaction) -> None:
        tx.execute(
            "UPDATE accounts SET role = ?, centre_id = ? WHERE id = ?",
            (event.role, str(event.centre_id) if event.centre_id else None, str(event.originator_id)),
        )

    @apply.register
    def _(self, event: Account.Disabled, tx: Transaction) -> None:
        tx.execute("UPDATE accounts SET disabled = 1 WHERE id = ?", (str(event.originator_id),))

    @apply.register
    def _(self, event: Account.Enabled, tx: Transaction) -> None:
        tx.execute("UPDATE accounts SET disabled = 0 WHERE id = ?", (str(event.originator_id),))

    @staticmethod
    def all(db: Database) -> list[Row]:
        return db.fetchall(
            "SELECT a.*, c.name AS centre_name FROM accounts a LEFT JOIN centres c ON c.id = a.centre_id "
            "ORDER BY a.username"
        )
