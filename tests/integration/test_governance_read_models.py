"""The governance read models on SQLite and PostgreSQL: a plan's progress and the plan as published, the
chair timeline, and full-text search of the practice library in Bulgarian; and, through the real relay
and projector, read models equal to the ones rebuilt from the store alone."""

from __future__ import annotations

import sqlite3
from datetime import date
from uuid import UUID

import psycopg
import pytest

from demo.governance import PRACTICES
from tests.support.rebuild import rebuild_from_store, table_contents
from application.app import MrezhaApplication
from projections.base import position
from projections.catalog import all_projections
from projections.network import NetworkGovernance
from projections.plans import Plans
from projections.practice_queries import PracticeFilter
from projections.practices import PracticeLibrary
from tests.support.processes import eventually

TODAY = date(2026, 11, 22)
OUTCOME = dict(participants=30, young_people=20, fewer_opportunities=5, centres_attended=3)


def caught_up(db, last: int) -> bool:
    """Every read model at the store's last notification (False until the projector made its tables)."""
    try:
        return all(position(db, p.name) == last for p in all_projections())
    except (sqlite3.OperationalError, psycopg.errors.UndefinedTable):
        return False


def member(store: MrezhaApplication, name: str) -> UUID:
    centre_id, _ = store.centres.register_centre(name=name, city=name.split("–")[-1].strip())
    store.centres.apply_for_membership(centre_id)
    store.centres.admit_centre(centre_id)
    return centre_id


def activity(store: MrezhaApplication, host: UUID, title: str, kind: str, on: date, status: str = "planned") -> UUID:
    activity_id, _ = store.activities.plan_activity(host_centre_id=host, title=title, kind=kind, starts_on=on, ends_on=on,
                                         city="Враца")
    if status == "held":
        store.activities.record_outcome(activity_id, **OUTCOME)
    if status == "cancelled":
        store.activities.cancel_activity(activity_id, "Няма зала")
    return activity_id


def a_year_of_plan(store: MrezhaApplication) -> dict[str, UUID]:
    """2026 as chaired by Vratsa: a plan of five items; one held, one cancelled, one coming, one never
    linked, one dropped, one added after publication; and two activities nobody planned."""
    store.clock = lambda: TODAY
    vratsa, dobrich, pernik = (member(store, f"Младежки център – {city}") for city in ("Враца", "Добрич", "Перник"))
    store.network.hand_over_chair(2026, vratsa, date(2026, 1, 15))
    store.plans.draft_plan(2026, ["Обмяна на добри практики", "Качество на младежката работа"])
    planned = (("exchange", "Обмен в Добрич", 5, dobrich), ("conference", "Конференция в Перник", 9, pernik),
               ("training", "Обучение на младежки работници", 12, vratsa), ("open_day", "Ден на отворените врати", 11,
                                                                            vratsa),
               ("round_table", "Кръгла маса", 6, pernik))
    for kind, theme, month, host in planned:
        store.plans.add_plan_item(2026, kind=kind, theme=theme, month=month, host_centre_id=host)
    store.plans.publish_plan(2026)
    items = {item["theme"]: UUID(i) for i, item in store.plans.plan_of(2026).items.items()}
    ids = dict(
        held=activity(store, dobrich, "Предизвикателствата на младежката работа", "exchange", date(2026, 5, 14), "held"),
        cancelled=activity(store, pernik, "Под многобройните маски", "conference", date(2026, 9, 24), "cancelled"),
        coming=activity(store, vratsa, "Обучение във Враца", "training", date(2026, 12, 10)),
        unplanned_held=activity(store, pernik, "Семинар за медиатори", "seminar", date(2026, 10, 2), "held"),
        unplanned_cancelled=activity(store, dobrich, "Кръгла маса в Добрич", "round_table", date(2026, 7, 1),
                                     "cancelled"),
        last_year=activity(store, dobrich, "Обмен 2025", "exchange", date(2025, 5, 14), "held"),
    )
    for theme, key in (("Обмен в Добрич", "held"), ("Конференция в Перник", "cancelled"),
                       ("Обучение на младежки работници", "coming")):
        store.plans.link_plan_item(2026, items[theme], ids[key])
    store.plans.change_plan_item(2026, items["Ден на отворените врати"], kind="open_day", theme="Ден на отворените врати",
                           month=12, host_centre_id=vratsa, reason="Съвместно с обучението")
    store.plans.drop_plan_item(2026, items["Кръгла маса"], "Няма финансиране")
    store.plans.add_plan_item(2026, kind="seminar", theme="Семинар за ромски медиатори", month=11, host_centre_id=pernik)
    return {**ids, **{f"item:{theme}": item for theme, item in items.items()}, "vratsa": vratsa, "pernik": pernik}


