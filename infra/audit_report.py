"""The year's audit: replay the store from its first event into scratch read models (never the
live ones), up to the latest signed checkpoint, and write a deterministic report of the year.

Partial: activities by kind, month and centre, with participants, young people and young people
with fewer opportunities; the checkpoint it was computed from; and the reconciliation of the
rebuilt read models with the live ones.
"""

from __future__ import annotations

import csv
import gc
from collections import Counter
import hashlib
import io
import json
import multiprocessing
from html import escape
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import singledispatchmethod
from pathlib import Path
from typing import Any

from eventsourcing.application import Application
from eventsourcing.utils import resolve_topic

from audit import note
from infra.audit_log import latest_checkpoint
from projections.base import Projection, ensure_tables
from projections.sql import Database, Row

BATCH = 5000  # notifications read at a time
COMMIT_EVERY = 100_000  # events written to the scratch read models in one transaction
# The scratch database is private and thrown away when anything fails: no rollback journal, no syncing.
SCRATCH_PRAGMAS = ("journal_mode=OFF", "synchronous=OFF", "temp_store=MEMORY", "cache_size=-262144")


TRACK = ("INSERT INTO projection_tracking (projection, position) VALUES (?, ?) "
         "ON CONFLICT (projection) DO UPDATE SET position = excluded.position")


def _handlers_of(projection: Projection) -> Callable[[type], Callable[[Any, Any], None] | None]:
    """The projection's handler of an event class, bound, or None when it passes the class over:
    looked up once per class, not once per event (``singledispatchmethod`` rebuilds its wrapper
    on every access and dispatches on every call). A projection without one handler per class
    says which classes it shows with ``handles``."""
    found = next((c.__dict__["apply"] for c in type(projection).__mro__ if "apply" in c.__dict__), None)
    if not isinstance(found, singledispatchmethod):
        bound = projection.apply
        return lambda cls: bound if projection.handles(cls) else None
    dispatcher = found.dispatcher
    default = dispatcher.registry[object]

    def handler(cls: type) -> Callable[[Any, Any], None] | None:
        function = dispatcher.dispatch(cls)
        return None if function is default else function.__get__(projection)

    return handler


class _Routes:
    """Stored topic -> the read models that show its events, with their handlers, as
    ((index of the read model, handler), ...): looked up once per topic, so an event no read model
    shows is not even decoded."""

    def __init__(self, projections: Sequence[Projection]) -> None:
        self._lookups = [_handlers_of(projection) for projection in projections]
        self._routes: dict[str, tuple[tuple[int, Callable[[Any, Any], None]], ...]] = {}

    def __call__(self, topic: str) -> tuple[tuple[int, Callable[[Any, Any], None]], ...]:
        route = self._routes.get(topic)
        if route is None:
            cls = resolve_topic(topic)
            route = self._routes[topic] = tuple(
                (index, handler) for index, lookup in enumerate(self._lookups) if (handler := lookup(cls)) is not None)
        return route


class _Grouped:
    """A transaction that runs a run of the same statement as one ``executemany``: in the order
    given, so the outcome is the one statement after the other's; a read first runs what waits."""

    def __init__(self, tx: Any) -> None:
        self._tx, self._sql, self._params = tx, "", []  # type: ignore[var-annotated]
        self._many = getattr(tx, "executemany", None)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        if sql != self._sql:
            self.flush()
            self._sql = sql
        self._params.append(params)

    def flush(self) -> None:
        if not self._params:
            return
        if self._many is not None and len(self._params) > 1:
            self._many(self._sql, self._params)
        else:
            for params in self._params:
                self._tx.execute(self._sql, params)
        self._params = []

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        self.flush()
        return list(self._tx.fetchall(sql, params))

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        self.flush()
        return self._tx.fetchone(sql, params)  # type: ignore[no-any-return]


# A store this big is replayed on two cores: the read models named here in a second process, into
# a scratch file of their own, taken over at the end; together about half the work of all of them
# (python -m tests.bench --only audit). Below it, a second process costs more than it saves.
PARALLEL_FROM = 50_000
SECOND_PROCESS = ("timeline", "audit_year")


