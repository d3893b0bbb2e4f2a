"""The subscription tokens' table, on SQLite and PostgreSQL: a token opens its scope until it is rotated
or revoked, the page can show it again, and another secret key makes other tokens."""

from __future__ import annotations

from pathlib import Path

from infra.feed_tokens import FeedTokens
from infra.settings import load_settings
from infra.sql import open_database
from infra.store import store_environment


def tokens(tmp_path: Path, database_url: str, key: str = "a secret key") -> FeedTokens:
    settings = load_settings({"MREZHA_DATA_DIR": str(tmp_path), "MREZHA_DATABASE_URL": database_url})
    store_environment(settings)  # makes the PostgreSQL schema
    feed_tokens = FeedTokens(open_database(settings), key)
    feed_tokens.create_tables()
    return feed_tokens


def test_a_token_opens_its_scope_until_rotated_or_revoked(tmp_path: Path, database_url: str):
    feed = tokens(tmp_path, database_url)
    assert feed.token("centre:dobrich") is None
    first = feed.rotate("centre:dobrich")
    assert feed.scope_of(first) == "centre:dobrich" and feed.token("centre:dobrich") == first
    second = feed.rotate("centre:dobrich")
    assert second != first and feed.scope_of(first) is None and feed.scope_of(second) == "centre:dobrich"
    other = feed.rotate("account:ivana")
    feed.revoke("centre:dobrich")
    assert feed.scope_of(second) is None and feed.token("centre:dobrich") is None
    assert feed.scope_of(other) == "account:ivana"
    feed.db.close()


def test_another_secret_key_makes_other_tokens_from_the_same_rows(tmp_path: Path, database_url: str):
    feed = tokens(tmp_path, database_url)
    token = feed.rotate("centre:vratsa")
    elsewhere = FeedTokens(feed.db, "another key")
    assert elsewhere.token("centre:vratsa") != token
    assert elsewhere.scope_of(token) == "centre:vratsa"  # the digest is what is looked up
    feed.db.close()