def test_a_plans_progress_counts_held_cancelled_and_not_yet_items_and_the_activities_nobody_planned(store, read_db):
    ids = a_year_of_plan(store)
    rebuild_from_store(store, read_db, [Plans()])

    items = Plans.items(read_db, 2026)
    progress = {item["theme"]: "dropped" if item["dropped"] else item["progress"] for item in items}
    assert progress == {
        "Обмен в Добрич": "held", "Конференция в Перник": "cancelled", "Обучение на младежки работници": "not_yet",
        "Ден на отворените врати": "not_yet", "Кръгла маса": "dropped", "Семинар за ромски медиатори": "not_yet",
    }
    unplanned = Plans.unplanned(read_db, 2026)
    assert [a["title"] for a in unplanned] == ["Кръгла маса в Добрич", "Семинар за медиатори"]
    assert Plans.progress(items, unplanned) == dict(items=5, held=1, cancelled=1, not_yet=3, dropped=1, unplanned=1)
    assert Plans.report(read_db, 2026) == dict(items=5, held=1, cancelled=1, not_held=3, dropped=1, unplanned=1)

    # A replacement for the cancelled conference, held, makes that item held
    replacement = activity(store, ids["pernik"], "Конференция, втори опит", "conference", date(2026, 10, 20), "held")
    store.plans.link_plan_item(2026, ids["item:Конференция в Перник"], replacement)
    rebuild_from_store(store, read_db, [Plans()])
    assert Plans.report(read_db, 2026) == dict(items=5, held=2, cancelled=0, not_held=3, dropped=1, unplanned=1)


def test_the_plan_as_published_stays_viewable_after_items_change_are_dropped_and_added(store, read_db):
    a_year_of_plan(store)
    rebuild_from_store(store, read_db, [Plans()])
    published = [(item["theme"], item["month"]) for item in Plans.published_items(read_db, 2026)]
    assert published == [("Обмен в Добрич", 5), ("Кръгла маса", 6), ("Конференция в Перник", 9),
                         ("Ден на отворените врати", 11), ("Обучение на младежки работници", 12)]
    now = [(item["theme"], item["month"], bool(item["dropped"])) for item in Plans.items(read_db, 2026)]
    assert ("Ден на отворените врати", 12, False) in now and ("Кръгла маса", 6, True) in now
    assert ("Семинар за ромски медиатори", 11, False) in now
    history = [(entry["event"], entry["theme"]) for entry in Plans.history(read_db, 2026)]
    assert history[:1] + history[6:7] == [("drafted", ""), ("published", "")]
    assert history[-3:] == [("item_changed", "Ден на отворените врати"), ("item_dropped", "Кръгла маса"),
                            ("item_added", "Семинар за ромски медиатори")]
    assert Plans.history(read_db, 2026)[-3]["details"]["changes"] == {"month": [11, 12]}


