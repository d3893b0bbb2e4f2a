"""Demo data from the seeds, loaded once into an empty store."""

from __future__ import annotations

import secrets
from datetime import date

from application.actor import acting_as
from application.app import MrezhaApplication
from demo.projects import load_projects
from demo.governance import load_governance

CENTRES = (
    dict(
        key="stara_zagora",
        name="Международен младежки център – Стара Загора",
        city="Стара Загора",
        region="Стара Загора",
        description=(
            "Център за неформално образование и работа с деца и младежи в риск; "
            "първият в България със Знак за качество на Съвета на Европа."
        ),
    ),
    dict(
        key="vratsa",
        name="Младежки център – Враца",
        city="Враца",
        region="Враца",
        description="Тазгодишен председател на Националната мрежа на младежките центрове.",
    ),
    dict(
        key="dobrich",
        name="Младежки център – Добрич",
        city="Добрич",
        region="Добрич",
        description="Домакин на обмена „Предизвикателствата на младежката работа“.",
    ),
    dict(
        key="pernik",
        name="Младежки център – Перник",
        city="Перник",
        region="Перник",
        description="Домакин на конференцията „Под многобройните маски на младежката работа“.",
    ),
    dict(
        key="plovdiv",
        name="Младежки център – Пловдив",
        city="Пловдив",
        region="Пловдив",
        description=(
            "Партньор на Центъра за социални иновации в Община Пловдив: "
            "работа с неактивни младежи (NEETs) на възраст 15–29 години."
        ),
    ),
)

ACTIVITIES = (
    dict(
        host="vratsa",
        title="Представяне на годишния план на председателя – МЦ Враца",
        kind="online_meeting",
        format="online",
        starts_on=date(2026, 3, 10),
        ends_on=date(2026, 3, 10),
        city="",
        theme="Съвместна работа на мрежата",
    ),
    dict(
        host="dobrich",
        title="Предизвикателствата на младежката работа",
        kind="exchange",
        starts_on=date(2026, 5, 14),
        ends_on=date(2026, 5, 16),
        city="Добрич",
        theme="Обмен на опит между младежките центрове",
    ),
    dict(
        host="pernik",
        title="Под многобройните маски на младежката работа",
        kind="conference",
        starts_on=date(2026, 9, 24),
        ends_on=date(2026, 9, 25),
        city="Перник",
        theme="Младежката работа и нейните роли",
    ),
    dict(
        host="plovdiv",
        title="Добри практики и предизвикателства в работата с неактивни младежи между 15-29 год.",
        kind="conference",
        format="hybrid",
        starts_on=date(2021, 6, 23),
        ends_on=date(2021, 6, 23),
        city="Пловдив",
        venue="Дом на културата „Борис Христов“",
        theme="NEETs 15–29",
    ),
    dict(
        host="stara_zagora",
        title="Обучение за младежки работници и ромски медиатори",
        kind="training",
        starts_on=date(2027, 2, 18),
        ends_on=date(2027, 2, 19),
        city="Стара Загора",
        theme="Работа с младежи в риск",
        capacity=30,
    ),
)


STAFF = (
    ("stara_zagora", "Координатор на Международния младежки център", "coordinator"),
    ("stara_zagora", "Младежки работник – неформално образование", "youth_worker"),
    ("plovdiv", "Ромски медиатор – Център за социални иновации", "roma_mediator"),
    ("vratsa", "Координатор на председателството", "coordinator"),
)

PRESENTATIONS = {
    "Добри практики и предизвикателства в работата с неактивни младежи между 15-29 год.": (
        ("Тезджан Дурмуш", "Община Пловдив",
         "Проект „Създаване на център за социални иновации в Община Пловдив“"),
        ("Алекс Леви", "Център за социални иновации – Пловдив", "Работата на Центъра за социални иновации"),
        ("Агата Вож", "БД Център ООД, Полша", "Опитът на полските партньори: социален хъб"),
    ),
}

