"""Demo governance from the seeds: the rotation, last year's chair and plan, this year's chair (МЦ Враца)
and plan, and the practices the centres share, endorse and adopt."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from application.app import MrezhaApplication
from domain.activity import Activity

ROTATION = ("stara_zagora", "vratsa", "dobrich", "pernik", "plovdiv")

PRIORITIES_LAST_YEAR = (
    "Обмяна на опит и добри практики между центровете и мрежуване",
    "Единен стандарт за качество на младежката работа",
)
PRIORITIES_THIS_YEAR = (
    "Популяризиране на длъжността „Младежки работник“ и общественото доверие към професията",
    "Повишаване на компетенциите на младежките работници и ромските медиатори",
    "Обмяна на опит и добри практики между центровете",
)
TRAINING_LAST_YEAR = "Обучение за обмяна на добри практики и мрежуване"

PRACTICES: tuple[dict[str, Any], ...] = (
    dict(
        key="one_stop_shop",
        centre="plovdiv",
        title="Единно гише за неактивни младежи (NEETs) 15–29 години",
        problem=(
            "Младежите от 15 до 29 години, които не учат, не работят и не се обучават, най-често от ромската "
            "и турската общност, са в четири и два пъти по-голям риск да останат извън пазара на труда."
        ),
        method=(
            "Център за социални иновации с обслужване на „едно гише“: индивидуален профил на всеки младеж, "
            "консултации от образователен, социален и трудов характер, насочване към работодатели чрез "
            "потребителски акаунт в най-голямата платформа за търсене на работа; модел, изпитан с партньора "
            "БД Център ООД (Полша)."
        ),
        target_groups=["neets", "roma_youth"],
        tags=["NEETs", "едно гише", "заетост", "социални иновации"],
        country="BG",
        source_project="BG05M9OP001-4.003-0020-С01 „Създаване на Център за социални иновации в Община Пловдив“",
        links=[],
        results={"target": 150},
    ),
    dict(
        key="most",
        centre="dobrich",
        title="МОСТ – трансфер на иновативни услуги за младежи между България и Испания",
        problem=(
            "Иновативните услуги за младежи от различни социални групи остават там, където са създадени; "
            "организациите нямат начин да проверят дали една услуга ще работи в друг социално-културен контекст."
        ),
        method=(
            "Паралелни проучвания сред целевите групи в двете държави, сравнителен анализ на "
            "трансферимостта на иновативните практики, семинари за обмяна на опит и платформа за постоянна "
            "обмяна на информация и партньорства."
        ),
        target_groups=["fewer_opportunities", "youth_workers"],
        tags=["трансфер", "иновативни услуги", "социално включване"],
        country="ES",
        source_project="МОСТ – „Мрежа за обмен и социален трансфер“, ОП „Развитие на човешките ресурси“, ЕСФ",
        links=["http://www.mostskills.com"],
        results={},
    ),
    dict(
        key="youth_at_risk",
        centre="stara_zagora",
        title="Международен младежки център за работа с деца и младежи в риск",
        problem="Младите хора в риск и в неравностойно положение остават извън възможностите за развитие и изява.",
        method=(
            "Неформално образование като инструмент за социално включване, международни партньорства и "
            "работа по изискванията на Съвета на Европа за Знак за качество на младежките центрове."
        ),
        target_groups=["youth_at_risk", "fewer_opportunities", "children"],
        tags=["неформално образование", "младежи в риск", "знак за качество"],
        country="BG",
        source_project="BG 06-101, Програма BG06 „Деца и младежи в риск“, Финансов механизъм на ЕИП",
        links=[],
        results={"reached": 700, "trained": 253},
    ),
)


def load_governance(
    app: MrezhaApplication, centres: dict[str, UUID], activities: dict[str, UUID], today: date
) -> None:
    this, last = today.year, today.year - 1

    def on(day: date) -> date:
        return min(day, today)

    def at(day: date) -> None:
        app.clock = lambda: on(day)

    app.network.set_rotation([centres[key] for key in ROTATION])
    # Last year: Stara Zagora chaired; its plan, one item held, one carried over.
    at(date(last, 1, 15))
    app.network.hand_over_chair(last, centres["stara_zagora"], on(date(last, 1, 15)))
    app.plans.draft_plan(last, PRIORITIES_LAST_YEAR)
    app.plans.add_plan_item(last, kind="training", theme=TRAINING_LAST_YEAR, month=10, host_centre_id=centres["stara_zagora"])
    app.plans.add_plan_item(last, kind="round_table", theme="Кръгла маса за структурния диалог за младежта", month=6,
                      host_centre_id=centres["pernik"])
    app.plans.publish_plan(last)
    plan = app.plans.plan_of(last)
    assert plan is not None
    training_item, round_table_item = (UUID(i) for i in plan.items)
    training_id, _ = app.activities.plan_activity(
        host_centre_id=centres["stara_zagora"], title=TRAINING_LAST_YEAR, kind="training",
        starts_on=date(last, 10, 8), ends_on=date(last, 10, 9), city="Стара Загора",
        theme="Обмяна на добри практики и мрежуване",
    )
    at(date(last, 10, 20))
    app.activities.record_outcome(training_id, participants=22, young_people=10, fewer_opportunities=3, centres_attended=5,
                       summary="Обучение с част от центровете с цел обмяна на добри практики и мрежуване.")
    app.plans.link_plan_item(last, training_item, training_id)
    app.plans.drop_plan_item(last, round_table_item, "Пренесена в плана за следващата година")
    # The annual meeting adopts last year's report and confirms Vratsa for this year.
    at(date(last, 12, 12))
    app.network.record_annual_meeting(
        held_on=on(date(last, 12, 12)), report_year=last, next_chair_id=centres["vratsa"],
        priorities=PRIORITIES_THIS_YEAR, report=_report(app, last, activities | {TRAINING_LAST_YEAR: training_id}),
    )
    # This year: Vratsa chairs and presents its plan.
    at(date(this, 1, 15))
    app.network.hand_over_chair(this, centres["vratsa"], on(date(this, 1, 15)))
    _this_years_plan(app, this, centres, activities, at)
    app.clock = lambda: today
    _practices(app, centres)


def _this_years_plan(
    app: MrezhaApplication, year: int, centres: dict[str, UUID], activities: dict[str, UUID],
    at: Callable[[date], None],
) -> None:
    app.plans.draft_plan(year, PRIORITIES_THIS_YEAR)
    planned = (
        ("online_meeting", "Представяне на годишния план на председателя – МЦ Враца", "vratsa", 3),
        ("exchange", "Предизвикателствата на младежката работа", "dobrich", 5),
        ("conference", "Под многобройните маски на младежката работа", "pernik", 10),
        ("training", "Обучение за младежки работници и ромски медиатори", "stara_zagora", 11),
    )
    for kind, theme, host, month in planned:
        app.plans.add_plan_item(year, kind=kind, theme=theme, month=month, host_centre_id=centres[host])
    at(date(year, 2, 20))
    app.plans.publish_plan(year)
    plan = app.plans.plan_of(year)
    assert plan is not None
    items = {item["theme"]: UUID(item_id) for item_id, item in plan.items.items()}
    for title, activity_id in activities.items():
        activity: Activity = app.repository.get(activity_id)
        if title in items and activity.starts_on.year == year:
            app.plans.link_plan_item(year, items[title], activity_id)
    conference = items["Под многобройните маски на младежката работа"]
    app.plans.change_plan_item(year, conference, kind="conference", theme="Под многобройните маски на младежката работа",
                         month=9, host_centre_id=centres["pernik"], reason="Конференцията е изтеглена с месец.")
    app.plans.drop_plan_item(year, items["Обучение за младежки работници и ромски медиатори"],
                       "Обучението е пренесено за февруари следващата година.")
    app.plans.add_plan_item(year, kind="open_day", theme="Ден на отворените врати в младежките центрове", month=12,
                      host_centre_id=centres["plovdiv"])


def _report(app: MrezhaApplication, year: int, activities: dict[str, UUID]) -> dict[str, int]:
    """The report as the read models would give it, computed here from the aggregates (no read model yet)."""
    plan = app.plans.plan_of(year)
    assert plan is not None
    recorded: list[Activity] = [app.repository.get(i) for i in activities.values()]
    status = {str(a.id): a.status for a in recorded}
    years = {str(a.id): a.starts_on.year for a in recorded}
    live = [item_id for item_id, item in plan.items.items() if not item["dropped"]]
    linked = {item_id: [status[a] for a, i in plan.linked.items() if i == item_id] for item_id in live}
    held = sum(1 for s in linked.values() if "held" in s)
    cancelled = sum(1 for s in linked.values() if s and all(x == "cancelled" for x in s))
    unplanned = sum(1 for a, s in status.items() if s == "held" and years[a] == year and a not in plan.linked)
    return dict(items=len(live), held=held, cancelled=cancelled, not_held=len(live) - held - cancelled,
                dropped=len(plan.items) - len(live), unplanned=unplanned)


def _practices(app: MrezhaApplication, centres: dict[str, UUID]) -> None:
    ids = {}
    for practice in PRACTICES:
        fields = {k: v for k, v in practice.items() if k not in ("key", "centre")}
        ids[practice["key"]], _ = app.practices.share_practice(centre_id=centres[practice["centre"]], **fields)
    one_stop = dict(next(p for p in PRACTICES if p["key"] == "one_stop_shop"))
    one_stop.pop("key"), one_stop.pop("centre")
    app.practices.revise_practice(
        ids["one_stop_shop"], note="Добавени отчетените резултати на единното гише.",
        **{**one_stop, "results": {"consulted": 86, "reactivated": 17, "target": 150},
           "tags": [*one_stop["tags"], "ромска общност"]},
    )
    app.practices.endorse_practice(ids["one_stop_shop"], centres["vratsa"],
                         "Моделът на „едно гише“ е приложим и във Враца; ромските медиатори са ключът.")
    app.practices.endorse_practice(ids["most"], centres["plovdiv"],
                         "Сравнителният анализ на трансферимостта ни помогна при адаптирането на услугите.")
    app.practices.endorse_practice(ids["youth_at_risk"], centres["pernik"], "Пример за неформално образование като социално включване.")
    app.practices.adopt_practice(
        ids["one_stop_shop"], centre_id=centres["vratsa"],
        adaptation_notes="Едно гише в младежкия център с ромски медиатор; консултации и насочване към "
        "работодатели във Враца.",
        context="Враца: малък областен град с висок дял на младежите извън заетост и обучение.",
    )
    app.practices.record_adoption_outcome(ids["one_stop_shop"], centres["vratsa"],
                                {"consulted": 31, "reactivated": 6, "target": 50}, "Първите шест месеца.")
    app.practices.adopt_practice(
        ids["youth_at_risk"], centre_id=centres["pernik"],
        adaptation_notes="Клубове по интереси с неформално образование за младежи в риск.",
        context="Перник, в партньорство с училищата.",
    )
