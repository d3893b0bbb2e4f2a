"""The event store: one eventsourcing ``Application`` per process, one method per command.

Each command loads what it needs, calls one aggregate method, saves, and returns
the notification id of the last event it stored, so a caller can wait until
that id is projected. The notification log is the outbox the relay follows.
"""

from __future__ import annotations

from datetime import date
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain.errors import NotFound
from infra.account_commands import AccountCommands
from infra.activity_commands import ActivityCommands
from infra.centre_commands import CentreCommands
from infra.network_commands import NetworkCommands
from infra.plan_commands import PlanCommands
from infra.practice_commands import PracticeCommands
from infra.settings import Settings


MAPPER_TOPIC = "infra.metadata:MetadataMapper"


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class MrezhaApplication(
    CentreCommands, ActivityCommands, AccountCommands, NetworkCommands, PlanCommands, PracticeCommands, Application
):
    """Records the network's facts. Commands return the notification id they stored."""

    name = "mrezha"

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def today(self) -> date:
        """The date commands judge "past" and "ended" by; tests may replace it."""
        return self.clock()

    clock: Callable[[], date] = staticmethod(date.today)  # type: ignore[assignment]

    def _change(self, aggregate_id: UUID, of_type: type, action: Callable[[Any], object]) -> int:
        """Load one aggregate, let it decide, save what it recorded: the notification id."""
        aggregate = self._get(aggregate_id, of_type)
        if aggregate is None:
            raise NotFound(None)
        action(aggregate)
        recordings = self.save(aggregate)
        if not recordings:
            return self.last_notification_id()
        return recordings[-1].notification.id

    def _get(self, aggregate_id: UUID, of_type: type) -> Any:
        try:
            aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return aggregate if isinstance(aggregate, of_type) else None

    # Queries on the store itself ----------------------------------------------

    def last_notification_id(self) -> int:
        return self.recorder.max_notification_id() or 0

    def _exists(self, aggregate_id: UUID, of_type: type | None = None) -> bool:
        try:
            aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return False
        return of_type is None or isinstance(aggregate, of_type)


def store_environment(settings: Settings, schema: str | None = None) -> dict[str, str]:
    """The eventsourcing environment for the configured database."""
    if not settings.is_postgres:
        return {
            "MAPPER_TOPIC": MAPPER_TOPIC,
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(settings.sqlite_path),
            "SQLITE_LOCK_TIMEOUT": "30",
        }
    parts = urlsplit(settings.database_url)
    env = {
        "MAPPER_TOPIC": MAPPER_TOPIC,
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": parts.path.lstrip("/"),
        "POSTGRES_HOST": parts.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(parts.port or 5432),
        "POSTGRES_USER": unquote(parts.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
        "POSTGRES_POOL_SIZE": "5",
    }
    if schema:
        env["POSTGRES_SCHEMA"] = schema
    return env


def open_store(settings: Settings) -> MrezhaApplication:
    schema = postgres_schema(settings)
    if schema:
        create_postgres_schema(settings.database_url, schema)
    return MrezhaApplication(env=store_environment(settings, schema))


def create_postgres_schema(url: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(url.split("?", 1)[0], autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')


def postgres_schema(settings: Settings) -> str | None:
    """An optional ``?schema=`` in the PostgreSQL URL keeps Mrezha's tables apart (tests use it)."""
    return schema_in_url(settings.database_url) if settings.is_postgres else None


def schema_in_url(url: str) -> str | None:
    for pair in urlsplit(url).query.split("&"):
        key, _, value = pair.partition("=")
        if key == "schema" and value:
            return value
    return None
