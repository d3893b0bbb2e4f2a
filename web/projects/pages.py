"""What the project pages show: the register with its filters and euro totals, one project with its
indicators as bars and small server-side SVG charts, its progress with corrections beside the first
reports, linked activities, deliverables, frozen reports and history; the CSV exports."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from litestar.exceptions import NotFoundException
from markupsafe import Markup, escape

from web.i18n import gettext
from domain.project import CURRENCIES, FUNDERS, REPORTING_WINDOW, STATUSES, in_euro
from projections.network import NetworkGovernance
from projections.projects import ProjectRegister
from web.commands import Outcome
from web.context import Services
from web.labels import label
from web.policy import Subject, User, can

CHART_W, CHART_H = 240, 60


def bg_date(value: str | None) -> str:
    """26.11.2026 г. — the way a Bulgarian reads a date."""
    if not value:
        return "—"
    day = date.fromisoformat(value[:10])
    return f"{day.day:02d}.{day.month:02d}.{day.year} г."


def money(amount: str, currency: str) -> str:
    """199 408,00 лв. ≈ 101 955,69 € — a lev amount with its euro value beside it."""
    if not amount:
        return "—"
    value = Decimal(amount)

    def fmt(number: Decimal) -> str:
        whole, _, cents = f"{number:.2f}".partition(".")
        return f"{int(whole):,}".replace(",", "\u00a0") + "," + cents

    if currency == "BGN":
        return f"{fmt(value)} лв. ≈ {fmt(in_euro(value, 'BGN'))} €"
    return f"{fmt(value)} €"


def euro_total(projects: list[dict[str, Any]]) -> Decimal:
    return sum((in_euro(Decimal(p["total_value"]), p["currency"]) for p in projects if p["total_value"]), Decimal(0))


def chart(points: list[tuple[str, Decimal]], target: Decimal, name: str = "") -> Markup:
    """The indicator's cumulative figure over its periods against the target, as an inline SVG (no JS),
    named for a screen reader by what it draws."""
    said = gettext("%(name)s against the target %(target)s: %(points)s") % {
        "name": name, "target": target, "points": ", ".join(f"{period} {value}" for period, value in points) or "—"}
    top = max([target, *(v for _, v in points), Decimal(1)])
    step = CHART_W / max(len(points) - 1, 1)
    coords = " ".join(
        f"{i * step:.1f},{CHART_H - float(v / top) * CHART_H:.1f}" for i, (_, v) in enumerate(points)
    )
    goal = CHART_H - float(target / top) * CHART_H
    dots = "".join(  # each period's figure as a dot, so one period alone shows too
        f'<circle cx="{i * step if len(points) > 1 else CHART_W / 2:.1f}" cy="{CHART_H - float(v / top) * CHART_H:.1f}" '
        f'r="3" fill="currentColor"/>' for i, (_, v) in enumerate(points))
    return Markup(
        f'<svg viewBox="0 0 {CHART_W} {CHART_H}" width="100%" height="{CHART_H}" role="img" class="chart" '
        f'aria-label="{escape(said)}">'
        f'<line x1="0" y1="{goal:.1f}" x2="{CHART_W}" y2="{goal:.1f}" stroke="currentColor" stroke-dasharray="4 3"/>'
        f'<polyline fill="none" stroke="currentColor" stroke-width="2" points="{coords}"/>{dots}</svg>'
    )


def register_filter(funder: str, status: str, centre: str, year: str, programme: str = "") -> dict[str, str]:
    """Unknown filter values are dropped rather than refused: a filter link never breaks."""
    return {
        "funder": funder if funder in FUNDERS else "",
        "programme": programme if len(programme) <= 300 and programme.isprintable() else "",
        "status": status if status in STATUSES else "",
        "centre": centre if len(centre) == 36 else "",
        "year": year if year.isdigit() and len(year) == 4 else "",
    }


def outcome_context(outcome: Outcome | None, action: str = "") -> dict[str, Any]:
    """What a form's answer shows: which form failed (its errors and typed values) or succeeded."""
    outcome = outcome or Outcome(ok=True)
    return {"failed": "" if outcome.ok else action, "done": action if outcome.ok else "", "errors": outcome.errors,
            "values": outcome.values, "pending": outcome.pending}


def centre_options(services: Services, user: User | None) -> list[tuple[str, str]]:
    """The member centres a user may register a project for: any for the secretariat, their own for a coordinator."""
    members = [(c["id"], c["name"]) for c in NetworkGovernance.members(services.db)]
    if user is None or user.role == "secretariat":
        return members
    return [(cid, name) for cid, name in members if cid == str(user.centre_id)]


