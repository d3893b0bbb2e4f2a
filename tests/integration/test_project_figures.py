"""The demo's funded projects, exactly as the seeds give them, and their totals computed twice: by the
read model and, independently, from the raw stored events with the fixed euro rate."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from application.app import MrezhaApplication
from demo.seeds import load_demo_if_empty
from domain.project import Project, in_euro
from infra.security import Security
from infra.sql import SQLiteDatabase
from projections.projects import ProjectRegister
from tests.support.commands import sqlite_application
from tests.support.rebuild import rebuild_from_store

TODAY = date(2026, 11, 28)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[MrezhaApplication]:
    application = sqlite_application(tmp_path / "store.sqlite", TODAY)
    passwords_db = SQLiteDatabase(tmp_path / "passwords.sqlite")
    application.passwords = Security(passwords_db)
    application.passwords.create_tables()
    assert load_demo_if_empty(application) is not None
    yield application
    application.close()
    passwords_db.close()


def stored_events(app: MrezhaApplication) -> list[object]:
    return [app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(1, 100_000)]


def test_the_demo_projects_carry_the_seeds_figures_and_the_euro_beside_the_lev(app, tmp_path):
    db = SQLiteDatabase(tmp_path / "read.sqlite")
    rebuild_from_store(app, db, [ProjectRegister()])
    rows = {r["code"]: r for r in db.fetchall("SELECT * FROM projects")}
    assert set(rows) == {"BG06-101", "МОСТ", "BG05M9OP001-4.003-0020-C01"}
    csi = rows["BG05M9OP001-4.003-0020-C01"]
    assert (csi["total_value"], csi["currency"], csi["starts_on"], csi["actual_end"]) == (
        "199408.00", "BGN", "2019-03-25", "2021-06-30")
    assert in_euro(Decimal(csi["total_value"]), "BGN") == Decimal("101955.69")
    assert {i["key"]: (i["target"], str(i["actual"])) for i in ProjectRegister.indicators(db, csi["id"])} == {
        "neets": ("150", "0"), "consulted": ("150", "86"), "reactivated": ("150", "17")}
    bg06 = rows["BG06-101"]
    assert (bg06["total_value"], bg06["currency"], bg06["actual_end"], bg06["beneficiary"]) == (
        "1395380.00", "EUR", "2017-04-30", "Община Стара Загора")
    assert {i["key"]: str(i["actual"]) for i in ProjectRegister.indicators(db, bg06["id"])} == {"reached": "700", "trained": "253"}
    db.close()


def test_indicator_totals_and_euro_totals_equal_those_computed_from_the_raw_events(app, tmp_path):
    # Independently: walk the stored events, keep the last figure per (project, indicator, period), sum
    values: dict[tuple[str, str, str], Decimal] = {}
    money: dict[str, tuple[str, str]] = {}
    for event in stored_events(app):
        if isinstance(event, (Project.ProgressReported, Project.ProgressCorrected)):
            values[(str(event.originator_id), event.key, event.period)] = Decimal(event.value)
        if isinstance(event, Project.Registered):
            money[str(event.originator_id)] = (event.total_value, event.currency)
    by_indicator: dict[tuple[str, str], Decimal] = {}
    for (pid, key, _), value in values.items():
        by_indicator[(pid, key)] = by_indicator.get((pid, key), Decimal(0)) + value
    euro_total = sum((Decimal(v) / Decimal("1.95583") if c == "BGN" else Decimal(v)
                      for v, c in money.values() if v), Decimal(0)).quantize(Decimal("0.01"))

    db = SQLiteDatabase(tmp_path / "read.sqlite")
    rebuild_from_store(app, db, [ProjectRegister()])
    projected = {(p["id"], i["key"]): i["actual"] for p in db.fetchall("SELECT id FROM projects")
                 for i in ProjectRegister.indicators(db, p["id"])}
    assert {k: v for k, v in projected.items() if v} == by_indicator
    assert sum((in_euro(Decimal(r["total_value"]), r["currency"]) for r in db.fetchall("SELECT * FROM projects")
                if r["total_value"]), Decimal(0)) == euro_total == Decimal("1497335.69")
    db.close()


def test_the_demo_projects_links_deliverables_and_events_are_the_seeds(app, tmp_path):
    from projections.calendar import Calendar
    from projections.catalog import all_projections

    db = SQLiteDatabase(tmp_path / "read.sqlite")
    rebuild_from_store(app, db, all_projections())
    rows = {r["code"]: r for r in db.fetchall("SELECT * FROM projects")}
    # МОСТ: Bulgaria and Spain, ESF; two seminars, the final conference in Sofia on 19.10.2013, the analysis, the platform
    most = rows["МОСТ"]
    assert (most["funder"], most["beneficiary"]) == ("esf", "Сдружение „Международни инициативи за сътрудничество“")
    assert [p["country"] for p in ProjectRegister.partners(db, most["id"])] == ["Испания"]
    assert {i["key"]: str(i["actual"]) for i in ProjectRegister.indicators(db, most["id"])} == {
        "seminars": "2", "conferences": "1"}
    conference = next(p for p in ProjectRegister.progress(db, most["id"]) if p["key"] == "conferences")
    assert (conference["as_of"], conference["source"]) == ("2013-10-19", "София, 19.10.2013")
    assert [(d["title"][:19], d["link"]) for d in ProjectRegister.deliverables(db, most["id"])] == [
        ("Сравнителен анализ ", ""), ("Платформа за обмяна", "http://www.mostskills.com")]
    assert (most["status"], most["actual_end"]) == ("closed", "2013-12-31")  # ended with its year, not still running
    # BG06-101: partner НПО „Свят без граници“, the Quality Label ceremony of 16.05.2017 linked
    bg06 = rows["BG06-101"]
    assert [p["name"] for p in ProjectRegister.partners(db, bg06["id"])] == ["НПО „Свят без граници“"]
    assert [(a["title"], a["starts_on"]) for a in ProjectRegister.activities(db, bg06["id"])] == [
        ("Церемония по връчване на Знака за качество", "2017-05-16")]
    # Plovdiv's CSI: partner "БД Център" ООД of Poland; the code corrected from 4.002; target 150 NEETs aged 15–29;
    # the third information event: the conference of 23.06.2021 at ДК „Борис Христов“ with its three presentations
    csi = rows["BG05M9OP001-4.003-0020-C01"]
    assert [(p["name"], p["country"]) for p in ProjectRegister.partners(db, csi["id"])] == [("„БД Център“ ООД", "Полша")]
    assert "15 до 29" in csi["objectives"] and "150" in csi["objectives"]
    corrected = [h["detail"] for h in ProjectRegister.history(db, csi["id"]) if h["what"] == "code_corrected"]
    assert corrected and corrected[0].startswith("BG05M9OP001-4.002-0020-C01 → BG05M9OP001-4.003-0020-C01")
    (linked,) = ProjectRegister.activities(db, csi["id"])
    assert (linked["starts_on"], linked["role"]) == ("2021-06-23", "трето информационно събитие")
    held = Calendar.get(db, linked["activity_id"])
    assert held["venue"] == "Дом на културата „Борис Христов“"
    assert [p["speaker"] for p in Calendar.presentations(db, linked["activity_id"])] == [
        "Тезджан Дурмуш", "Алекс Леви", "Агата Вож"]
    assert [d["kind"] for d in ProjectRegister.deliverables(db, csi["id"])] == ["handbook", "website", "social"]
    db.close()
