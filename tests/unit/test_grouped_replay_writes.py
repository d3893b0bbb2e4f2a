"""The audit's replay runs a run of the same statement as one executemany: the outcome must be the
statements' one after the other, and a read in between must see every write before it."""

from infra.audit_report import _Grouped
from infra.sql import SQLiteDatabase


def test_grouped_writes_keep_their_order_and_a_read_sees_them(tmp_path):
    db = SQLiteDatabase(tmp_path / "scratch.sqlite")
    with db.transaction() as tx:
        tx.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)")
    with db.transaction() as tx:
        grouped = _Grouped(tx)
        for k in ("a", "b", "c"):
            grouped.execute("INSERT INTO t VALUES (?, 1)", (k,))
        grouped.execute("UPDATE t SET v = v + 1 WHERE k = ?", ("b",))
        grouped.execute("UPDATE t SET v = v + 1 WHERE k = ?", ("b",))
        seen = grouped.fetchone("SELECT v FROM t WHERE k = ?", ("b",))
        grouped.execute("INSERT INTO t VALUES (?, 1) ON CONFLICT (k) DO UPDATE SET v = v * 10", ("b",))
        grouped.flush()
    assert seen == {"v": 3}
    assert db.fetchall("SELECT k, v FROM t ORDER BY k") == [{"k": "a", "v": 1}, {"k": "b", "v": 30}, {"k": "c", "v": 1}]
    db.close()
