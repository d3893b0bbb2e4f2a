"""Demo data from the seeds, loaded once into an empty store."""

from __future__ import annotations

from datetime import date

from infra.store import MrezhaApplication

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


def load_demo_if_empty(app: MrezhaApplication) -> bool:
    """Record the demo centres and activities into an empty store; True when it did."""
    if app.last_notification_id():
        return False
    ids = {}
    for centre in CENTRES:
        fields = {k: v for k, v in centre.items() if k != "key"}
        ids[centre["key"]], _ = app.register_centre(**fields)
    for activity in ACTIVITIES:
        fields = {k: v for k, v in activity.items() if k != "host"}
        app.plan_activity(host_centre_id=ids[activity["host"]], **fields)
    return True