def replay(store: Application, scratch: Database, projections: Sequence[Projection], upto: int,
           progress: Callable[[int], None] = lambda n: None, parallel_from: int = PARALLEL_FROM) -> int:
    """Every stored event up to leaf ``upto`` applied to the scratch read models; the last id.

    From ``parallel_from`` events on, and when the store can be opened again by another process,
    the read models of ``SECOND_PROCESS`` are replayed beside the others in a process of their own
    (each process reads the store itself) and their tables are copied into ``scratch`` at the end:
    a read model keeps to its own tables, so the outcome is the same."""
    second = [p for p in projections if p.name in SECOND_PROCESS]
    part = _part_path(scratch)
    if upto < parallel_from or not second or len(second) == len(projections) or part is None \
            or not _reopenable(store):
        return _replay_here(store, scratch, projections, upto, progress)
    first = [p for p in projections if p.name not in SECOND_PROCESS]
    part.unlink(missing_ok=True)
    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            other = pool.submit(_replay_part, type(store), dict(store.env), part, second, upto)
            last = _replay_here(store, scratch, first, upto, progress)
            theirs = other.result()
        if theirs != last:
            raise RuntimeError(f"the second replay stopped at {theirs}, the first at {last}")
        _take_over(scratch, part, second, last)
    finally:
        part.unlink(missing_ok=True)
    return last


def _part_path(scratch: Database) -> Path | None:
    path = getattr(scratch, "path", None)
    return path.with_name(f"{path.stem}-part{path.suffix}") if scratch.dialect == "sqlite" and path else None


def _reopenable(store: Application) -> bool:
    """A store another process can open: a SQLite file or PostgreSQL (not one in memory)."""
    env = dict(store.env)
    module = env.get("PERSISTENCE_MODULE", "")
    if module == "eventsourcing.postgres":
        return True
    name = env.get("SQLITE_DBNAME", "")
    return module == "eventsourcing.sqlite" and bool(name) and "memory" not in name


def _replay_part(store_class: type[Application], env: dict[str, str], path: Path,
                 projections: Sequence[Projection], upto: int) -> int:
    """In the second process: its read models replayed into a scratch file of their own."""
    from infra.sql import SQLiteDatabase

    store, scratch = store_class(env=env), SQLiteDatabase(path)
    try:
        return _replay_here(store, scratch, projections, upto)
    finally:
        scratch.close()
        store.close()


def _take_over(scratch: Database, part: Path, projections: Sequence[Projection], last: int) -> None:
    """The second process's tables copied into ``scratch`` (made alike first, so SQLite copies
    their pages as they are), with the read models' positions."""
    for projection in projections:
        ensure_tables(scratch, projection)
    scratch.fetchall("ATTACH DATABASE ? AS part", (str(part),))
    try:
        with scratch.transaction() as tx:
            for projection in projections:
                for table in projection.tables:
                    tx.execute(f"INSERT INTO main.{table} SELECT * FROM part.{table}")
                tx.execute(TRACK, (projection.name, last))
    finally:
        scratch.fetchall("DETACH DATABASE part")


# Decoding an event makes a few short-lived dicts and lists, none in a cycle: a replay collects
# cyclic garbage a hundred times less often than the interpreter would (about 8 % of its time).
RARE_COLLECTION = (70_000, 10, 10)


@contextmanager
def _collecting_rarely() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(*RARE_COLLECTION)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _replay_here(store: Application, scratch: Database, projections: Sequence[Projection], upto: int,
                 progress: Callable[[int], None] = lambda n: None) -> int:
    with _collecting_rarely():
        return _replay_events(store, scratch, projections, upto, progress)


def _replay_events(store: Application, scratch: Database, projections: Sequence[Projection], upto: int,
                   progress: Callable[[int], None]) -> int:
    """The replay in this process.

    The scratch database is private and thrown away: it is written without a rollback journal and
    without syncing, ``COMMIT_EVERY`` events in one transaction for every read model (with their
    positions). Each event is decoded once, and only when a read model shows it, then handed to
    those read models in turn; each read model's writes wait in a queue of its own, where a run of
    the same statement goes as one ``executemany``. The outcome is the
    projector's (``apply_batch``, read model after read model): each read model keeps to its own
    tables, so it sees its own events in order and its own writes before its reads."""
    for projection in projections:
        ensure_tables(scratch, projection)
    if scratch.dialect == "sqlite":
        for pragma in SCRATCH_PRAGMAS:
            scratch.fetchall(f"PRAGMA {pragma}")
    route = _Routes(projections)
    to_domain_event = store.mapper.to_domain_event
    last, done, more = 0, 0, True
    while more and done < upto:
        with scratch.transaction() as tx:
            queues = [_Grouped(tx) for _ in projections]
            began = done
            while done < upto and done - began < COMMIT_EVERY:
                notifications = store.recorder.select_notifications(last + 1, min(BATCH, upto - done))
                if not notifications:
                    more = False
                    break
                for notification in notifications:
                    handlers = route(notification.topic)
                    if handlers:
                        event = to_domain_event(notification)
                        for index, handler in handlers:
                            handler(event, queues[index])
                for queue in queues:
                    queue.flush()
                last, done = notifications[-1].id, done + len(notifications)
                progress(len(notifications))
            for projection in projections:
                tx.execute(TRACK, (projection.name, last))
    return last


