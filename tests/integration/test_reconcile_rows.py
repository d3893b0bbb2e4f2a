"""The reconciliation reads whole tables as plain tuples (``fetch_tuples``) rather than a dict a
row: on either engine it must find the same rows, and the same differences, as reading them as
dicts does."""

from __future__ import annotations

from collections import Counter

from infra import audit_report
from infra.sql import SQLiteDatabase
from projections.base import Projection, ensure_tables


class Figures(Projection):
    name = "figures"
    tables = ("figures",)
    schema = ("CREATE TABLE IF NOT EXISTS figures (id TEXT PRIMARY KEY, title TEXT NOT NULL, n INTEGER, "
              "share REAL, big BIGINT, on_date TEXT, on_day DATE)",)  # a DATE: PostgreSQL gives a date


def _as_dicts(db, table):
    rows = db.fetchall(f"SELECT * FROM {table}")
    return Counter(tuple(map(audit_report._plain, row.values())) for row in rows)


def test_tables_read_as_tuples_equal_them_read_as_dicts(store, read_db, tmp_path):  # the store makes the schema
    # Given the same rows, with empty and filled values of every type, on either engine and in SQLite
    scratch = SQLiteDatabase(tmp_path / "scratch.sqlite")
    rows = [("a1", "Обмен", 40, 0.25, 2**40, "2025-03-03", "2025-03-03"), ("a2", "Семинар „Мост“", 0, None, None, None, None),
            ("a3", "", None, 1.0, -1, "2025-09-01", "2025-09-02")]
    for db in (read_db, scratch):
        ensure_tables(db, Figures())
        with db.transaction() as tx:
            for row in rows:
                tx.execute("INSERT INTO figures VALUES (?, ?, ?, ?, ?, ?, ?)", row)
    # Then the tuples are the dicts' values, the columns in the same order, and nothing differs
    for db in (read_db, scratch):
        columns, counted = audit_report._rows(db, "figures")
        assert columns == list(db.fetchall("SELECT * FROM figures")[0]) == ["id", "title", "n", "share", "big", "on_date", "on_day"]
        assert counted == _as_dicts(db, "figures")
    assert audit_report.reconcile(scratch, read_db, [Figures()]) == []
    # And a row changed on one side is named on both sides
    with read_db.transaction() as tx:
        tx.execute("UPDATE figures SET n = 41 WHERE id = 'a1'")
    differences = audit_report.reconcile(scratch, read_db, [Figures()])
    assert differences[0] == "figures: 1 rows only in the rebuilt, 1 only in the live"
    assert '"n": 40' in differences[1] and '"n": 41' in differences[2]
    scratch.close()
