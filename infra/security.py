"""Credentials, sessions and login throttling: the mutable secrets kept beside the event store.

Password hashes (argon2id) never enter an event; sessions are random tokens of
which only a SHA-256 digest is stored. A session holds the account's password
generation at login, so a password change ends every older session.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from uuid import UUID

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from projections.sql import Database

SESSION_IDLE = timedelta(minutes=30)  # defaults; the web process passes the configured ones
SESSION_MAX = timedelta(hours=12)
FAILURES_ALLOWED = 5  # failed sign-ins (per name, per address) before each next one must wait
FAILURE_WINDOW = timedelta(minutes=15)  # failures older than this no longer count
ADDRESS_DELAY_FIRST = 2.0  # seconds an address waits after its sixth failure, doubled with each further one
ADDRESS_DELAY_MAX = 15 * 60.0
NAME_DELAY_MAX = 8.0  # a name is slowed, never locked: its owner, elsewhere, waits at most this long

SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS account_credentials (
        account_id TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL,
        changed_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS web_sessions (
        token_digest TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        password_generation INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        last_seen TEXT NOT NULL
    )
    """,
    "CREATE INDEX IF NOT EXISTS web_sessions_by_account ON web_sessions (account_id)",
    """
    CREATE TABLE IF NOT EXISTS login_failures (
        subject TEXT NOT NULL,
        failed_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX IF NOT EXISTS login_failures_by_subject ON login_failures (subject, failed_at)",
)

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Session:
    account_id: UUID
    password_generation: int


class Security:
    def __init__(
        self, db: Database, *, session_idle: timedelta = SESSION_IDLE, session_max: timedelta = SESSION_MAX
    ) -> None:
        self.db = db
        self.session_idle = session_idle
        self.session_max = session_max

    def create_tables(self) -> None:
        with self.db.transaction() as tx:
            for statement in SCHEMA:
                tx.execute(statement)

    # Credentials ----------------------------------------------------------------

    def set_password(self, account_id: UUID, password: str) -> None:
        digest = _hasher.hash(password)
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO account_credentials (account_id, password_hash, changed_at) VALUES (?, ?, ?) "
                "ON CONFLICT (account_id) DO UPDATE SET password_hash = excluded.password_hash, "
                "changed_at = excluded.changed_at",
                (str(account_id), digest, _now().isoformat()),
            )

    def has_accounts(self) -> bool:
        """Whether any account has a password yet (none: the installation waits for `mrezha user add`)."""
        return self.db.fetchone("SELECT 1 AS one FROM account_credentials LIMIT 1") is not None

    def check_password(self, account_id: UUID, password: str) -> bool:
        row = self.db.fetchone(
            "SELECT password_hash FROM account_credentials WHERE account_id = ?", (str(account_id),)
        )
        if row is None:
            _hasher.hash(password)  # the same work whether or not the account exists
            return False
        try:
            return _hasher.verify(row["password_hash"], password)
        except (VerificationError, InvalidHashError):
            return False

    # Sessions ---------------------------------------------------------------------

    def open_session(self, account_id: UUID, password_generation: int) -> str:
        token = secrets.token_urlsafe(32)
        now = _now().isoformat()
        with self.db.transaction() as tx:
            # Sessions past their idle or absolute limit are purged as new ones open
            tx.execute(
                "DELETE FROM web_sessions WHERE last_seen < ? OR created_at < ?",
                ((_now() - self.session_idle).isoformat(), (_now() - self.session_max).isoformat()),
            )
            tx.execute(
                "INSERT INTO web_sessions (token_digest, account_id, password_generation, created_at, last_seen) "
                "VALUES (?, ?, ?, ?, ?)",
                (_digest(token), str(account_id), password_generation, now, now),
            )
        return token

    def session(self, token: str) -> Session | None:
        """The live session for a cookie's token; an idle or too old one is ended."""
        if not token or len(token) > 100:
            return None
        row = self.db.fetchone("SELECT * FROM web_sessions WHERE token_digest = ?", (_digest(token),))
        if row is None:
            return None
        now = _now()
        created = datetime.fromisoformat(row["created_at"])
        last_seen = datetime.fromisoformat(row["last_seen"])
        if now - last_seen > self.session_idle or now - created > self.session_max:
            self.close_session(token)
            return None
        if now - last_seen > timedelta(minutes=1):
            with self.db.transaction() as tx:
                tx.execute(
                    "UPDATE web_sessions SET last_seen = ? WHERE token_digest = ?", (now.isoformat(), _digest(token))
                )
        return Session(UUID(row["account_id"]), int(row["password_generation"]))

    def close_session(self, token: str) -> None:
        with self.db.transaction() as tx:
            tx.execute("DELETE FROM web_sessions WHERE token_digest = ?", (_digest(token),))

    def close_sessions_of(self, account_id: UUID) -> None:
        with self.db.transaction() as tx:
            tx.execute("DELETE FROM web_sessions WHERE account_id = ?", (str(account_id),))

    # Throttling --------------------------------------------------------------------

    def wait_before_next(self, subject: str, longest: float) -> float:
        """Seconds ``subject`` (``ip:...``, ``user:...``) must still wait before its next attempt: none for
        the first ``FAILURES_ALLOWED`` failures in the window, then a delay doubling with each failure
        (at most ``longest``), counted from the latest failure. Nothing is ever locked for good."""
        since = (_now() - FAILURE_WINDOW).isoformat()
        row = self.db.fetchone(
            "SELECT COUNT(*) AS n, MAX(failed_at) AS latest FROM login_failures WHERE subject = ? AND failed_at > ?",
            (subject, since),
        )
        failures = int(row["n"]) if row else 0
        if row is None or failures < FAILURES_ALLOWED:
            return 0.0
        delay = min(ADDRESS_DELAY_FIRST * 2 ** min(failures - FAILURES_ALLOWED, 20), longest)
        waited = (_now() - datetime.fromisoformat(row["latest"])).total_seconds()
        return max(0.0, delay - waited)

    def record_failure(self, *subjects: str) -> None:
        now = _now().isoformat()
        with self.db.transaction() as tx:
            for subject in subjects:
                tx.execute("INSERT INTO login_failures (subject, failed_at) VALUES (?, ?)", (subject, now))
            tx.execute(
                "DELETE FROM login_failures WHERE failed_at < ?", ((_now() - 2 * FAILURE_WINDOW).isoformat(),)
            )

    def clear_failures(self, *subjects: str) -> None:
        with self.db.transaction() as tx:
            for subject in subjects:
                tx.execute("DELETE FROM login_failures WHERE subject = ?", (subject,))