def activities(scratch: Database, year: int) -> list[Row]:
    return scratch.fetchall(
        "SELECT kind, month, host_name AS centre, status, COUNT(*) AS activities, "
        "COALESCE(SUM(participants), 0) AS participants, COALESCE(SUM(young_people), 0) AS young_people, "
        "COALESCE(SUM(fewer_opportunities), 0) AS fewer_opportunities FROM calendar_activities "
        "WHERE starts_on >= ? AND starts_on < ? GROUP BY kind, month, host_name, status "
        "ORDER BY kind, month, host_name, status",
        (f"{year}-01-01", f"{year + 1}-01-01"),
    )


def _totals(rows: list[Row], key: str) -> dict[str, dict[str, int]]:
    totals: dict[str, dict[str, int]] = {}
    for row in rows:
        entry = totals.setdefault(str(row[key]), {"activities": 0, "held": 0, "cancelled": 0,
                                                   "participants": 0, "young_people": 0, "fewer_opportunities": 0})
        entry["activities"] += int(row["activities"])
        if row["status"] in ("held", "cancelled"):
            entry[str(row["status"])] += int(row["activities"])
        for figure in ("participants", "young_people", "fewer_opportunities"):
            entry[figure] += int(row[figure])
    return dict(sorted(totals.items()))


def report(scratch: Database, year: int, checkpoint: note.Checkpoint) -> dict[str, Any]:
    rows = activities(scratch, year)
    return {
        "year": year,
        "checkpoint": {"origin": checkpoint.origin, "tree_size": checkpoint.size, "root_hash": checkpoint.root.hex()},
        "activities": {"by_kind": _totals(rows, "kind"), "by_month": _totals(rows, "month"),
                       "by_centre": _totals(rows, "centre"), "total": _sum(rows)},
        "rows": [{k: row[k] for k in sorted(row)} for row in rows],
        "centres": centres(scratch, year),
        "practices": practices(scratch, year),
        "chair": chair(scratch, year),
        "plan": plan_against_held(scratch, year),
        "corrections": corrections(scratch, year),
    }


def _sum(rows: list[Row]) -> dict[str, int]:
    zeros = {"activities": 0, "held": 0, "cancelled": 0, "participants": 0, "young_people": 0, "fewer_opportunities": 0}
    return _totals([{**row, "all": "all"} for row in rows], "all").get("all", zeros)


def _names(scratch: Database) -> dict[str, str]:
    return {r["id"]: r["name"] for r in scratch.fetchall("SELECT id, name FROM year_centres")}


def centres(scratch: Database, year: int) -> dict[str, Any]:
    """Centres active (hosting or taking part in an activity held in the year), and memberships."""
    start, end = f"{year}-01-01", f"{year + 1}-01-01"
    names = _names(scratch)
    active = {r["id"] for r in scratch.fetchall(
        "SELECT host_centre_id AS id FROM calendar_activities WHERE status = 'held' AND starts_on >= ? AND starts_on < ? "
        "UNION SELECT p.centre_id AS id FROM calendar_participations p JOIN calendar_activities a ON a.id = p.activity_id "
        "WHERE a.status = 'held' AND a.starts_on >= ? AND a.starts_on < ?", (start, end, start, end))}
    events = scratch.fetchall("SELECT centre_id, event, on_date, recorded_at FROM year_memberships "
                              "WHERE on_date >= ? AND on_date < ? ORDER BY on_date, recorded_at, centre_id",
                              (start, end))
    listed = [{"centre": names.get(r["centre_id"], r["centre_id"]), "event": r["event"], "on": r["on_date"],
               "recorded_at": r["recorded_at"]} for r in events]
    return {
        "active": sorted(names.get(i, i) for i in active),
        "active_count": len(active),
        "new_members": sorted(e["centre"] for e in listed if e["event"] == "admitted"),
        "readmitted": sorted(e["centre"] for e in listed if e["event"] in ("rejoined", "reinstated")),
        "left": sorted(e["centre"] for e in listed if e["event"] == "left"),
        "suspended": sorted(e["centre"] for e in listed if e["event"] == "suspended"),
        "membership_events": listed,
    }