def test_the_chair_timeline_keeps_every_handover_and_correction_and_the_rotation_skips_suspended_centres(
    store, read_db
):
    store.clock = lambda: TODAY
    sz, vratsa, dobrich, pernik = (member(store, f"Младежки център – {c}") for c in ("Стара Загора", "Враца",
                                                                                     "Добрич", "Перник"))
    store.network.set_rotation([sz, vratsa, dobrich, pernik])
    store.network.hand_over_chair(2025, dobrich, date(2025, 1, 10))
    store.network.correct_handover(2025, sz, "Записан е грешен център")
    store.network.hand_over_chair(2026, vratsa, date(2026, 1, 15))
    store.centres.suspend_centre(dobrich, "Неплатен членски внос")
    rebuild_from_store(store, read_db, [NetworkGovernance()])

    chairs = {row["year"]: (row["centre_name"], row["corrections"]) for row in NetworkGovernance.chairs(read_db)}
    assert chairs == {2025: ("Младежки център – Стара Загора", 1), 2026: ("Младежки център – Враца", 0)}
    history = [(e["year"], e["event"], e["centre_name"], e["replaced_name"]) for e in
               NetworkGovernance.chair_history(read_db)]
    assert history == [(2025, "handover", "Младежки център – Добрич", ""),
                       (2025, "correction", "Младежки център – Стара Загора", "Младежки център – Добрич"),
                       (2026, "handover", "Младежки център – Враца", "")]
    chair = NetworkGovernance.current_chair(read_db, TODAY)
    assert chair["centre_name"] == "Младежки център – Враца" and chair["handed_over_on"] == "2026-01-15"
    rotation = NetworkGovernance.rotation(read_db)
    assert NetworkGovernance.next_in_rotation(rotation, chair["centre_id"])["name"] == "Младежки център – Перник"


@pytest.fixture
def library(store, read_db) -> dict[str, str]:
    """The three practices of the seeds, shared, endorsed and adopted as in the demo."""
    store.clock = lambda: TODAY
    centres = {key: member(store, f"Младежки център – {key}") for key in ("plovdiv", "dobrich", "stara_zagora",
                                                                          "vratsa", "pernik")}
    ids = {}
    for practice in PRACTICES:
        content = {k: v for k, v in practice.items() if k not in ("key", "centre")}
        ids[practice["key"]], _ = store.practices.share_practice(centre_id=centres[practice["centre"]], **content)
    store.practices.adopt_practice(ids["youth_at_risk"], centre_id=centres["pernik"], adaptation_notes="Клубове по интереси")
    store.practices.adopt_practice(ids["youth_at_risk"], centre_id=centres["vratsa"], adaptation_notes="С училищата")
    store.practices.adopt_practice(ids["one_stop_shop"], centre_id=centres["vratsa"], adaptation_notes="С ромски медиатор")
    store.practices.endorse_practice(ids["most"], centres["plovdiv"], "Сравнителният анализ помага")
    rebuild_from_store(store, read_db, [PracticeLibrary()])
    return {**{k: str(v) for k, v in ids.items()}, **{f"centre:{k}": str(v) for k, v in centres.items()}}


def found(db, **filters: str) -> list[str]:
    return [row["id"] for row in PracticeLibrary.search(db, PracticeFilter(**filters))]


@pytest.mark.parametrize("query", ["гише", "ГИШЕ", "Гише", "ЕдиННо гИШЕ", "неактивни младежи"])
def test_search_finds_a_practice_by_a_bulgarian_word_in_any_case(library, read_db, query):
    assert found(read_db, q=query) == [library["one_stop_shop"]]


@pytest.mark.parametrize("query", ["испания", "ИСПАНИЯ", "трансфер"])
def test_search_finds_the_most_project_in_any_case(library, read_db, query):
    assert found(read_db, q=query) == [library["most"]]


def test_search_matches_the_start_of_a_word_in_either_database(library, read_db):
    assert set(found(read_db, q="младеж")) == {library["one_stop_shop"], library["most"], library["youth_at_risk"]}
    assert set(found(read_db, q="социал")) == {library["one_stop_shop"], library["most"], library["youth_at_risk"]}
    # a stem, not only a prefix: „иновации“ also finds the „иновативни услуги“ of МОСТ
    assert set(found(read_db, q="социални иновации")) == {library["one_stop_shop"], library["most"]}
    assert found(read_db, q="социални иновации неактивни") == [library["one_stop_shop"]]


def test_search_finds_a_practice_by_its_tag_as_a_word_and_as_a_filter(library, read_db):
    assert found(read_db, q="заетост") == [library["one_stop_shop"]]
    assert found(read_db, q="NEETS") == found(read_db, q="neets") == [library["one_stop_shop"]]
    assert found(read_db, tag="неформално образование") == [library["youth_at_risk"]]
    assert found(read_db, tag="Едно гише") == [library["one_stop_shop"]]


