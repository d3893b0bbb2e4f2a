"""SQL connections for the read models: a SQLite file or PostgreSQL, one interface.

Projections write SQL with ``?`` placeholders; the PostgreSQL adapter turns them
into ``%s``. Rows come back as dicts.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from infra.settings import Settings, is_postgres_url, sqlite_path_of
from infra.store import private_sqlite_file, schema_in_url
from projections.sql import Database, Row


class _SQLiteTransaction:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._connection.execute(sql, params)

    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> None:
        """The same statement for each set of parameters, in order, in one call."""
        self._connection.executemany(sql, params)

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return [dict(row) for row in self._connection.execute(sql, params).fetchall()]

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        row = self._connection.execute(sql, params).fetchone()
        return dict(row) if row is not None else None


class SQLiteDatabase:
    """One connection per thread to a SQLite file in WAL mode."""

    dialect = "sqlite"

    def __init__(self, path: Path, *, checkpoint_pages: int = 10_000) -> None:
        """``checkpoint_pages``: how long the write-ahead log may grow before a commit on
        these connections copies it back into the file (SQLite's own default is 1,000)."""
        self.path = Path(path)
        private_sqlite_file(self.path)
        self.checkpoint_pages = checkpoint_pages
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(
                self.path, timeout=30, isolation_level=None, check_same_thread=False
            )
            connection.row_factory = sqlite3.Row
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute("PRAGMA cache_size=-65536")
            connection.execute(f"PRAGMA wal_autocheckpoint={int(self.checkpoint_pages)}")
            connection.execute("PRAGMA journal_size_limit=67108864")  # a log grown in a catch-up shrinks back
            connection.execute("PRAGMA busy_timeout=30000")
            self._local.connection = connection
            with self._lock:
                self._connections.append(connection)
        return connection

    @contextmanager
    def transaction(self) -> Iterator[_SQLiteTransaction]:
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield _SQLiteTransaction(connection)
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return _SQLiteTransaction(self._connection()).fetchall(sql, params)

    def fetch_tuples(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[str], list[tuple[Any, ...]]]:
        """The columns and the rows as plain tuples: for reading whole tables, without a dict a row."""
        cursor = self._connection().cursor()
        cursor.row_factory = None
        cursor.execute(sql, params)
        return [d[0] for d in cursor.description or ()], cursor.fetchall()

    def checkpoint(self) -> None:
        """Copy the write-ahead log back into the file now, as far as readers allow."""
        self._connection().execute("PRAGMA wal_checkpoint(PASSIVE)")

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        return _SQLiteTransaction(self._connection()).fetchone(sql, params)

    def close(self) -> None:
        with self._lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()
        self._local = threading.local()


def _pg(sql: str) -> str:
    return sql.replace("?", "%s")


class _PostgresTransaction:
    def __init__(self, connection: Any) -> None:
        self._connection = connection

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._connection.execute(_pg(sql), params)

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return list(self._connection.execute(_pg(sql), params).fetchall())

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        return self._connection.execute(_pg(sql), params).fetchone()


class PostgresDatabase:
    """A small connection pool; an optional schema keeps Mrezha's tables apart."""

    dialect = "postgresql"

    def __init__(self, url: str, schema: str | None = None, size: int = 4) -> None:
        from psycopg.rows import dict_row
        from psycopg_pool import ConnectionPool

        base = url.split("?", 1)[0]
        kwargs: dict[str, Any] = {"row_factory": dict_row, "autocommit": True}
        if schema:
            kwargs["options"] = f"-c search_path={schema}"
        self._pool = ConnectionPool(base, min_size=1, max_size=size, kwargs=kwargs, open=True)

    @contextmanager
    def transaction(self) -> Iterator[_PostgresTransaction]:
        with self._pool.connection() as connection, connection.transaction():
            yield _PostgresTransaction(connection)

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self._pool.connection() as connection:
            return _PostgresTransaction(connection).fetchall(sql, params)

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        with self._pool.connection() as connection:
            return _PostgresTransaction(connection).fetchone(sql, params)

    def fetch_tuples(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[str], list[tuple[Any, ...]]]:
        """The columns and the rows as plain tuples: for reading whole tables, without a dict a row."""
        from psycopg.rows import tuple_row

        with self._pool.connection() as connection, connection.cursor(row_factory=tuple_row) as cursor:
            cursor.execute(_pg(sql), params)
            return [d.name for d in cursor.description or ()], cursor.fetchall()

    def checkpoint(self) -> None:
        """PostgreSQL checkpoints on its own."""

    def close(self) -> None:
        self._pool.close()


def open_database(settings: Settings) -> Database:
    return database_at(settings.database_url)


def database_at(url: str, *, checkpoint_pages: int | None = None) -> Database:
    """The read models' database named by a ``MREZHA_DATABASE_URL``-style URL."""
    if is_postgres_url(url):
        return PostgresDatabase(url, schema_in_url(url))
    if checkpoint_pages is None:
        return SQLiteDatabase(sqlite_path_of(url))
    return SQLiteDatabase(sqlite_path_of(url), checkpoint_pages=checkpoint_pages)


class CommitWatch:
    """Whether anything was committed to the database since the last look, told without reading it: an
    idle worker's once-a-second safety poll then costs next to nothing. On a SQLite file a connection of
    its own asks ``PRAGMA data_version``, which moves with every commit of any other connection, in this
    process or another (a transaction that wrote nothing does not move it; a few microseconds, fine on an
    event loop). PostgreSQL cannot be asked as cheaply: there every look says True, and the caller reads."""

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._connection: sqlite3.Connection | None = None
        self._version: int | None = None

    def changed(self) -> bool:
        """True at the first look, and whenever a commit came between the last look and this one; True
        too when the file cannot be asked (the caller then reads, as it would without the watch)."""
        if self._path is None:
            return True
        try:
            if self._connection is None:  # never creates the file: it is the store's to make
                self._connection = sqlite3.connect(
                    f"{self._path.resolve().as_uri()}?mode=rw", uri=True, timeout=0.1, isolation_level=None,
                    check_same_thread=False,
                )
            version = int(self._connection.execute("PRAGMA data_version").fetchall()[0][0])  # all: the read ends here
        except sqlite3.Error:
            return True
        changed, self._version = version != self._version, version
        return changed

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def commit_watch(settings: Settings) -> CommitWatch:
    """A watch on the database of ``MREZHA_DATABASE_URL`` (the store's and the read models')."""
    return CommitWatch(None if is_postgres_url(settings.database_url) else settings.sqlite_path)
