"""The year's audit: replay the store from its first event into scratch read models (never the
live ones), up to the latest signed checkpoint, and write a deterministic report of the year.

Partial: activities by kind, month and centre, with participants, young people and young people
with fewer opportunities; the checkpoint it was computed from; and the reconciliation of the
rebuilt read models with the live ones.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from eventsourcing.application import Application

from audit import note
from infra.audit_log import latest_checkpoint
from projections.base import Projection, apply_batch, ensure_tables
from projections.sql import Database, Row

BATCH = 2000


def replay(store: Application, scratch: Database, projections: Sequence[Projection], upto: int,
           progress: Callable[[int], None] = lambda n: None) -> int:
    """Every stored event up to leaf ``upto`` applied to the scratch read models; the last id."""
    for projection in projections:
        ensure_tables(scratch, projection)
    last, done = 0, 0
    while done < upto:
        notifications = store.recorder.select_notifications(last + 1, min(BATCH, upto - done))
        if not notifications:
            break
        batch = [(n.id, store.mapper.to_domain_event(n)) for n in notifications]
        for projection in projections:
            apply_batch(scratch, projection, batch)
        last, done = notifications[-1].id, done + len(notifications)
        progress(len(notifications))
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
                       "by_centre": _totals(rows, "centre")},
        "rows": [{k: row[k] for k in sorted(row)} for row in rows],
    }


def reconcile(scratch: Database, live: Database, projections: Sequence[Projection]) -> list[str]:
    """Every read-model table whose rows differ between the rebuilt and the live read models."""
    differences = []
    for projection in projections:
        for table in projection.tables:
            ours, theirs = _rows(scratch, table), _rows(live, table)
            if ours != theirs:
                only_rebuilt = len([r for r in ours if r not in theirs])
                only_live = len([r for r in theirs if r not in ours])
                differences.append(f"{table}: {only_rebuilt} rows only in the rebuilt, {only_live} only in the live")
    return differences


def _rows(db: Database, table: str) -> list[str]:
    return sorted(json.dumps(row, sort_keys=True, default=str) for row in db.fetchall(f"SELECT * FROM {table}"))


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
    return hashlib.sha256(text.encode()).hexdigest()


def run_year(store: Application, live: Database, scratch: Database, verifier: str, projections: Sequence[Projection],
             year: int, out: Path, progress: Callable[[int], None] = lambda n: None) -> tuple[str, list[str]]:
    signed = latest_checkpoint(live)
    if signed is None:
        raise LookupError("no checkpoint yet: run `mrezha audit sync` first")
    checkpoint = note.open_note(signed, verifier)
    replay(store, scratch, projections, checkpoint.size, progress)
    content = report(scratch, year, checkpoint)
    differences = reconcile(scratch, live, projections)
    content["reconciliation"] = differences
    return write(out, content), differences