def practices(scratch: Database, year: int) -> dict[str, Any]:
    """Practices shared, endorsed and adopted in the year, and the outcomes of adoptions recorded in it."""
    start, end = f"{year}-01-01", f"{year + 1}-01-01"
    rows = scratch.fetchall("SELECT event, results FROM year_practices WHERE on_date >= ? AND on_date < ?", (start, end))
    counts = {name: sum(1 for r in rows if r["event"] == name) for name in ("shared", "endorsed", "adopted", "outcome")}
    results: dict[str, int] = {}
    for r in rows:
        if r["event"] == "outcome":
            for key, value in json.loads(r["results"]).items():
                results[key] = results.get(key, 0) + int(value)
    return {"shared": counts["shared"], "endorsed": counts["endorsed"], "adopted": counts["adopted"],
            "outcomes_recorded": counts["outcome"], "outcome_results": dict(sorted(results.items()))}


def chair(scratch: Database, year: int) -> dict[str, Any]:
    """The chair's handovers for the year (a correction replaces the centre named), and who chaired it."""
    names = _names(scratch)
    rows = scratch.fetchall("SELECT * FROM year_handovers WHERE year = ? ORDER BY recorded_at, version", (year,))
    handovers, chaired_by = [], None
    for r in rows:
        entry = {"event": r["event"], "centre": names.get(r["centre_id"], r["centre_id"]), "on": r["on_date"],
                 "recorded_at": r["recorded_at"]}
        if r["event"] == "handover":
            entry["from"] = names.get(r["previous_centre_id"], r["previous_centre_id"])
        else:
            entry["replaced"] = names.get(r["previous_centre_id"], r["previous_centre_id"])
            entry["reason"] = r["reason"]
        handovers.append(entry)
        chaired_by = entry["centre"]
    return {"chair": chaired_by, "handovers": handovers}


def plan_against_held(scratch: Database, year: int) -> dict[str, Any]:
    """The year's annual plan, item by item kind, against the activities held."""
    items = scratch.fetchall(
        "SELECT i.kind, i.dropped, COALESCE(a.status, '') AS status FROM year_plan_items i "
        "LEFT JOIN calendar_activities a ON a.id = i.activity_id WHERE i.year = ?", (year,))
    held = scratch.fetchall("SELECT kind, COUNT(*) AS n FROM calendar_activities WHERE status = 'held' "
                            "AND starts_on >= ? AND starts_on < ? GROUP BY kind", (f"{year}-01-01", f"{year + 1}-01-01"))
    by_kind: dict[str, dict[str, int]] = {}
    for item in items:
        entry = by_kind.setdefault(item["kind"], {"planned": 0, "dropped": 0, "linked_held": 0, "held": 0})
        entry["planned"] += 1
        entry["dropped"] += int(item["dropped"])
        entry["linked_held"] += int(item["status"] == "held" and not item["dropped"])
    for row in held:
        by_kind.setdefault(row["kind"], {"planned": 0, "dropped": 0, "linked_held": 0, "held": 0})["held"] = int(row["n"])
    return {"by_kind": dict(sorted(by_kind.items())), "planned": len(items),
            "held": sum(int(r["n"]) for r in held)}