OUTCOMES = {
    "Добри практики и предизвикателства в работата с неактивни младежи между 15-29 год.": dict(
        participants=48, young_people=20, fewer_opportunities=12, centres_attended=3,
        summary="Трето информационно събитие по проекта; ZOOM връзка с партньорите от Полша, "
        "стрийм във Facebook. Отчетени 86 консултирани и 17 реактивирани NEETs.",
    ),
    "Предизвикателствата на младежката работа": dict(
        participants=32, young_people=24, fewer_opportunities=8, centres_attended=5,
        summary="Среща на живо на центровете от мрежата в Добрич.",
    ),
    "Под многобройните маски на младежката работа": dict(
        participants=45, young_people=30, fewer_opportunities=10, centres_attended=5,
        summary="Конференция на живо в Перник.",
    ),
    "Представяне на годишния план на председателя – МЦ Враца": dict(
        participants=14, young_people=0, fewer_opportunities=0, centres_attended=5,
        summary="Онлайн среща: годишният план за дейностите на тазгодишния председател – МЦ Враца.",
    ),
}

JOINS = {
    "Предизвикателствата на младежката работа": (("vratsa", 6), ("pernik", 6), ("stara_zagora", 6), ("plovdiv", 4)),
    "Под многобройните маски на младежката работа": (("vratsa", 8), ("dobrich", 8), ("stara_zagora", 8)),
    "Обучение за младежки работници и ромски медиатори": (("vratsa", 4), ("pernik", 4), ("plovdiv", 6)),
}


DEMO_ACCOUNTS = (
    ("secretariat", "Секретариат на мрежата", "secretariat", None),
    ("vratsa", "Координатор – МЦ Враца", "coordinator", "vratsa"),
    ("dobrich", "Координатор – МЦ Добрич", "coordinator", "dobrich"),
    ("pernik", "Член – МЦ Перник", "member", "pernik"),
    ("auditor", "Одитор", "auditor", None),
)


def load_demo_if_empty(app: MrezhaApplication) -> dict[str, str] | None:
    """Record the demo network into an empty store; the demo accounts' passwords when it did."""
    if app.last_notification_id():
        return None
    with acting_as("demo"):
        return _load(app)


def _load(app: MrezhaApplication) -> dict[str, str]:
    today, clock = app.today(), app.clock
    ids = {}
    activity_ids = {}
    for centre in CENTRES:
        fields = {k: v for k, v in centre.items() if k != "key"}
        ids[centre["key"]], _ = app.centres.register_centre(**fields)
        app.centres.apply_for_membership(ids[centre["key"]], "Член на Националната мрежа на младежките центрове")
        app.centres.admit_centre(ids[centre["key"]])
    # Stara Zagora: applied for the Quality Label in 2015, inspected and awarded in 2016.
    app.centres.apply_for_label(ids["stara_zagora"], date(2015, 6, 1))
    app.centres.record_label_inspection(ids["stara_zagora"], date(2016, 3, 15), "Проверка от експерти на Съвета на Европа")
    app.centres.award_label(ids["stara_zagora"], date(2016, 11, 1), date(2020, 11, 1))
    app.centres.renew_label(ids["stara_zagora"], date(2020, 10, 1), date(2027, 11, 1))
    for key, name, role in STAFF:
        app.centres.add_staff_member(ids[key], name, role)
    for activity in ACTIVITIES:
        fields = {k: v for k, v in activity.items() if k != "host"}
        activity_id, _ = app.activities.plan_activity(host_centre_id=ids[activity["host"]], **fields)
        activity_ids[activity["title"]] = activity_id
        title = activity["title"]
        app.clock = lambda starts=activity["starts_on"]: min(today, starts)  # joined before it began
        for key, expected in JOINS.get(title, ()):
            app.activities.join_activity(activity_id, ids[key], expected)
        app.clock = lambda: today
        for speaker, organisation, talk in PRESENTATIONS.get(title, ()):
            app.activities.add_presentation(activity_id, speaker, organisation, talk)
        if title in OUTCOMES and activity["ends_on"] <= today:
            app.activities.record_outcome(activity_id, **OUTCOMES[title])
    load_governance(app, ids, activity_ids, today)
    load_projects(app, ids, activity_ids)
    app.clock = clock
    passwords = {}
    for username, display_name, role, centre in DEMO_ACCOUNTS:
        passwords[username] = secrets.token_urlsafe(9)
        app.accounts.open_account(
            username=username, display_name=display_name, role=role,
            centre_id=ids[centre] if centre else None, password=passwords[username],
        )
    return passwords
