"""Funded projects: each project as it stands, its centres and partners, indicators with every
progress report and correction kept beside each other, linked activities, deliverables, submitted
reports with the figures they carried, and the project's history.

Amounts stay text (decimal strings in the contract currency); the euro value is computed where it
is shown (``domain.project.in_euro``), so no float ever touches money.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import singledispatchmethod
from typing import Any

from domain.project import Project
from projections.base import Projection
from projections.sql import Row, Transaction


class ProjectRegister(Projection):
    name = "projects"
    tables = (
        "projects", "project_centres", "project_partners", "project_indicators", "project_progress",
        "project_activities", "project_deliverables", "project_reports", "project_history",
    )
    schema = (
        """
        CREATE TABLE IF NOT EXISTS projects (
            id TEXT PRIMARY KEY, code TEXT NOT NULL, title TEXT NOT NULL, funder TEXT NOT NULL,
            programme TEXT NOT NULL, component TEXT NOT NULL, beneficiary TEXT NOT NULL,
            beneficiary_centre_id TEXT, total_value TEXT NOT NULL, currency TEXT NOT NULL,
            starts_on TEXT NOT NULL, planned_end TEXT NOT NULL, actual_end TEXT, target_group TEXT NOT NULL,
            objectives TEXT NOT NULL, status TEXT NOT NULL, registered_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX IF NOT EXISTS projects_by_funder ON projects (funder, status)",
        "CREATE TABLE IF NOT EXISTS project_centres (project_id TEXT NOT NULL, centre_id TEXT NOT NULL, "
        "PRIMARY KEY (project_id, centre_id))",
        "CREATE INDEX IF NOT EXISTS project_centres_by_centre ON project_centres (centre_id)",
        "CREATE TABLE IF NOT EXISTS project_partners (project_id TEXT NOT NULL, position INTEGER NOT NULL, "
        "name TEXT NOT NULL, country TEXT NOT NULL, PRIMARY KEY (project_id, position))",
        """
        CREATE TABLE IF NOT EXISTS project_indicators (
            project_id TEXT NOT NULL, key TEXT NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL,
            unit TEXT NOT NULL, baseline TEXT NOT NULL, target TEXT NOT NULL, PRIMARY KEY (project_id, key)
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS project_progress (
            project_id TEXT NOT NULL, key TEXT NOT NULL, period TEXT NOT NULL, seq INTEGER NOT NULL,
            value TEXT NOT NULL, as_of TEXT NOT NULL, source TEXT NOT NULL, note TEXT NOT NULL,
            is_correction INTEGER NOT NULL, recorded_at TEXT NOT NULL, PRIMARY KEY (project_id, key, period, seq)
        )
        """,
        "CREATE TABLE IF NOT EXISTS project_activities (project_id TEXT NOT NULL, activity_id TEXT NOT NULL, "
        "role TEXT NOT NULL, PRIMARY KEY (project_id, activity_id))",
        "CREATE TABLE IF NOT EXISTS project_deliverables (project_id TEXT NOT NULL, position INTEGER NOT NULL, "
        "title TEXT NOT NULL, kind TEXT NOT NULL, link TEXT NOT NULL, PRIMARY KEY (project_id, position))",
        """
        CREATE TABLE IF NOT EXISTS project_reports (
            project_id TEXT NOT NULL, kind TEXT NOT NULL, period TEXT NOT NULL, submitted_on TEXT NOT NULL,
            figures TEXT NOT NULL, PRIMARY KEY (project_id, kind, period)
        )
        """,
        "CREATE TABLE IF NOT EXISTS project_history (project_id TEXT NOT NULL, version INTEGER NOT NULL, "
        "what TEXT NOT NULL, detail TEXT NOT NULL, recorded_at TEXT NOT NULL, PRIMARY KEY (project_id, version))",
    )

    @singledispatchmethod
    def apply(self, event: Any, tx: Transaction) -> None:
        """Other events do not change this read model."""

    @apply.register
    def _(self, event: Project.Registered, tx: Transaction) -> None:
        pid = str(event.originator_id)
        tx.execute(
            "INSERT INTO projects (id, code, title, funder, programme, component, beneficiary, beneficiary_centre_id, "
            "total_value, currency, starts_on, planned_end, target_group, objectives, status, registered_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'planned', ?) ON CONFLICT (id) DO NOTHING",
            (pid, event.code, event.title, event.funder, event.programme, event.component, event.beneficiary,
             str(event.beneficiary_centre_id) if event.beneficiary_centre_id else None, event.total_value,
             event.currency, event.starts_on.isoformat(), event.planned_end.isoformat(), event.target_group,
             event.objectives, event.timestamp.isoformat()),
        )
        for centre_id in event.centre_ids:
            tx.execute("INSERT INTO project_centres (project_id, centre_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                       (pid, str(centre_id)))
        for number, partner in enumerate(event.partners):
            tx.execute("INSERT INTO project_partners (project_id, position, name, country) VALUES (?, ?, ?, ?) "
                       "ON CONFLICT DO NOTHING", (pid, number, partner["name"], partner.get("country", "")))
        self._history(tx, event, "registered", event.code)

    @apply.register
    def _(self, event: Project.Started, tx: Transaction) -> None:
        self._status(tx, event, "running")
        self._history(tx, event, "started", event.started_on.isoformat())

    @apply.register
    def _(self, event: Project.Closed, tx: Transaction) -> None:
        self._status(tx, event, "closed")
        tx.execute("UPDATE projects SET actual_end = ? WHERE id = ?", (event.actual_end.isoformat(), str(event.originator_id)))
        self._history(tx, event, "closed", event.actual_end.isoformat())

    @apply.register
    def _(self, event: Project.Cancelled, tx: Transaction) -> None:
        self._status(tx, event, "cancelled")
        self._history(tx, event, "cancelled", event.reason)

    @apply.register
    def _(self, event: Project.CodeCorrected, tx: Transaction) -> None:
        tx.execute("UPDATE projects SET code = ? WHERE id = ?", (event.code, str(event.originator_id)))
        self._history(tx, event, "code_corrected", f"{event.was} → {event.code}: {event.note}")

    @apply.register
    def _(self, event: Project.IndicatorDefined, tx: Transaction) -> None:
        pid = str(event.originator_id)
        count = tx.fetchone("SELECT COUNT(*) AS n FROM project_indicators WHERE project_id = ?", (pid,))
        tx.execute(
            "INSERT INTO project_indicators (project_id, key, position, name, unit, baseline, target) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (pid, event.key, count["n"] if count else 0, event.name, event.unit, event.baseline, event.target),
        )
        self._history(tx, event, "indicator_defined", f"{event.name}: {event.target} {event.unit}")

    @apply.register
    def _(self, event: Project.ProgressReported, tx: Transaction) -> None:
        self._progress(tx, event, event.value, event.source, "", 0)
        self._history(tx, event, "progress_reported", f"{event.key} {event.period}: {event.value}")

    @apply.register
    def _(self, event: Project.ProgressCorrected, tx: Transaction) -> None:
        self._progress(tx, event, event.value, event.source, event.note, 1)
        self._history(tx, event, "progress_corrected", f"{event.key} {event.period}: {event.was} → {event.value}")

    @apply.register
    def _(self, event: Project.PartnerAdded, tx: Transaction) -> None:
        pid = str(event.originator_id)
        count = tx.fetchone("SELECT COUNT(*) AS n FROM project_partners WHERE project_id = ?", (pid,))
        tx.execute("INSERT INTO project_partners (project_id, position, name, country) VALUES (?, ?, ?, ?) "
                   "ON CONFLICT DO NOTHING", (pid, count["n"] if count else 0, event.name, event.country))
        if event.centre_id is not None:
            tx.execute("INSERT INTO project_centres (project_id, centre_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                       (pid, str(event.centre_id)))
        self._history(tx, event, "partner_added", event.name)

    @apply.register
    def _(self, event: Project.ActivityLinked, tx: Transaction) -> None:
        tx.execute("INSERT INTO project_activities (project_id, activity_id, role) VALUES (?, ?, ?) "
                   "ON CONFLICT DO NOTHING", (str(event.originator_id), str(event.activity_id), event.role))
        self._history(tx, event, "activity_linked", event.role)

    @apply.register
    def _(self, event: Project.DeliverableAdded, tx: Transaction) -> None:
        tx.execute("INSERT INTO project_deliverables (project_id, position, title, kind, link) VALUES (?, ?, ?, ?, ?) "
                   "ON CONFLICT DO NOTHING",
                   (str(event.originator_id), event.originator_version, event.title, event.kind, event.link))
        self._history(tx, event, "deliverable_added", event.title)

    @apply.register
    def _(self, event: Project.ReportSubmitted, tx: Transaction) -> None:
        figures = {"code": event.code, "title": event.title, "indicators": event.indicators,
                   "progress": event.progress, "activity_ids": event.activity_ids}
        tx.execute("INSERT INTO project_reports (project_id, kind, period, submitted_on, figures) VALUES (?, ?, ?, ?, ?) "
                   "ON CONFLICT DO NOTHING", (str(event.originator_id), event.kind, event.period,
                                             event.submitted_on.isoformat(), json.dumps(figures, ensure_ascii=False, sort_keys=True)))
        self._history(tx, event, "report_submitted", f"{event.kind} {event.period}")

    @staticmethod
    def _status(tx: Transaction, event: Any, status: str) -> None:
        tx.execute("UPDATE projects SET status = ? WHERE id = ?", (status, str(event.originator_id)))

    @staticmethod
    def _progress(tx: Transaction, event: Any, value: str, source: str, note: str, is_correction: int) -> None:
        tx.execute(
            "INSERT INTO project_progress (project_id, key, period, seq, value, as_of, source, note, is_correction, "
            "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (str(event.originator_id), event.key, event.period, event.originator_version, value,
             event.as_of.isoformat(), source, note, is_correction, event.timestamp.isoformat()),
        )

    @staticmethod
    def _history(tx: Transaction, event: Any, what: str, detail: str) -> None:
        tx.execute("INSERT INTO project_history (project_id, version, what, detail, recorded_at) VALUES (?, ?, ?, ?, ?) "
                   "ON CONFLICT DO NOTHING", (str(event.originator_id), event.originator_version, what, detail,
                                              event.timestamp.isoformat()))

    # Queries -------------------------------------------------------------------------------

    @staticmethod
    def get(db: Any, project_id: Any) -> Row | None:
        return db.fetchone("SELECT * FROM projects WHERE id = ?", (str(project_id),))  # type: ignore[no-any-return]

    @staticmethod
    def indicators(db: Any, project_id: Any) -> list[Row]:
        """Each indicator with its actual: the latest figure of each period (a correction over its first report), summed."""
        pid = str(project_id)
        rows: list[Row] = db.fetchall("SELECT * FROM project_indicators WHERE project_id = ? ORDER BY position", (pid,))
        latest: dict[tuple[str, str], str] = {}
        for p in db.fetchall("SELECT key, period, value FROM project_progress WHERE project_id = ? ORDER BY seq", (pid,)):
            latest[(p["key"], p["period"])] = p["value"]
        actual: dict[str, Decimal] = {}  # one pass over the figures, not one per indicator
        for (key, _), value in latest.items():
            actual[key] = actual.get(key, Decimal(0)) + Decimal(value)
        for row in rows:
            row["actual"] = actual.get(row["key"], Decimal(0))
        return rows

    @staticmethod
    def progress(db: Any, project_id: Any) -> list[Row]:
        return db.fetchall(  # type: ignore[no-any-return]
            "SELECT * FROM project_progress WHERE project_id = ? ORDER BY key, period, seq", (str(project_id),))

    @staticmethod
    def reports(db: Any, project_id: Any) -> list[Row]:
        rows: list[Row] = db.fetchall(
            "SELECT * FROM project_reports WHERE project_id = ? ORDER BY submitted_on, kind, period", (str(project_id),))
        for row in rows:
            row["figures"] = json.loads(row["figures"])
        return rows

    @staticmethod
    def search(db: Any, *, funder: str = "", programme: str = "", status: str = "", centre: str = "",
               year: str = "") -> list[Row]:
        """Projects by funder, programme, status, centre involved and a year their period touches, newest first."""
        where, params = [], []
        if funder:
            where.append("funder = ?"); params.append(funder)
        if programme:
            where.append("programme = ?"); params.append(programme)
        if status:
            where.append("status = ?"); params.append(status)
        if centre:
            where.append("id IN (SELECT project_id FROM project_centres WHERE centre_id = ?)"); params.append(centre)
        if year:
            where.append("starts_on <= ? AND COALESCE(actual_end, planned_end) >= ?")
            params += [f"{year}-12-31", f"{year}-01-01"]
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        return db.fetchall(f"SELECT * FROM projects {clause} ORDER BY starts_on DESC, id", params)  # type: ignore[no-any-return]

    @staticmethod
    def programmes(db: Any) -> list[str]:
        """The funding programmes the register holds, to filter by."""
        rows = db.fetchall("SELECT DISTINCT programme FROM projects WHERE programme <> '' ORDER BY programme")
        return [r["programme"] for r in rows]

    @staticmethod
    def partners(db: Any, project_id: Any) -> list[Row]:
        return db.fetchall("SELECT * FROM project_partners WHERE project_id = ? ORDER BY position", (str(project_id),))  # type: ignore[no-any-return]

    @staticmethod
    def centres(db: Any, project_id: Any) -> list[str]:
        """The ids of the network's centres involved in the project (beneficiary and partners)."""
        rows = db.fetchall("SELECT centre_id FROM project_centres WHERE project_id = ? ORDER BY centre_id", (str(project_id),))
        return [r["centre_id"] for r in rows]

    @staticmethod
    def linkable_activities(db: Any, project_id: Any) -> list[Row]:
        """The calendar's activities hosted by a centre involved in the project, not linked to it yet, newest first."""
        return db.fetchall(  # type: ignore[no-any-return]
            "SELECT a.id, a.title, a.starts_on, a.host_name FROM calendar_activities a WHERE a.host_centre_id IN "
            "(SELECT centre_id FROM project_centres WHERE project_id = ?) AND a.id NOT IN "
            "(SELECT activity_id FROM project_activities WHERE project_id = ?) ORDER BY a.starts_on DESC, a.id",
            (str(project_id), str(project_id)))

    @staticmethod
    def activities(db: Any, project_id: Any) -> list[Row]:
        return db.fetchall(  # type: ignore[no-any-return]
            "SELECT pa.activity_id, pa.role, a.title, a.starts_on, a.participants FROM project_activities pa "
            "LEFT JOIN calendar_activities a ON a.id = pa.activity_id WHERE pa.project_id = ? ORDER BY a.starts_on",
            (str(project_id),))

    @staticmethod
    def deliverables(db: Any, project_id: Any) -> list[Row]:
        return db.fetchall("SELECT * FROM project_deliverables WHERE project_id = ? ORDER BY position", (str(project_id),))  # type: ignore[no-any-return]

    @staticmethod
    def history(db: Any, project_id: Any) -> list[Row]:
        return db.fetchall("SELECT * FROM project_history WHERE project_id = ? ORDER BY version DESC", (str(project_id),))  # type: ignore[no-any-return]

    @staticmethod
    def young_people_reached(db: Any, year: int) -> int:
        """Young people reached across projects this year: progress dated this year, the latest figure per period."""
        rows = db.fetchall(
            "SELECT project_id, key, period, value FROM project_progress WHERE as_of BETWEEN ? AND ? ORDER BY seq",
            (f"{year}-01-01", f"{year}-12-31"))
        latest = {(r["project_id"], r["key"], r["period"]): Decimal(r["value"]) for r in rows
                  if r["key"] in ("reached", "neets", "consulted")}
        return int(sum(latest.values(), Decimal(0)))
