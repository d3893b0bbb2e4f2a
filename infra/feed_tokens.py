"""Secret calendar subscription URLs: one per centre ("centre:<id>") and one per user ("account:<id>").

Calendar programs (Google, Outlook, Thunderbird) cannot sign in, so a feed they subscribe to is
authorised by a secret in its URL. Nothing of it enters an event: the table ``feed_tokens`` beside the
credentials holds, per scope, a random nonce and the SHA-256 digest of the token. The token itself is
``HMAC-SHA256(secret key, scope + nonce)``, so the page can show the URL again to those permitted, a
copy of the database alone does not yield it (the secret key stays in the data dir or the
environment), and a request is looked up by the digest only. Rotating draws a new nonce (the old URL
stops at once); revoking deletes the row.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timezone

from projections.sql import Database

SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS feed_tokens (
        scope TEXT PRIMARY KEY,
        nonce TEXT NOT NULL,
        token_digest TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
    )
    """,
)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def centre_scope(centre_id: object) -> str:
    return f"centre:{centre_id}"


def account_scope(account_id: object) -> str:
    return f"account:{account_id}"


class FeedTokens:
    def __init__(self, db: Database, secret_key: str) -> None:
        self.db = db
        self._key = secret_key.encode()

    def create_tables(self) -> None:
        with self.db.transaction() as tx:
            for statement in SCHEMA:
                tx.execute(statement)

    def _token(self, scope: str, nonce: str) -> str:
        mac = hmac.new(self._key, f"{scope}\n{nonce}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()

    def token(self, scope: str) -> str | None:
        """The scope's current token (None: it has no subscription URL)."""
        row = self.db.fetchone("SELECT nonce FROM feed_tokens WHERE scope = ?", (scope,))
        return self._token(scope, row["nonce"]) if row else None

    def created_at(self, scope: str) -> str | None:
        row = self.db.fetchone("SELECT created_at FROM feed_tokens WHERE scope = ?", (scope,))
        return row["created_at"] if row else None

    def rotate(self, scope: str) -> str:
        """A new token for the scope; the previous one (if any) stops working."""
        nonce = secrets.token_urlsafe(16)
        token = self._token(scope, nonce)
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO feed_tokens (scope, nonce, token_digest, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (scope) DO UPDATE SET nonce = excluded.nonce, token_digest = excluded.token_digest, "
                "created_at = excluded.created_at",
                (scope, nonce, _digest(token), datetime.now(timezone.utc).isoformat()),
            )
        return token

    def revoke(self, scope: str) -> None:
        with self.db.transaction() as tx:
            tx.execute("DELETE FROM feed_tokens WHERE scope = ?", (scope,))

    def scope_of(self, token: str) -> str | None:
        """The scope a token opens (None: unknown, rotated or revoked). Compared by digest, in constant time."""
        if not token or len(token) > 100:
            return None
        digest = _digest(token)
        row = self.db.fetchone("SELECT scope, token_digest FROM feed_tokens WHERE token_digest = ?", (digest,))
        if row is None or not hmac.compare_digest(row["token_digest"], digest):
            return None
        return str(row["scope"])
