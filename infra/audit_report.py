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
from html import escape
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
    (out / "report.html").write_text(page(content), encoding="utf-8")
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


def bar_chart(title: str, totals: dict[str, dict[str, int]], figure: str = "activities") -> str:
    """A horizontal bar chart as inline SVG, drawn here: no script, no CDN, prints as it shows."""
    width, bar, gap, label = 560, 18, 6, 170
    top = max((t[figure] for t in totals.values()), default=0) or 1
    rows = []
    for i, (name, t) in enumerate(totals.items()):
        y = i * (bar + gap)
        length = round((width - label - 50) * t[figure] / top)
        rows.append(f'<text x="0" y="{y + 13}" font-size="12">{escape(name)}</text>'
                    f'<rect x="{label}" y="{y}" width="{length}" height="{bar}" fill="#1e6b52"/>'
                    f'<text x="{label + length + 4}" y="{y + 13}" font-size="12">{t[figure]}</text>')
    height = max(len(totals) * (bar + gap), bar)
    return (f'<figure><figcaption>{escape(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" '
            f'role="img" aria-label="{escape(title)}" width="100%" viewBox="0 0 {width} {height}">'
            + "".join(rows) + "</svg></figure>")


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
<h2>Разлики с текущите модели / Reconciliation</h2><ul>{differences}</ul></body></html>
"""
