"""The funded projects' read model, on SQLite and on PostgreSQL: after every kind of project fact went
through the real relay and projector, its tables equal the ones rebuilt from scratch from the store
alone; its indicator totals and its euro total equal those computed here, independently, from the raw
stored events (the last figure of each period, summed; lev at 1.95583 per euro, in Decimal); and a
submitted report keeps its figures when a later correction is recorded."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from application.app import MrezhaApplication
from domain.project import Project
from projections.base import position
from projections.projects import ProjectRegister
from tests.support.commands import a_centre
from tests.support.delivery import differences, projected_up_to
from tests.support.processes import eventually
from tests.support.rebuild import rebuild_from_store, table_contents

LEV_PER_EURO = Decimal("1.95583")


def the_projects(store: MrezhaApplication) -> dict[str, object]:
    """The seeds' three projects as they were lived: registered, corrected, reported, linked, closed, cancelled."""
    plovdiv, stara_zagora = a_centre(store, city="Пловдив"), a_centre(store, city="Стара Загора")
    csi, _ = store.projects.register_project(
        code="BG05M9OP001-4.002-0020-C01", title="Център за социални иновации", funder="esf", beneficiary="Община Пловдив",
        centre_ids=[plovdiv], partners=[{"name": "„БД Център“ ООД", "country": "Полша"}], total_value="199408.00",
        currency="BGN", starts_on=date(2019, 3, 25), planned_end=date(2021, 6, 30))
    store.projects.correct_project_code(csi, "BG05M9OP001-4.003-0020-C01", "Договорът е по 4.003")
    store.projects.start_project(csi, date(2019, 3, 25))
    for key, name in (("consulted", "Консултирани NEETs"), ("reactivated", "Реактивирани NEETs")):
        store.projects.define_indicator(csi, key=key, name=name, unit="младежи", target=150)
    store.projects.report_progress(csi, key="consulted", period="2019", value="31", as_of=date(2019, 12, 31))
    store.projects.report_progress(csi, key="consulted", period="2020", value="40", as_of=date(2020, 12, 31))
    store.projects.report_progress(csi, key="reactivated", period="2020", value="9.5", as_of=date(2020, 12, 31))
    store.projects.submit_report(csi, kind="interim", period="2020")
    store.projects.correct_progress(csi, key="consulted", period="2020", value="55", as_of=date(2021, 2, 1), note="Одит")
    store.projects.correct_progress(csi, key="reactivated", period="2020", value="8", as_of=date(2021, 2, 1), note="Двойно")
    store.projects.add_partner(csi, name="Младежки център Стара Загора", country="България", centre_id=stara_zagora)
    store.projects.add_deliverable(csi, title="Наръчник за добри практики", kind="handbook")
    store.projects.close_project(csi, date(2021, 6, 30))
    store.projects.submit_report(csi, kind="final", period="2019–2021")
    bg06, _ = store.projects.register_project(
        code="BG06-101", title="Международен младежки център", funder="eea_norway", beneficiary="Община Стара Загора",
        centre_ids=[stara_zagora], total_value="1395380", currency="EUR", starts_on=date(2015, 1, 1),
        planned_end=date(2017, 4, 30))
    store.projects.start_project(bg06, date(2015, 1, 1))
    store.projects.define_indicator(bg06, key="reached", name="Обхванати младежи", unit="младежи", target=700)
    store.projects.report_progress(bg06, key="reached", period="2015–2017", value=700, as_of=date(2017, 4, 30))
    most, _ = store.projects.register_project(
        code="МОСТ", title="Мрежа за обмен и социален трансфер", funder="esf", beneficiary="Сдружение МИС",
        total_value="", currency="BGN", starts_on=date(2013, 1, 1), planned_end=date(2013, 12, 31))
    store.projects.cancel_project(most, "Пример за отменен проект")
    small, _ = store.projects.register_project(
        code="NAT-1", title="Малък проект", funder="national", beneficiary="Община Пловдив", total_value="1000.01",
        currency="BGN", starts_on=date(2024, 1, 1), planned_end=date(2024, 12, 31))
    return {"csi": csi, "bg06": bg06, "most": most, "small": small}


def stored_events(store: MrezhaApplication) -> list[object]:
    return [store.mapper.to_domain_event(n) for n in store.recorder.select_notifications(1, 100_000)]


def test_the_project_read_model_equals_the_one_rebuilt_and_the_figures_computed_from_the_raw_events(
    store, read_db, fresh_database, relay, projector
):
    # Given the projects recorded while the relay and the projector run
    ids = the_projects(store)
    last = store.last_notification_id()
    eventually(lambda: projected_up_to(read_db) == last, 60, "the projector never caught up with the store")
    assert position(read_db, ProjectRegister.name) == last

    # Then the read model equals, table by table and row by row, the one rebuilt from the store alone
    projected = table_contents(read_db, [ProjectRegister()])
    assert rebuild_from_store(store, fresh_database, [ProjectRegister()]) == last
    assert projected == table_contents(fresh_database, [ProjectRegister()]), differences(
        projected, table_contents(fresh_database, [ProjectRegister()]))

    # And its totals equal those computed independently from the raw events
    latest: dict[tuple[str, str, str], Decimal] = {}
    money: dict[str, tuple[str, str]] = {}
    for event in stored_events(store):
        if isinstance(event, (Project.ProgressReported, Project.ProgressCorrected)):
            latest[(str(event.originator_id), event.key, event.period)] = Decimal(event.value)
        elif isinstance(event, Project.Registered):
            money[str(event.originator_id)] = (event.total_value, event.currency)
    totals: dict[tuple[str, str], Decimal] = {}
    for (project, key, _), value in latest.items():
        totals[(project, key)] = totals.get((project, key), Decimal(0)) + value
    projected_totals = {(p["id"], i["key"]): i["actual"] for p in read_db.fetchall("SELECT id FROM projects")
                        for i in ProjectRegister.indicators(read_db, p["id"])}
    assert projected_totals == totals
    assert totals[(str(ids["csi"]), "consulted")] == Decimal(86) and totals[(str(ids["csi"]), "reactivated")] == 8
    euros = {pid: (Decimal(v) / LEV_PER_EURO if c == "BGN" else Decimal(v)).quantize(Decimal("0.01"))
             for pid, (v, c) in money.items() if v}
    assert euros[str(ids["csi"])] == Decimal("101955.69") and euros[str(ids["small"])] == Decimal("511.30")
    from web.projects.pages import euro_total

    assert euro_total(read_db.fetchall("SELECT * FROM projects")) == sum(euros.values()) == Decimal("1497846.99")

    # And the interim report keeps the figures it was submitted with; the final one has the corrected ones
    reports = {r["kind"]: r["figures"] for r in ProjectRegister.reports(read_db, ids["csi"])}
    assert reports["interim"]["indicators"]["consulted"]["actual"] == "71"  # 31 + 40, before the correction
    assert reports["interim"]["indicators"]["reactivated"]["actual"] == "9.5"
    assert reports["final"]["indicators"]["consulted"]["actual"] == "86"
    # And a partner centre added later is involved in the project, with the registration's partner before it
    assert [p["name"] for p in ProjectRegister.partners(read_db, ids["csi"])] == [
        "„БД Център“ ООД", "Младежки център Стара Загора"]
    assert len(ProjectRegister.centres(read_db, ids["csi"])) == 2
