"""Each read model, after a rich scenario went through the real relay and projector, equals the
same read model rebuilt from scratch from the store alone."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from domain.centre import CentreName
from demo.seeds import load_demo_if_empty
from projections.projects import ProjectRegister
from tests.support.rebuild import rebuild_from_store, table_contents
from infra.security import Security
from application.app import MrezhaApplication
from projections.base import position
from projections.calendar import Calendar
from projections.catalog import all_projections
from projections.centres import CentresDirectory
from tests.support.delivery import differences, projected_up_to
from tests.support.commands import a_centre
from tests.support.processes import eventually

TODAY = date.today()
NEXT_MONTH = TODAY + timedelta(days=30)
LAST_MONTH = TODAY - timedelta(days=30)


def centre_named(store: MrezhaApplication, name: str) -> UUID:
    return store.repository.get(CentreName.create_id(name)).centre_id


def a_year_of_the_network(store: MrezhaApplication) -> dict[str, UUID]:
    """The demo network, then what a year brings: every kind of fact, changes and undoings included."""
    vratsa, dobrich, pernik, plovdiv, stara_zagora = (
        centre_named(store, name) for name in (
            "Младежки център – Враца", "Младежки център – Добрич", "Младежки център – Перник",
            "Младежки център – Пловдив", "Международен младежки център – Стара Загора",
        )
    )
    # A new centre applies, is rejected, applies again, is admitted, suspended, reinstated, leaves and rejoins
    pleven = a_centre(store, "registered", city="Плевен")
    for step in (
        lambda: store.centres.apply_for_membership(pleven, "Първи опит"), lambda: store.centres.reject_centre(pleven, "Документи"),
        lambda: store.centres.apply_for_membership(pleven, "Втори опит"), lambda: store.centres.admit_centre(pleven),
        lambda: store.centres.suspend_centre(pleven, "Неплатен внос"), lambda: store.centres.reinstate_centre(pleven),
        lambda: store.centres.record_centre_leaving(pleven, "Закрит"), lambda: store.centres.rejoin_centre(pleven),
    ):
        step()
    # Profiles change, staff come and go, one label is won and another withdrawn
    store.centres.update_centre_profile(vratsa, city="Враца", address="ул. „Лукашов“ 4", website="https://mc-vratsa.bg")
    store.centres.add_staff_member(pleven, "Мария Петрова", "youth_worker")
    store.centres.add_staff_member(pleven, "Иван Колев", "coordinator")
    staff = {role: staff_id for staff_id, role in store.repository.get(pleven).staff.items()}
    store.centres.remove_staff_member(pleven, UUID(staff["youth_worker"]))
    store.centres.withdraw_label(stara_zagora, TODAY, "Изтекли стандарти")
    for step in ("apply", "inspect", "award"):
        {"apply": lambda: store.centres.apply_for_label(dobrich, LAST_MONTH),
         "inspect": lambda: store.centres.record_label_inspection(dobrich, LAST_MONTH, "Проверка"),
         "award": lambda: store.centres.award_label(dobrich, TODAY, TODAY + timedelta(days=3 * 365))}[step]()
    # An exchange is joined, left, co-organised, rescheduled twice
    exchange, _ = store.activities.plan_activity(
        host_centre_id=vratsa, title="Обмен „Младежи без граници“", kind="exchange", starts_on=NEXT_MONTH,
        ends_on=NEXT_MONTH + timedelta(days=2), city="Враца", capacity=40,
    )
    store.activities.join_activity(exchange, dobrich, 8)
    store.activities.join_activity(exchange, pernik, 6)
    store.activities.withdraw_from_activity(exchange, pernik)
    store.activities.add_co_organiser(exchange, plovdiv)
    store.activities.add_co_organiser(exchange, pleven)
    store.activities.remove_co_organiser(exchange, plovdiv)
    store.activities.reschedule_activity(exchange, NEXT_MONTH + timedelta(days=7), NEXT_MONTH + timedelta(days=9), "Зала")
    store.activities.reschedule_activity(exchange, NEXT_MONTH + timedelta(days=14), NEXT_MONTH + timedelta(days=16))
    # A training is joined, then cancelled
    training, _ = store.activities.plan_activity(
        host_centre_id=dobrich, title="Обучение за ромски медиатори", kind="training", starts_on=NEXT_MONTH,
        ends_on=NEXT_MONTH, city="Добрич",
    )
    store.activities.join_activity(training, vratsa, 4)
    store.activities.cancel_activity(training, "Няма обучител")
    # A seminar that took place: presentations added and one removed, its outcome reported and corrected
    seminar, _ = store.activities.plan_activity(
        host_centre_id=pernik, title="Семинар „Маските на младежката работа“", kind="seminar", format="hybrid",
        starts_on=LAST_MONTH, ends_on=LAST_MONTH, city="Перник", online_link="https://meet.example.org/x",
    )
    store.activities.add_presentation(seminar, "Алекс Леви", "ЦСИ – Пловдив", "Социален хъб")
    store.activities.add_presentation(seminar, "Агата Вож", "БД Център ООД", "Опитът на Полша")
    store.activities.remove_presentation(seminar, UUID(store.repository.get(seminar).presentations[0]))
    store.activities.record_outcome(seminar, participants=30, young_people=20, fewer_opportunities=5, centres_attended=3,
                         summary="На живо и онлайн", stream_link="https://stream.example.org/x")
    store.activities.correct_outcome(seminar, participants=32, young_people=21, fewer_opportunities=5, centres_attended=3,
                          happened_on=LAST_MONTH, reason="Закъснели участници")
    # A funded project: indicators, progress and its correction, a link, a deliverable, a frozen report, closed
    project, _ = store.projects.register_project(
        code="BG05M9OP001-4.002-0020-C01", title="Център за социални иновации", funder="esf", beneficiary="Община Пловдив",
        partners=[{"name": "„БД Център“ ООД", "country": "Полша"}], total_value="199408.00", currency="BGN",
        starts_on=LAST_MONTH - timedelta(days=400), planned_end=LAST_MONTH + timedelta(days=10), centre_ids=[plovdiv],
    )
    store.projects.start_project(project, LAST_MONTH - timedelta(days=400))
    store.projects.define_indicator(project, key="consulted", name="Консултирани NEETs", unit="души", target=150)
    store.projects.report_progress(project, key="consulted", period="1", value=80, as_of=LAST_MONTH)
    store.projects.submit_report(project, kind="interim", period="1")
    store.projects.correct_progress(project, key="consulted", period="1", value=86, as_of=LAST_MONTH, note="Одит")
    store.projects.correct_project_code(project, "BG05M9OP001-4.003-0020-C01", "Договорът е по 4.003")
    store.projects.link_activity(project, seminar, "трето информационно събитие")
    store.projects.add_deliverable(project, title="Платформа", link="http://www.mostskills.com")
    store.projects.add_partner(project, name="Младежки център Плевен", country="България", centre_id=pleven)
    store.projects.close_project(project, LAST_MONTH + timedelta(days=5))
    return {"pleven": pleven, "exchange": exchange, "training": training, "seminar": seminar, "plovdiv": plovdiv,
            "project": project}


def test_every_read_model_equals_the_one_rebuilt_from_the_store(store, read_db, fresh_database, relay, projector):
    projections = all_projections()
    # Given the demo network and a year of changes, recorded while the relay and projector run
    store.passwords = Security(read_db)
    store.passwords.create_tables()
    assert load_demo_if_empty(store) is not None
    ids = a_year_of_the_network(store)

    # When every read model has projected every stored event
    last = store.last_notification_id()
    eventually(lambda: projected_up_to(read_db) == last, 60, "the projector never caught up with the store")
    assert all(position(read_db, p.name) == last for p in projections)

    # Then the read models show the scenario's last word on each fact
    assert CentresDirectory.get(read_db, ids["pleven"])["membership"] == "admitted"
    assert [s["name"] for s in CentresDirectory.staff(read_db, ids["pleven"])] == ["Иван Колев"]
    exchange = Calendar.get(read_db, ids["exchange"])
    assert (exchange["times_rescheduled"], exchange["starts_on"]) == (2, str(NEXT_MONTH + timedelta(days=14)))
    roles = {p["centre_id"]: p["role"] for p in Calendar.participations(read_db, ids["exchange"])}
    assert sorted(roles.values()) == ["co_organiser", "host", "participant"]  # Pernik withdrew, Plovdiv was removed
    assert str(ids["plovdiv"]) not in roles
    assert Calendar.get(read_db, ids["training"])["status"] == "cancelled"
    assert Calendar.get(read_db, ids["seminar"])["participants"] == 32
    assert [p["speaker"] for p in Calendar.presentations(read_db, ids["seminar"])] == ["Агата Вож"]
    project = ProjectRegister.get(read_db, ids["project"])
    assert (project["code"], project["status"]) == ("BG05M9OP001-4.003-0020-C01", "closed")
    assert [str(i["actual"]) for i in ProjectRegister.indicators(read_db, ids["project"])] == ["86"]
    assert [(p["value"], p["is_correction"]) for p in ProjectRegister.progress(read_db, ids["project"])] == [("80", 0), ("86", 1)]
    assert ProjectRegister.reports(read_db, ids["project"])[0]["figures"]["indicators"]["consulted"]["actual"] == "80"

    # And they equal, table by table and row by row, the read models rebuilt from the store alone
    projected = table_contents(read_db, projections)
    assert rebuild_from_store(store, fresh_database, projections) == last
    rebuilt = table_contents(fresh_database, projections)
    rebuilt_ids = {a["id"] for a in rebuilt["calendar_activities"]}
    assert {str(ids[key]) for key in ("exchange", "training", "seminar")} <= rebuilt_ids
    assert projected == rebuilt, differences(projected, rebuilt)
