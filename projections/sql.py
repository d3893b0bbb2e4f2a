"""What a projection needs of a SQL database, whichever engine is behind it.

SQL is written once with ``?`` placeholders and standard ``ON CONFLICT`` upserts;
``infra.sql`` adapts it to SQLite or PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

Row = dict[str, Any]


class Transaction(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ()) -> None: ...

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None: ...


class Database(Protocol):
    dialect: str  # "sqlite" or "postgresql"

    def transaction(self) -> AbstractContextManager[Transaction]: ...

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None: ...

    def checkpoint(self) -> None: ...

    def close(self) -> None: ...
