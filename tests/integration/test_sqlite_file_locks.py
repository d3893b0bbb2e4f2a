"""Making the SQLite file private again must not let go of the locks this process holds on it.

POSIX record locks belong to the process and file: closing *any* descriptor of the file drops them
all, SQLite's included. Opening a second ``SQLiteDatabase`` (the web's, the audit's) on a file this
process already writes to once did so, and another process then wrote at the same time
("database disk image is malformed")."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

from infra.store import private_sqlite_file


def test_another_process_closing_the_file_leaves_this_ones_write_ahead_log_in_place(tmp_path):
    path = tmp_path / "store.sqlite"
    private_sqlite_file(path)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("CREATE TABLE t (x)")
    holder.execute("INSERT INTO t VALUES (1)")
    # When the file is made private again while this process has it open
    private_sqlite_file(path)
    # And another process opens and closes it (the last one out removes the log, when it can lock the file)
    subprocess.run([sys.executable, "-c", "import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute("
                    "'SELECT COUNT(*) FROM t').fetchall()", str(path)], timeout=30, check=True)
    # Then this process's log and shared memory are still there: it was not taken for gone
    assert path.with_name("store.sqlite-wal").exists() and path.with_name("store.sqlite-shm").exists()
    assert holder.execute("SELECT COUNT(*) FROM t").fetchone() == (1,)
