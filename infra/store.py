"""The event store's configuration: the eventsourcing environment for the configured database.

The application (``application.app.MrezhaApplication``) is made by each process's
composition root: ``MrezhaApplication(env=store_environment(settings), passwords=...)``.
"""

from __future__ import annotations

from typing import Any

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from infra.settings import Settings


def store_environment(settings: Settings) -> dict[str, str]:
    """The eventsourcing environment for the configured database; a PostgreSQL schema named
    in the URL (``?schema=``) is created when missing."""
    if not settings.is_postgres:
        private_sqlite_file(settings.sqlite_path)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(settings.sqlite_path),
            "SQLITE_LOCK_TIMEOUT": "30",
        }
    parts = urlsplit(settings.database_url)
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": parts.path.lstrip("/"),
        "POSTGRES_HOST": parts.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(parts.port or 5432),
        "POSTGRES_USER": unquote(parts.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
        "POSTGRES_POOL_SIZE": "5",
    }
    schema = schema_in_url(settings.database_url)
    if schema:
        create_postgres_schema(settings.database_url, schema)
        env["POSTGRES_SCHEMA"] = schema
    return env


def create_postgres_schema(url: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(url.split("?", 1)[0], autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')


def schema_in_url(url: str) -> str | None:
    """An optional ``?schema=`` in the PostgreSQL URL keeps Mrezha's tables apart (tests use it)."""
    for pair in urlsplit(url).query.split("&"):
        key, _, value = pair.partition("=")
        if key == "schema" and value:
            return value
    return None


def events_after(app: Any, notification_id: int) -> tuple[int, int]:
    """How many events the store holds past a notification id, and the last id among them (the
    given one when none): counted, not read from the last id, which has gaps on PostgreSQL (an id
    taken by a transaction that then lost a conflict is never used)."""
    recorder = app.recorder
    table = recorder.events_table_name
    if hasattr(recorder.datastore, "schema"):  # PostgreSQL
        from psycopg.sql import SQL, Identifier

        statement = SQL("SELECT COUNT(*) AS n, MAX(notification_id) AS last FROM {}.{} WHERE notification_id > %s").format(
            Identifier(recorder.datastore.schema), Identifier(table)
        )
        with recorder.datastore.get_connection() as connection, connection.cursor() as cursor:
            cursor.execute(statement, (notification_id,))
            row = cursor.fetchone()
            return int(row["n"]), int(row["last"] or notification_id)
    with recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute(f"SELECT COUNT(*), MAX(rowid) FROM {table} WHERE rowid > ?", (notification_id,))
        count, last = cursor.fetchone()
        return int(count), int(last or notification_id)

def private_sqlite_file(path: Path) -> None:
    """Create the database file readable by this user only (0600), before SQLite opens it: SQLite gives
    its WAL and SHM files the database file's mode. An existing file (and its WAL/SHM) is made private too.

    An existing file is never opened here: closing any descriptor of a file drops every POSIX lock this
    process holds on it, the locks of SQLite's own connections included (the relay opens the store, then
    the read models' database, in the same file). Another process then thinks itself the file's last
    user, checkpoints and removes the write-ahead log under this one, and the store is corrupted."""
    path = Path(path)
    if not path.exists():  # never open (and close) a file this process may hold: closing any descriptor of
        try:               # it drops the process's SQLite locks, and another process then takes it for unused
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600))
        except FileExistsError:
            pass
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists():
            file.chmod(0o600)