def test_practices_are_filtered_by_target_group_country_and_centre_and_sorted_by_adoptions(library, read_db):
    assert found(read_db, group="youth_at_risk") == [library["youth_at_risk"]]
    assert found(read_db, country="ES") == [library["most"]]
    assert found(read_db, centre_id=library["centre:vratsa"]) == [library["youth_at_risk"], library["one_stop_shop"]]
    assert found(read_db, q="младеж", group="neets") == [library["one_stop_shop"]]
    assert found(read_db) == [library["youth_at_risk"], library["one_stop_shop"], library["most"]]


@pytest.mark.parametrize("query", ['"', "'", "*", "гише*", "NEAR(", "a:b & | ! ()", "младеж\" OR \"", "%", "\\"])
def test_search_syntax_in_a_query_is_text_never_an_error(library, read_db, query):
    PracticeLibrary.search(read_db, PracticeFilter(q=query))


def test_versions_keep_what_changed_and_the_transfer_path_runs_from_the_sharer_to_the_adopters(library, store,
                                                                                               read_db):
    practice = {k: v for k, v in PRACTICES[0].items() if k not in ("key", "centre")}
    store.practices.revise_practice(UUID(library["one_stop_shop"]), note="Отчетени резултати",
                          **{**practice, "results": {"consulted": 86, "reactivated": 17, "target": 150}})
    rebuild_from_store(store, read_db, [PracticeLibrary()])
    versions = PracticeLibrary.versions(read_db, library["one_stop_shop"])
    assert [(v["version"], v["changes"]) for v in versions] == [
        (1, {}), (2, {"results": ({"target": 150}, {"consulted": 86, "reactivated": 17, "target": 150})}),
    ]
    row = PracticeLibrary.get(read_db, library["one_stop_shop"])
    path = PracticeLibrary.transfer_path(row, PracticeLibrary.adoptions(read_db, library["one_stop_shop"]))
    assert [(step["kind"], step["name"]) for step in path] == [
        ("shared", "Младежки център – plovdiv"), ("adopted", "Младежки център – vratsa")
    ]
    most = PracticeLibrary.get(read_db, library["most"])
    assert PracticeLibrary.transfer_path(most, [])[0] == {"kind": "country", "country": "ES", "name": "", "on": ""}


def test_the_projected_read_models_equal_the_ones_rebuilt_from_the_store_alone(
    store, read_db, fresh_database, relay, projector
):
    # Given a year of governance recorded straight through the store, and a practice library
    ids = a_year_of_plan(store)
    store.network.hand_over_chair(2025, ids["pernik"], date(2025, 1, 10))
    store.plans.draft_plan(2025, ["Мрежуване"])
    store.plans.add_plan_item(2025, kind="training", theme="Обучение за мрежуване", month=10)
    store.plans.publish_plan(2025)
    store.network.record_annual_meeting(held_on=date(2025, 12, 12), report_year=2025, next_chair_id=ids["vratsa"],
                                priorities=["Качество"], report=dict(items=1, held=0, cancelled=0, not_held=1,
                                                                     dropped=0, unplanned=1))
    store.network.set_rotation([ids["pernik"], ids["vratsa"]])
    plovdiv, vratsa = member(store, "Младежки център – Пловдив"), member(store, "Младежки център – Ловеч")
    content = {k: v for k, v in PRACTICES[0].items() if k not in ("key", "centre")}
    practice_id, _ = store.practices.share_practice(centre_id=plovdiv, **content)
    store.practices.revise_practice(practice_id, **{**content, "tags": ["neets", "трансфер"]})
    store.practices.endorse_practice(practice_id, vratsa, "Приложимо и при нас")
    store.practices.adopt_practice(practice_id, centre_id=vratsa, adaptation_notes="С ромски медиатор")
    store.practices.record_adoption_outcome(practice_id, vratsa, {"consulted": 86, "reactivated": 17, "target": 150})
    store.practices.retire_practice(practice_id, "Заменена")
    last = store.last_notification_id()

    # When the projector has followed the stream to the end
    projections = all_projections()
    eventually(lambda: caught_up(read_db, last), 60, "the read models never caught up with the store")

    # Then every read model equals the same read model rebuilt from the store into an empty database
    assert rebuild_from_store(store, fresh_database, projections) == last
    assert table_contents(read_db, projections) == table_contents(fresh_database, projections)
    assert PracticeLibrary.search(fresh_database, PracticeFilter(q="ТРАНСФЕР"))[0]["status"] == "retired"
