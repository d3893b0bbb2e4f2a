"""Opening the read models' database beside the store, in one process, keeps the store's SQLite locks.

Closing any descriptor of a file drops every POSIX lock the process holds on it, SQLite's included:
the relay (the store, then the read models' database in the same file) lost its locks, another process
took the file for its own, and the store was corrupted ("database disk image is malformed")."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from infra.store import private_sqlite_file


def test_making_an_open_database_file_private_keeps_the_locks_sqlite_holds_on_it(tmp_path: Path):
    # Given a connection of this process reading the file: it holds a shared lock on it
    path = tmp_path / "mrezha.sqlite"
    private_sqlite_file(path)
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("CREATE TABLE t (x INTEGER)")
    reader.execute("BEGIN")
    reader.execute("SELECT * FROM t").fetchall()

    # When the same file is made private again (as every part's database opening does)
    private_sqlite_file(path)

    # Then another process still cannot take the file for itself
    other = subprocess.run(
        [sys.executable, "-c", "import sqlite3, sys; sqlite3.connect(sys.argv[1], timeout=0).execute('BEGIN EXCLUSIVE')",
         str(path)],
        capture_output=True, text=True,
    )
    reader.execute("COMMIT")
    reader.close()
    assert other.returncode != 0 and "database is locked" in other.stderr, "the reader's lock was dropped"
