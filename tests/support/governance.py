"""Governance and practices set up straight through the application for HTTP tests: chaired years,
plans in each state, a rotation, practices endorsed and adopted; each with the ids a form may name."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from application.app import MrezhaApplication
from domain.centre import Centre
from tests.support.commands import a_centre

YEARS = itertools.count(2000)  # one network per test module: each subject takes years of its own
PRACTICE = dict(
    title="Единно гише за неактивни младежи (NEETs) 15–29 години",
    problem="Младежите извън заетост, образование и обучение остават извън пазара на труда.",
    method="Център за социални иновации с обслужване на „едно гише“.",
    target_groups=["neets", "roma_youth"],
    tags=["neets", "едно гише"],
    country="BG",
)
PRACTICE_FORM = {  # the same practice, as its form sends it
    "title": PRACTICE["title"], "problem": PRACTICE["problem"], "method": PRACTICE["method"],
    "target_groups": ["neets", "roma_youth"], "tags": "neets, едно гише", "country": "BG",
    "source_project": "", "links": "",
}


def years(count: int) -> list[int]:
    return [next(YEARS) for _ in range(count)]


def members(store: MrezhaApplication, *names: str, state: str = "admitted") -> dict[str, UUID]:
    return {name: a_centre(store, state) for name in names}


def chaired(store: MrezhaApplication, year: int) -> UUID:
    chair = a_centre(store)
    store.network.hand_over_chair(year, chair, date(year, 1, 15))
    return chair


def plan(store: MrezhaApplication, ids: dict[str, Any], year: int, state: str) -> None:
    """A plan for ``year`` in ``state``: draft (no items), draft item, published or closed. Published
    plans hold an item in March, one in June realised by an activity, and one dropped in September."""
    store.plans.draft_plan(year, ["Обмяна на добри практики"])
    if state == "draft":
        return
    store.plans.add_plan_item(year, kind="exchange", theme="Обмен на опит", month=3, host_centre_id=ids["member"])
    if state == "draft item":
        return
    store.plans.add_plan_item(year, kind="training", theme="Обучение", month=6)
    store.plans.add_plan_item(year, kind="round_table", theme="Кръгла маса", month=9)
    store.plans.publish_plan(year)
    items = [UUID(i) for i in store.plans.plan_of(year).items]
    ids.update(item=items[0], item2=items[1], dropped=items[2])
    ids["linked"] = an_activity(store, "Обучение за младежки работници", date(year, 6, 10))
    ids["activity"] = an_activity(store, "Обмен в Добрич", date(year, 3, 12))
    ids["other"] = an_activity(store, "Обмен от друга година", date(year + 1, 3, 12))
    store.plans.link_plan_item(year, ids["item2"], ids["linked"])
    store.plans.drop_plan_item(year, ids["dropped"], "Няма финансиране")
    if state == "closed":
        store.network.record_annual_meeting(
            held_on=date(year, 12, 12), report_year=year, next_chair_id=ids["confirmed"], priorities=["Качество"],
            report=dict(items=2, held=0, cancelled=0, not_held=2, dropped=1, unplanned=0),
        )


def an_activity(store: MrezhaApplication, title: str, on: date) -> UUID:
    activity_id, _ = store.activities.plan_activity(host_centre_id=a_centre(store), title=title, kind="exchange",
                                         starts_on=on, ends_on=on, city="Добрич")
    return activity_id


def governance(store: MrezhaApplication, subject: str) -> tuple[str, dict[str, Any]]:
    """The page of the subject and the ids its forms may name (``unknown`` names nothing)."""
    ids: dict[str, Any] = {"unknown": uuid4(), **members(store, "member", "confirmed", "a", "b", "c")}
    ids |= members(store, "suspended", state="suspended") | members(store, "outsider", state="registered")
    if subject in ("network", "meeting", "free", "chaired", "no chair"):
        count = {"network": 3, "meeting": 3, "free": 1, "chaired": 1, "no chair": 0}[subject]
        found = years(count) if count else [2099]
        ids["year"] = found[1] if subject in ("network", "meeting") else found[0]
        if subject in ("network", "meeting"):
            ids.update(prev=found[0], next=found[2], prev_chair=chaired(store, found[0]))
        if subject in ("network", "meeting", "chaired"):
            ids["chair"] = chaired(store, ids["year"])
        if subject == "meeting":  # the network, with plans published for the previous year and this one
            for year in (found[0], found[1]):
                plan(store, ids, year, "published")
        return "/network", ids
    if subject.startswith("plan"):
        state = subject.removeprefix("plan ").removesuffix(", next free")
        found = years(2 if subject.endswith("next free") or state in ("draft", "closed") else 1)
        ids.update(year=found[0], next=found[0] + 1, chair=chaired(store, found[0]))
        plan(store, ids, found[0], state)
        return f"/plans/{found[0]}", ids
    if subject == "rotation":
        store.network.set_rotation([ids["a"], ids["b"]])
        return "/network", ids
    if subject == "library":
        return "/practices", ids
    ids["owner"] = a_centre(store)
    ids["practice"], _ = store.practices.share_practice(centre_id=ids["owner"], **PRACTICE)
    ids |= members(store, "endorser", "adopter")
    store.practices.endorse_practice(ids["practice"], ids["endorser"], "Приложимо и при нас")
    store.practices.adopt_practice(ids["practice"], centre_id=ids["adopter"], adaptation_notes="С ромски медиатор")
    if subject == "practice retired":
        store.practices.retire_practice(ids["practice"], "Заменена от нова услуга")
    return f"/practices/{ids['practice']}", ids


def names(store: MrezhaApplication, ids: dict[str, Any]) -> dict[str, str]:
    """Each centre's name, as ``<key>_name``."""
    found = {}
    for key, value in ids.items():
        aggregate = store.repository.get(value) if isinstance(value, UUID) and value in store.repository else None
        if isinstance(aggregate, Centre):
            found[f"{key}_name"] = aggregate.name
    return found
