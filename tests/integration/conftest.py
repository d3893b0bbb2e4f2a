"""Integration fixtures beyond the shared ones: a second, empty database of the same engine."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.settings import Settings
from infra.sql import PostgresDatabase, SQLiteDatabase
from infra.store import create_postgres_schema
from projections.sql import Database


@pytest.fixture
def fresh_database(settings: Settings, tmp_path: Path) -> Iterator[Database]:
    """An empty database beside the test's own: a new SQLite file, or a new PostgreSQL schema."""
    if not settings.is_postgres:
        sqlite = SQLiteDatabase(tmp_path / "fresh.sqlite")
        yield sqlite
        sqlite.close()
        return
    import psycopg

    dsn = settings.database_url.split("?", 1)[0]
    schema = f"t_{uuid.uuid4().hex[:12]}"
    create_postgres_schema(dsn, schema)
    postgres = PostgresDatabase(dsn, schema)
    try:
        yield postgres
    finally:
        postgres.close()
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def fast_postgres_commits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commits that PostgreSQL does not wait to flush (``synchronous_commit=off``, through libpq's
    PGOPTIONS, so the workers started after it inherit it too). For the fault tests, which kill
    the relay, the projector and NATS, never PostgreSQL: its own durability is not under test,
    and a flush per command would make 10,000 commands take minutes."""
    monkeypatch.setenv("PGOPTIONS", "-c synchronous_commit=off")