def corrections(scratch: Database, year: int) -> list[dict[str, Any]]:
    """Each corrected outcome of the year's activities: as first reported, then each correction,
    every one with when it was recorded."""
    rows = scratch.fetchall(
        "SELECT o.*, a.title, a.host_name FROM year_outcomes o JOIN calendar_activities a ON a.id = o.activity_id "
        "WHERE a.starts_on >= ? AND a.starts_on < ? AND o.activity_id IN "
        "(SELECT activity_id FROM year_outcomes WHERE event = 'corrected') ORDER BY a.starts_on, o.activity_id, o.version",
        (f"{year}-01-01", f"{year + 1}-01-01"))
    found: dict[str, dict[str, Any]] = {}
    for r in rows:
        entry = found.setdefault(r["activity_id"], {"activity": r["title"], "centre": r["host_name"],
                                                    "first_reported": None, "corrected": []})
        figures = {"participants": r["participants"], "young_people": r["young_people"],
                   "fewer_opportunities": r["fewer_opportunities"], "recorded_at": r["recorded_at"]}
        if r["event"] == "reported" and entry["first_reported"] is None:
            entry["first_reported"] = figures
        elif r["event"] == "corrected":
            entry["corrected"].append({**figures, "reason": r["reason"]})
    return list(found.values())


SHOWN_PER_TABLE = 20  # rows listed per table and side; the rest are counted


def reconcile(scratch: Database, live: Database, projections: Sequence[Projection]) -> list[str]:
    """Every difference between the rebuilt and the live read models: per table a count, then each
    row only one side has (the first ``SHOWN_PER_TABLE`` of each side, the rest counted)."""
    differences = []
    for projection in projections:
        for table in projection.tables:
            (columns, ours), (other_columns, theirs) = _rows(scratch, table), _rows(live, table)
            columns = columns or other_columns
            if ours == theirs:
                continue
            only_rebuilt, only_live = ours - theirs, theirs - ours
            differences.append(f"{table}: {sum(only_rebuilt.values())} rows only in the rebuilt, "
                               f"{sum(only_live.values())} only in the live")
            for side, rows in (("only in the rebuilt", only_rebuilt), ("only in the live", only_live)):
                differences += [f"{table}: {side}: {row}" for row in _shown(columns, rows)]
                if sum(rows.values()) > SHOWN_PER_TABLE:
                    differences.append(f"{table}: {side}: and {sum(rows.values()) - SHOWN_PER_TABLE} more")
    return differences


def _rows(db: Database, table: str) -> tuple[list[str], Counter[tuple[Any, ...]]]:
    """The table's columns and its rows as a multiset of value tuples (both databases make the table
    from the same statement, so the columns come in the same order): compared without encoding
    every row; only the rows that differ are written out. SQLite gives only None, integers, floats
    and text (no read model has a BLOB), already plain; PostgreSQL's values are made plain."""
    sql = f"SELECT * FROM {table}"
    fetch_tuples = getattr(db, "fetch_tuples", None)
    if fetch_tuples is None:  # another Database: rows as dicts
        rows = db.fetchall(sql)
        return (list(rows[0]) if rows else []), Counter(tuple(map(_plain, row.values())) for row in rows)
    columns, tuples = fetch_tuples(sql)
    if db.dialect == "sqlite":
        return columns, Counter(tuples)
    return columns, Counter(tuple(map(_plain, row)) for row in tuples)


def _plain(value: Any) -> Any:
    """The same value from either database (PostgreSQL may give dates, decimals and booleans)."""
    if isinstance(value, bool):
        return int(value)
    return value if value is None or isinstance(value, (str, int, float)) else str(value)


def _shown(columns: list[str], rows: Counter[tuple[Any, ...]]) -> list[str]:
    """The first rows of a difference, each as sorted JSON (only these are encoded)."""
    shown: list[str] = []
    for row, count in rows.items():
        shown += [json.dumps(dict(zip(columns, row)), sort_keys=True, ensure_ascii=False)] * count
        if len(shown) >= SHOWN_PER_TABLE:
            break
    return sorted(shown[:SHOWN_PER_TABLE])


RESULTS_TABLE = ("CREATE TABLE IF NOT EXISTS audit_reconciliations (recorded_at TEXT NOT NULL, year INTEGER NOT NULL, "
                 "tree_size BIGINT NOT NULL, root_hash TEXT NOT NULL, digest TEXT NOT NULL, differences TEXT NOT NULL)")


def record_result(db: Database, year: int, content: dict[str, Any], digest: str, differences: Sequence[str],
                  recorded_at: str) -> None:
    """Keep the audit's last result (the reconciliation and what it was computed from) for ``/audit``."""
    cp = content["checkpoint"]
    with db.transaction() as tx:
        tx.execute(RESULTS_TABLE)
        tx.execute("DELETE FROM audit_reconciliations")
        tx.execute("INSERT INTO audit_reconciliations VALUES (?, ?, ?, ?, ?, ?)",
                   (recorded_at, year, cp["tree_size"], cp["root_hash"], digest, json.dumps(list(differences))))