def register_context(services: Services, flt: dict[str, str], user: User | None = None,
                     outcome: Outcome | None = None) -> dict[str, Any]:
    projects = ProjectRegister.search(services.db, **flt)
    done = outcome is not None and outcome.ok and outcome.result
    return {
        "filter": flt, "projects": projects, "total_eur": money(str(euro_total(projects)), "EUR"),
        "funders": FUNDERS, "statuses": STATUSES, "money": money, "bg_date": bg_date,
        "programmes": ProjectRegister.programmes(services.db),
        "member_centres": [(c["id"], c["name"]) for c in NetworkGovernance.members(services.db)],
        "currencies": CURRENCIES, "centre_options": (options := centre_options(services, user)),
        # the secretariat registers any project; a coordinator one their own (member) centre takes part in
        "may_register": can(user, "project.register") and (user is not None and user.role == "secretariat" or bool(options)),
        "funder_options": [(f, label("funder", f)) for f in FUNDERS], "currency_options": [(c, c) for c in CURRENCIES],
        "created": str(outcome.result[0]) if done else None, **outcome_context(outcome, "register"),
    }


def project_subject(services: Services, project_id: str) -> Subject:
    """A project as the policy sees it: the centres involved in it."""
    return Subject(centre_ids=frozenset(UUID(c) for c in ProjectRegister.centres(services.db, project_id)))


def project_forms(services: Services, project: dict[str, Any], indicators: list[dict[str, Any]],
                  progress: list[dict[str, Any]], user: User | None) -> dict[str, Any]:
    """The forms a user may send about the project, each offering only the choices the record allows."""
    pid, status, today = project["id"], project["status"], services.app.today()
    if not can(user, "project.start", project_subject(services, pid)):
        return {"may_change": False, "offered": []}
    involved = set(ProjectRegister.centres(services.db, pid))
    open_ = status in ("planned", "running")
    last_day = date.fromisoformat(project["actual_end"] or project["planned_end"]) + REPORTING_WINDOW
    as_of = min(today, last_day)
    reported = sorted({r["key"] for r in progress})
    activities = ProjectRegister.linkable_activities(services.db, pid)
    offered = {"start": status == "planned", "close": open_, "cancel": open_, "code": True, "partner": open_,
               "indicator": open_, "progress": open_ and bool(indicators), "correction": bool(reported),
               "activity": bool(activities), "deliverable": True, "report": True}
    return {
        "may_change": True, "is_open": open_, "offered": [name for name, shown in offered.items() if shown],
        "may_start": status == "planned", "may_report": open_ and bool(indicators),
        "started_on": project["starts_on"] if status == "planned" else "",
        "actual_end": min(today.isoformat(), project["planned_end"]),
        "as_of": max(as_of.isoformat(), project["starts_on"]),
        "indicator_options": [(i["key"], i["name"]) for i in indicators],
        "corrected_options": [(i["key"], i["name"]) for i in indicators if i["key"] in reported],
        "period_options": [(p, p) for p in sorted({r["period"] for r in progress})],
        "activity_options": [(a["id"], f"{bg_date(a['starts_on'])} — {a['title']} ({a['host_name']})")
                             for a in activities],
        "partner_centre_options": [(c["id"], c["name"]) for c in NetworkGovernance.members(services.db)
                                   if c["id"] not in involved],
        "report_kinds": ["interim", *(["final"] if status == "closed" else [])],
    }


def project_context(services: Services, project_id: str, user: User | None = None, outcome: Outcome | None = None,
                    action: str = "") -> dict[str, Any]:
    db = services.db
    project = ProjectRegister.get(db, project_id)
    if project is None:
        raise NotFoundException()
    progress = ProjectRegister.progress(db, project_id)
    indicators = ProjectRegister.indicators(db, project_id)
    latest_of: dict[str, dict[str, Decimal]] = {}  # key -> period -> its latest figure, in one pass
    for row in progress:
        latest_of.setdefault(row["key"], {})[row["period"]] = Decimal(row["value"])
    for indicator in indicators:
        latest = latest_of.get(indicator["key"], {})
        running, points = Decimal(0), []
        for period in sorted(latest):
            running += latest[period]
            points.append((period, running))
        target = Decimal(indicator["target"])
        indicator["percent"] = min(100, int(indicator["actual"] * 100 / target)) if target else 0
        indicator["chart"] = chart(points, target, indicator["name"])
    return {
        "project": project, "indicators": indicators, "progress": progress,
        "partners": ProjectRegister.partners(db, project_id), "activities": ProjectRegister.activities(db, project_id),
        "deliverables": ProjectRegister.deliverables(db, project_id), "reports": ProjectRegister.reports(db, project_id),
        "history": ProjectRegister.history(db, project_id), "money": money, "bg_date": bg_date,
        "currencies": CURRENCIES, "url": f"/projects/{project_id}", "names": {i["key"]: i["name"] for i in indicators},
        **project_forms(services, project, indicators, progress, user), **outcome_context(outcome, action),
    }


def csv_text(rows: list[dict[str, Any]], columns: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else str(row.get(c)) for c in columns])
    return out.getvalue()


def escape_text(value: Any) -> str:
    return str(escape(value))
