"""What the project pages show: the register with its filters and euro totals, one project with its
indicators as bars and small server-side SVG charts, its progress with corrections beside the first
reports, linked activities, deliverables, frozen reports and history; the CSV exports."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

from litestar.exceptions import NotFoundException
from markupsafe import Markup, escape

from domain.project import CURRENCIES, FUNDERS, STATUSES, in_euro
from projections.projects import ProjectRegister
from web.context import Services

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


def chart(points: list[tuple[str, Decimal]], target: Decimal) -> Markup:
    """The indicator's cumulative figure over its periods against the target, as an inline SVG (no JS)."""
    top = max([target, *(v for _, v in points), Decimal(1)])
    step = CHART_W / max(len(points) - 1, 1)
    coords = " ".join(
        f"{i * step:.1f},{CHART_H - float(v / top) * CHART_H:.1f}" for i, (_, v) in enumerate(points)
    )
    goal = CHART_H - float(target / top) * CHART_H
    return Markup(
        f'<svg viewBox="0 0 {CHART_W} {CHART_H}" width="100%" height="{CHART_H}" role="img" class="chart">'
        f'<line x1="0" y1="{goal:.1f}" x2="{CHART_W}" y2="{goal:.1f}" stroke="currentColor" stroke-dasharray="4 3"/>'
        f'<polyline fill="none" stroke="currentColor" stroke-width="2" points="{coords}"/></svg>'
    )


def register_filter(funder: str, status: str, centre: str, year: str) -> dict[str, str]:
    """Unknown filter values are dropped rather than refused: a filter link never breaks."""
    return {
        "funder": funder if funder in FUNDERS else "",
        "status": status if status in STATUSES else "",
        "centre": centre if len(centre) == 36 else "",
        "year": year if year.isdigit() and len(year) == 4 else "",
    }


def register_context(services: Services, flt: dict[str, str]) -> dict[str, Any]:
    projects = ProjectRegister.search(services.db, **flt)
    return {
        "filter": flt, "projects": projects, "total_eur": money(str(euro_total(projects)), "EUR"),
        "funders": FUNDERS, "statuses": STATUSES, "money": money, "bg_date": bg_date,
    }


def project_context(services: Services, project_id: str) -> dict[str, Any]:
    db = services.db
    project = ProjectRegister.get(db, project_id)
    if project is None:
        raise NotFoundException()
    progress = ProjectRegister.progress(db, project_id)
    indicators = ProjectRegister.indicators(db, project_id)
    for indicator in indicators:
        latest: dict[str, Decimal] = {}
        for row in progress:
            if row["key"] == indicator["key"]:
                latest[row["period"]] = Decimal(row["value"])
        running, points = Decimal(0), []
        for period in sorted(latest):
            running += latest[period]
            points.append((period, running))
        target = Decimal(indicator["target"])
        indicator["percent"] = min(100, int(indicator["actual"] * 100 / target)) if target else 0
        indicator["chart"] = chart(points, target)
    return {
        "project": project, "indicators": indicators, "progress": progress,
        "partners": ProjectRegister.partners(db, project_id), "activities": ProjectRegister.activities(db, project_id),
        "deliverables": ProjectRegister.deliverables(db, project_id), "reports": ProjectRegister.reports(db, project_id),
        "history": ProjectRegister.history(db, project_id), "money": money, "bg_date": bg_date,
        "currencies": CURRENCIES,
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