def last_result(db: Database) -> dict[str, Any] | None:
    with db.transaction() as tx:
        tx.execute(RESULTS_TABLE)
    row = db.fetchone("SELECT * FROM audit_reconciliations ORDER BY recorded_at DESC LIMIT 1")
    if row is None:
        return None
    return {**row, "differences": json.loads(row["differences"])}


def write(out: Path, content: dict[str, Any]) -> str:
    """report.json (canonical: sorted keys, no spaces varying) and report.csv; the JSON's SHA-256."""
    out.mkdir(parents=True, exist_ok=True)
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, indent=1) + "\n"
    (out / "report.json").write_text(text, encoding="utf-8")
    buffer = io.StringIO()
    columns = ["kind", "month", "centre", "status", "activities", "participants", "young_people", "fewer_opportunities"]
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(content["rows"])
    (out / "report.csv").write_text(buffer.getvalue(), encoding="utf-8")
    (out / "report.html").write_text(page(content), encoding="utf-8")
    return hashlib.sha256(text.encode()).hexdigest()


def run_year(store: Application, live: Database, scratch: Database, verifier: str, projections: Sequence[Projection],
             year: int, out: Path, progress: Callable[[int], None] = lambda n: None,
             stream: Sequence[str] | None = None) -> tuple[str, list[str]]:
    """Replay, report, reconcile (the read models; the stream's differences when given), write the
    files and keep the result for ``/audit``; the report's digest and every difference."""
    from datetime import datetime, timezone

    signed = latest_checkpoint(live)
    if signed is None:
        raise LookupError("no checkpoint yet: run `mrezha audit sync` first")
    checkpoint = note.open_note(signed, verifier)
    from projections.audit_year import YearRecord

    replay(store, scratch, [*projections, YearRecord()], checkpoint.size, progress)
    content = report(scratch, year, checkpoint)
    differences = reconcile(scratch, live, projections) + [f"stream: {d}" for d in stream or ()]
    content["reconciliation"] = differences
    digest = write(out, content)
    record_result(live, year, content, digest, differences, datetime.now(timezone.utc).isoformat(timespec="seconds"))
    return digest, differences


def bar_chart(title: str, totals: dict[str, dict[str, int]], figure: str = "activities", second: str = "") -> str:
    """A horizontal bar chart as inline SVG, drawn here: no script, no CDN, prints as it shows. With
    ``second``, a thinner bar of that figure under each (e.g. held under planned)."""
    width, bar, gap, label = 560, 18, 6, 170
    top = max((max(t[figure], t.get(second, 0) if second else 0) for t in totals.values()), default=0) or 1
    rows = []
    step = bar + gap + (bar // 2 if second else 0)
    for i, (name, t) in enumerate(totals.items()):
        y = i * step
        length = round((width - label - 50) * t[figure] / top)
        rows.append(f'<text x="0" y="{y + 13}" font-size="12">{escape(name)}</text>'
                    f'<rect x="{label}" y="{y}" width="{length}" height="{bar}" fill="#1e6b52"/>'
                    f'<text x="{label + length + 4}" y="{y + 13}" font-size="12">{t[figure]}</text>')
        if second:
            other = round((width - label - 50) * t[second] / top)
            rows.append(f'<rect x="{label}" y="{y + bar}" width="{other}" height="{bar // 2}" fill="#c77d1a"/>'
                        f'<text x="{label + other + 4}" y="{y + bar + 9}" font-size="9">{t[second]}</text>')
    height = max(len(totals) * step, bar)
    return (f'<figure><figcaption>{escape(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" '
            f'role="img" aria-label="{escape(title)}" width="100%" viewBox="0 0 {width} {height}">'
            + "".join(rows) + "</svg></figure>")


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body or '<tr><td colspan=' + str(len(headers)) + '>—</td></tr>'}</table>"


def sections(content: dict[str, Any]) -> str:
    """The report's parts beyond the activities, as printable HTML (every text escaped)."""
    c, p, ch, plan = content["centres"], content["practices"], content["chair"], content["plan"]
    total = content["activities"]["total"]
    parts = [
        "<h2>Общо / Totals</h2>",
        _table(["дейности", "проведени", "отменени", "участници", "младежи", "с по-малко възможности"],
               [[total["activities"], total["held"], total["cancelled"], total["participants"], total["young_people"],
                 total["fewer_opportunities"]]]),
        "<h2>Центрове / Centres</h2>",
        f"<p>Активни / active: {c['active_count']}</p>",
        _table(["център / centre", "събитие / event", "дата / on", "вписано / recorded"],
               [[e["centre"], e["event"], e["on"], e["recorded_at"]] for e in c["membership_events"]]),
        f"<p>Нови членове / new members: {escape(', '.join(c['new_members']) or '—')}; "
        f"отново приети / readmitted: {escape(', '.join(c['readmitted']) or '—')}</p>",
        "<h2>Добри практики / Practices</h2>",
        _table(["споделени", "подкрепени", "приложени", "резултати вписани"],
               [[p["shared"], p["endorsed"], p["adopted"], p["outcomes_recorded"]]]),
        _table(["резултат / result", "общо / total"], list(p["outcome_results"].items())),
        "<h2>Председател / Chair</h2>",
        f"<p>{escape(str(ch['chair'] or '—'))}</p>",
        _table(["събитие / event", "център / centre", "дата / on", "вписано / recorded", "причина / reason"],
               [[h["event"], h["centre"], h["on"], h["recorded_at"], h.get("reason", "")] for h in ch["handovers"]]),
        "<h2>План срещу проведени / Plan against held</h2>",
        bar_chart("План и проведени по вид / Planned and held by kind", plan["by_kind"], "planned", "held"),
        _table(["вид / kind", "планирани", "отпаднали", "свързани и проведени", "проведени"],
               [[kind, t["planned"], t["dropped"], t["linked_held"], t["held"]] for kind, t in plan["by_kind"].items()]),
        "<h2>Корекции / Corrections</h2>",
        _table(["дейност / activity", "център / centre", "вписано / recorded", "участници", "младежи",
                "с по-малко възможности", "причина / reason"],
               [row for corrected in content["corrections"] for row in (
                   [[corrected["activity"], corrected["centre"], "първо / first: "
                     + str((corrected["first_reported"] or {}).get("recorded_at", "")),
                     *[(corrected["first_reported"] or {}).get(f, "") for f in (
                         "participants", "young_people", "fewer_opportunities")], ""]]
                   + [["", "", "коригирано / corrected: " + c2["recorded_at"], c2["participants"], c2["young_people"],
                       c2["fewer_opportunities"], c2["reason"]] for c2 in corrected["corrected"]])]),
    ]
    return "\n".join(parts)


def page(content: dict[str, Any]) -> str:
    cp = content["checkpoint"]
    charts = "".join(bar_chart(title, content["activities"][key]) for title, key in (
        ("Дейности по вид / Activities by kind", "by_kind"), ("Дейности по месец / Activities by month", "by_month"),
        ("Дейности по център / Activities by centre", "by_centre")))
    rows = "".join("<tr>" + "".join(f"<td>{escape(str(row[c]))}</td>" for c in (
        "kind", "month", "centre", "status", "activities", "participants", "young_people", "fewer_opportunities"))
        + "</tr>" for row in content["rows"])
    differences = "".join(f"<li>{escape(d)}</li>" for d in content.get("reconciliation", [])) or "<li>—</li>"
    return f"""<!doctype html>
<html lang="bg"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Годишен одит {content["year"]}</title>
<style>body{{font-family:sans-serif;max-width:48rem;margin:auto;padding:1rem}}table{{border-collapse:collapse}}
td{{border:1px solid #ccc;padding:.2rem .4rem}}figure{{margin:1rem 0}}@media print{{figure{{break-inside:avoid}}}}</style>
</head><body><h1>Годишен одит {content["year"]} / Annual audit {content["year"]}</h1>
<p>Изчислен от контролна точка / computed from checkpoint: {escape(cp["origin"])}, {cp["tree_size"]} събития,
<code>{cp["root_hash"]}</code></p>{charts}
<table><tr><th>вид</th><th>месец</th><th>център</th><th>статус</th><th>дейности</th><th>участници</th>
<th>младежи</th><th>с по-малко възможности</th></tr>{rows}</table>
{sections(content)}
<h2>Разлики с текущите модели / Reconciliation</h2><ul>{differences}</ul></body></html>
"""
