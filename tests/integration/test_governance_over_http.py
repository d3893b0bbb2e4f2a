"""Every governance and practice rule through HTTP: a refused form is a 422 with its Bulgarian message in
place (beside its field, atop its form, or standing alone when the page no longer offers that form), and
nothing stored. An accepted form returns the fragment that already shows the new state."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup

from tests.support.governance import PRACTICE_FORM, governance, names
from tests.support.site import Site, running_site

TOMORROW = (date.today() + timedelta(days=1)).isoformat()
REQUIRED = "Полето е задължително."
NOT_A_MEMBER = "Това може само център член с ненарушено членство (приет, без спряно членство)."
CHOOSE_A_CENTRE = "Изберете регистриран център."
CHOOSE_OPTION = "Изберете една от предложените възможности."
IN_FUTURE = "Датата не може да е в бъдещето."
TWO_YEARS = "Никой център не председателства мрежата две поредни години."
HANDED_OVER = "Председателството за тази година вече е предадено; вместо това поправете предаването."
MEETING_WHEN = "Годишното събрание се провежда от декември на отчетната година до края на следващата."
MEETING_RECORDED = "Годишното събрание за тази година вече е записано."
NOT_PUBLISHED = "Планът все още не е публикуван."
OWN = "Центърът не може да препоръча или внедри собствената си практика."
RETIRED = "Практиката е оттеглена."
NOTHING_CHANGED = "Нищо не е променено."

NETWORK_REFUSALS = [
    ("network", "/network/handover", {"year": "{next}", "centre_id": "{chair}", "handed_over_on": "{next}-01-10"},
     "handover", "centre_id", TWO_YEARS),
    ("network", "/network/handover", {"year": "{year}", "centre_id": "{member}", "handed_over_on": "{year}-01-10"},
     "handover", "year", HANDED_OVER),
    *[("network", "/network/handover", {"year": "{next}", "centre_id": who, "handed_over_on": "{next}-01-10"},
       "handover", "centre_id", message)
      for who, message in (("{suspended}", NOT_A_MEMBER), ("{outsider}", NOT_A_MEMBER), ("{unknown}", CHOOSE_A_CENTRE))],
    ("network", "/network/handover", {"year": "{next}", "centre_id": "{member}", "handed_over_on": "{prev}-12-31"},
     "handover", "handed_over_on", "Председателството се предава в годината, за която е, или в предходната."),
    ("network", "/network/handover", {"year": "{next}", "centre_id": "{member}", "handed_over_on": TOMORROW},
     "handover", "handed_over_on", IN_FUTURE),
    ("network", "/network/handover", {"year": "1999", "centre_id": "{member}", "handed_over_on": "1999-01-10"},
     "handover", "year", "Въведете година между 2000 и 2100."),
    ("network", "/network/handover", {"year": "", "centre_id": "{member}", "handed_over_on": "{next}-01-10"},
     "handover", "year", REQUIRED),
    ("plan closed", "/network/handover", {"year": "{next}", "centre_id": "{member}", "handed_over_on": "{next}-01-10"},
     "handover", "centre_id", "Годишното събрание потвърди друг център за председател за тази година."),
    ("network", "/network/correct", {"year": "{next}", "centre_id": "{member}", "reason": "Грешка"}, "correct", "year",
     "За тази година няма записано предаване."),
    ("network", "/network/correct", {"year": "{year}", "centre_id": "{chair}", "reason": "Грешка"}, "correct",
     "centre_id", "Този център вече е записан като председател за тази година."),
    ("network", "/network/correct", {"year": "{year}", "centre_id": "{member}", "reason": " "}, "correct", "reason",
     REQUIRED),
    ("network", "/network/correct", {"year": "{year}", "centre_id": "{prev_chair}", "reason": "Грешка"}, "correct",
     "centre_id", TWO_YEARS),
    ("network", "/network/correct", {"year": "{year}", "centre_id": "{suspended}", "reason": "Грешка"}, "correct",
     "centre_id", NOT_A_MEMBER),
    ("network", "/network/meeting", {"held_on": "{year}-12-12", "report_year": "{year}", "next_chair_id": "{chair}",
     "priorities": "Качество"}, "meeting", "next_chair_id", TWO_YEARS),
    ("network", "/network/meeting", {"held_on": "{year}-11-30", "report_year": "{year}", "next_chair_id": "{member}",
     "priorities": "Качество"}, "meeting", "held_on", MEETING_WHEN),
    ("network", "/network/meeting", {"held_on": "{year}-12-12", "report_year": "{year}", "next_chair_id": "{member}",
     "priorities": "Качество"}, "meeting", "report_year", "Тази година няма план, затова няма отчет за приемане."),
    ("network", "/network/meeting", {"held_on": "{year}-12-12", "report_year": "{year}", "next_chair_id": "{member}",
     "priorities": " \n "}, "meeting", "priorities", REQUIRED),
    ("network", "/network/meeting", {"held_on": "{prev}-12-12", "report_year": "{prev}", "next_chair_id": "{member}",
     "priorities": "Качество"}, "meeting", "next_chair_id", HANDED_OVER),
    ("network", "/network/meeting", {"held_on": "{year}-12-12", "report_year": "{year}",
     "next_chair_id": "{suspended}", "priorities": "Качество"}, "meeting", "next_chair_id", NOT_A_MEMBER),
    ("plan draft", "/network/meeting", {"held_on": "{year}-12-12", "report_year": "{year}", "next_chair_id": "{member}",
     "priorities": "Качество"}, "meeting", "report_year", NOT_PUBLISHED),
    ("plan closed", "/network/meeting", {"held_on": "{year}-12-20", "report_year": "{year}",
     "next_chair_id": "{member}", "priorities": "Качество"}, "meeting", "report_year", MEETING_RECORDED),
    ("rotation", "/network/rotation", {"order": "{a}"}, None, None, "Ротацията трябва да включва поне два центъра."),
    ("rotation", "/network/rotation", {"order": "{a},{a}"}, None, None, "Всеки център заема едно място в ротацията."),
    ("rotation", "/network/rotation", {"order": "{a},{b}"}, None, None, "Това е вече определената ротация."),
    ("rotation", "/network/rotation", {"order": "{a},{b}", "centre_id": "{suspended}"}, None, None, NOT_A_MEMBER),
    ("rotation", "/network/rotation", {"order": "{a},nonsense"}, None, None, CHOOSE_A_CENTRE),
    ("rotation", "/network/rotation", {"order": "{a}", "centre_id": "{unknown}"}, None, None, CHOOSE_A_CENTRE),
    ("rotation", "/network/rotation", {"order": "{a},{b}", "centre_id": "nonsense"}, "rotation", "centre_id",
     CHOOSE_A_CENTRE),
]
ITEM = {"kind": "exchange", "theme": "Обмен на опит", "month": "3", "host_centre_id": "{member}"}
MEETING = {"held_on": "{year}-12-12", "next_chair_id": "{member}", "priorities": "Качество"}
PLAN_REFUSALS = [
    ("no chair", "/plans/{year}/draft", {"priorities": "Качество"}, "draft", None,
     "За тази година няма предадено председателство; планът се изготвя от председателя за годината."),
    ("chaired", "/plans/{year}/draft", {"priorities": " "}, "draft", "priorities", REQUIRED),
    ("chaired", "/plans/{year}/draft", {"priorities": "\n".join(f"Приоритет {i}" for i in range(13))}, "draft",
     "priorities", "Твърде много: най-много 12."),
    ("plan published", "/plans/{year}/draft", {"priorities": "Качество"}, None, None, "Тази година вече има план."),
    ("plan draft", "/plans/{year}/publish", {}, "publish", None, "Добавете поне една точка, преди да публикувате плана."),
    ("plan published", "/plans/{year}/publish", {}, None, None, "Планът вече е публикуван."),
    ("plan published", "/plans/{year}/item", {**ITEM, "kind": "party"}, "item", "kind", CHOOSE_OPTION),
    ("plan published", "/plans/{year}/item", {**ITEM, "theme": " "}, "item", "theme", REQUIRED),
    ("plan published", "/plans/{year}/item", {**ITEM, "month": "13"}, "item", "month", "Изберете месец."),
    ("plan published", "/plans/{year}/item", {**ITEM, "host_centre_id": "{suspended}"}, "item", "host_centre_id",
     NOT_A_MEMBER),
    ("plan closed", "/plans/{year}/item", ITEM, None, None, "Отчетът за годината е приет: планът е приключен."),
    ("plan published", "/plans/{year}/change", {**ITEM, "item_id": "{item}"}, "change-1", None, NOTHING_CHANGED),
    ("plan published", "/plans/{year}/change", {**ITEM, "item_id": "{item}", "theme": ""}, "change-1", "theme",
     REQUIRED),
    ("plan published", "/plans/{year}/change", {**ITEM, "item_id": "{dropped}"}, None, None,
     "Тази точка е отпаднала от плана."),
    ("plan published", "/plans/{year}/change", {**ITEM, "item_id": "{unknown}"}, None, None, "В плана няма такава точка."),
    ("plan published", "/plans/{year}/drop", {"item_id": "{item}", "reason": " "}, "drop-1", "reason", REQUIRED),
    ("plan published", "/plans/{year}/link", {"item_id": "{item}", "activity_id": "{other}"}, "link-1", "activity_id",
     "Дейността се провежда в друга година, не в годината на плана."),
    ("plan published", "/plans/{year}/link", {"item_id": "{item}", "activity_id": "{linked}"}, "link-1", "activity_id",
     "Тази дейност вече осъществява точка от плана."),
    ("plan published", "/plans/{year}/link", {"item_id": "{item}", "activity_id": "{unknown}"}, "link-1",
     "activity_id", "Изберете дейност от календара."),
    ("plan draft", "/plans/{year}/report", MEETING, None, None, NOT_PUBLISHED),
    ("plan closed", "/plans/{year}/report", {**MEETING, "held_on": "{year}-12-20"}, None, None, MEETING_RECORDED),
    ("plan published", "/plans/{year}/report", {**MEETING, "next_chair_id": "{chair}"}, "report", "next_chair_id",
     TWO_YEARS),
    ("plan published", "/plans/{year}/report", {**MEETING, "held_on": "{year}-06-01"}, "report", "held_on",
     MEETING_WHEN),
]
PRACTICE_URL = "/practices/{practice}"
PRACTICE_REFUSALS = [
    ("practice", f"{PRACTICE_URL}/endorse", {"centre_id": "{owner}", "comment": "Добре"}, "endorse", "centre_id", OWN),
    ("practice", f"{PRACTICE_URL}/endorse", {"centre_id": "{endorser}", "comment": "Добре"}, "endorse", "centre_id",
     "Този център вече е препоръчал практиката."),
    ("practice", f"{PRACTICE_URL}/endorse", {"centre_id": "{member}", "comment": " "}, "endorse", "comment", REQUIRED),
    ("practice", f"{PRACTICE_URL}/endorse", {"centre_id": "{suspended}", "comment": "Добре"}, "endorse", "centre_id",
     NOT_A_MEMBER),
    ("practice", f"{PRACTICE_URL}/adopt", {"centre_id": "{owner}", "adaptation_notes": "Да"}, "adopt", "centre_id", OWN),
    ("practice", f"{PRACTICE_URL}/adopt", {"centre_id": "{adopter}", "adaptation_notes": "Да"}, "adopt", "centre_id",
     "Този център вече е внедрил практиката."),
    ("practice", f"{PRACTICE_URL}/adopt", {"centre_id": "{member}", "adaptation_notes": " "}, "adopt",
     "adaptation_notes", REQUIRED),
    ("practice", f"{PRACTICE_URL}/adopt", {"centre_id": "{member}", "adaptation_notes": "Да", "adopted_on": TOMORROW},
     "adopt", "adopted_on", IN_FUTURE),
    ("practice", f"{PRACTICE_URL}/adopt", {"centre_id": "{outsider}", "adaptation_notes": "Да"}, "adopt", "centre_id",
     NOT_A_MEMBER),
    ("practice", f"{PRACTICE_URL}/outcome", {"centre_id": "{member}", "consulted": "5"}, "outcome", "centre_id",
     "Този център не е внедрил практиката."),
    ("practice", f"{PRACTICE_URL}/outcome", {"centre_id": "{adopter}"}, "outcome", None, "Въведете поне една стойност."),
    ("practice", f"{PRACTICE_URL}/outcome", {"centre_id": "{adopter}", "consulted": "10", "reactivated": "17"},
     "outcome", "reactivated", "Не може да са повече от консултираните."),
    ("practice", f"{PRACTICE_URL}/revise", PRACTICE_FORM, "revise", None, NOTHING_CHANGED),
    ("practice", f"{PRACTICE_URL}/revise", {**PRACTICE_FORM, "title": ""}, "revise", "title", REQUIRED),
    ("practice", f"{PRACTICE_URL}/revise", {**PRACTICE_FORM, "target_groups": []}, "revise", "target_groups",
     REQUIRED),
    ("practice", f"{PRACTICE_URL}/retire", {"reason": ""}, "retire", "reason", REQUIRED),
    ("practice retired", f"{PRACTICE_URL}/endorse", {"centre_id": "{member}", "comment": "Добре"}, None, None, RETIRED),
    ("practice retired", f"{PRACTICE_URL}/adopt", {"centre_id": "{member}", "adaptation_notes": "Да"}, None, None,
     RETIRED),
    ("practice retired", f"{PRACTICE_URL}/revise", {**PRACTICE_FORM, "title": "Ново"}, None, None, RETIRED),
    ("practice retired", f"{PRACTICE_URL}/retire", {"reason": "Отново"}, None, None, RETIRED),
    ("library", "/practices", {**PRACTICE_FORM, "centre_id": "{suspended}"}, "share", "centre_id", NOT_A_MEMBER),
    ("library", "/practices", {**PRACTICE_FORM, "centre_id": "{member}", "title": ""}, "share", "title", REQUIRED),
    ("library", "/practices", {**PRACTICE_FORM, "centre_id": "{member}", "links": "www.mostskills.com"}, "share",
     "links", "Въведете връзка, която започва с http:// или https://."),
    ("library", "/practices", {**PRACTICE_FORM, "centre_id": "{member}", "country": "XX"}, "share", "country",
     CHOOSE_OPTION),
    ("library", "/practices", {**PRACTICE_FORM, "centre_id": "{member}", "target_groups": []}, "share",
     "target_groups", REQUIRED),
    ("library", "/practices", {**PRACTICE_FORM, "centre_id": "{member}", "tags": "неформално, " + "я" * 41}, "share",
     "tags", "Твърде дълго: най-много 40 знака."),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(tmp_path_factory.mktemp("governance")) as running:
        yield running


SUBJECTS: dict[str, tuple[str, dict[str, Any]]] = {}


def given(site: Site, subject: str, fresh: bool = False) -> dict[str, str]:
    """The subject's ids and centre names, as text; a refused form changes nothing, so refusals share them."""
    if fresh or subject not in SUBJECTS:
        _, ids = governance(site.store, subject)
        SUBJECTS[subject] = ({**names(site.store, ids), **{k: str(v) for k, v in ids.items()}}, {})
        site.settle()
    return SUBJECTS[subject][0]


def filled(data: dict[str, Any], ids: dict[str, str]) -> dict[str, Any]:
    return {k: [x.format(**ids) for x in v] if isinstance(v, list) else v.format(**ids) for k, v in data.items()}


def errors_shown(fragment: BeautifulSoup) -> list[str]:
    return [e.get_text(strip=True) for e in fragment.select("small.field-error, p.form-error")]


@pytest.mark.parametrize("subject, url, data, form, field, message", NETWORK_REFUSALS + PLAN_REFUSALS + PRACTICE_REFUSALS)
def test_a_refused_form_shows_its_message_in_place_and_stores_nothing(site, subject, url, data, form, field, message):
    ids = given(site, subject)
    before = site.stored()
    response = site.web.post_form(url.format(**ids), filled(data, ids))
    assert response.status_code == 422, response.text
    fragment = BeautifulSoup(response.text, "html.parser")
    assert errors_shown(fragment) == [message]  # once, and no other form complains
    if form is None:  # the page offers no such form (now): the message stands outside every form
        error = fragment.select_one("p.form-error")
        assert error.find_parent("form") is None
    elif field is None:
        assert errors_shown(fragment.select_one(f"#{form}-form")) == [message]
    else:
        assert fragment.select_one(f"#{form}-{field}-error").get_text(strip=True) == message
    assert site.stored() == before


ACCEPTED = [  # subject, url, form data, selector in the returned fragment, text it shows, events stored
    ("free", "/network/handover", {"year": "{year}", "centre_id": "{member}", "handed_over_on": "{year}-01-10"},
     "#chair-{year}", "{member_name}", 1),
    ("chaired", "/network/correct", {"year": "{year}", "centre_id": "{member}", "reason": "Записан е грешен център"},
     "#chair-{year}", "{member_name} (поправено)", 1),
    ("plan published, next free", "/network/meeting", {**MEETING, "report_year": "{year}"}, "#meeting-list",
     "{member_name} потвърден за председател за {next} г.", 2),
    ("rotation", "/network/rotation", {"order": "{b},{a}", "centre_id": "{c}"}, "#rotation-list",
     "{b_name} ↓ Премахни {a_name} ↑ ↓ Премахни {c_name} ↑ Премахни", 1),
    ("chaired", "/plans/{year}/draft", {"priorities": "Качество\n\nМрежуване"}, "#plan-status", "Чернова", 1),
    ("plan draft", "/plans/{year}/item", {**ITEM, "theme": "Обмен в Добрич"}, "#plan-items", "Обмен в Добрич", 1),
    ("plan draft item", "/plans/{year}/publish", {}, "#plan-status", "Публикуван", 1),
    ("plan published", "/plans/{year}/change", {**ITEM, "item_id": "{item}", "theme": "Обмен в Перник",
                                               "reason": "Друг домакин"}, "#item-{item}", "Обмен в Перник", 1),
    ("plan published", "/plans/{year}/drop", {"item_id": "{item}", "reason": "Няма финансиране"}, "#item-{item} mark",
     "Отпаднала", 1),
    ("plan published", "/plans/{year}/link", {"item_id": "{item}", "activity_id": "{activity}"}, "#item-{item}",
     "Обмен в Добрич", 1),
    ("plan published, next free", "/plans/{year}/report", MEETING, "#plan-status", "Отчетът е приет", 2),
    ("practice", f"{PRACTICE_URL}/endorse", {"centre_id": "{member}", "comment": "Приложимо при нас"},
     "#endorsement-list", "Приложимо при нас", 1),
    ("practice", f"{PRACTICE_URL}/adopt", {"centre_id": "{member}", "adaptation_notes": "Клубове по интереси"},
     "#adoption-{member}", "Клубове по интереси", 1),
    ("practice", f"{PRACTICE_URL}/outcome", {"centre_id": "{adopter}", "consulted": "86", "reactivated": "17",
                                            "target": "150"}, "#adoption-{adopter} dl", "Консултирани 86", 1),
    ("practice", f"{PRACTICE_URL}/revise", {**PRACTICE_FORM, "tags": "neets, едно гише, трансфер",
                                           "note": "Нов етикет"}, "#version-2", "Нов етикет", 1),
    ("practice", f"{PRACTICE_URL}/retire", {"reason": "Заменена"}, "#practice-status", "Оттеглена", 1),
]


@pytest.mark.parametrize("subject, url, data, selector, shown, events", ACCEPTED)
def test_an_accepted_form_returns_the_fragment_with_the_new_state(site, subject, url, data, selector, shown, events):
    ids = given(site, subject, fresh=True)
    before = site.stored()
    response = site.web.post_form(url.format(**ids), filled(data, ids))
    assert response.status_code == 200, response.text
    fragment = BeautifulSoup(response.text, "html.parser")
    assert fragment.select_one("p.notice[role=status]").get_text(strip=True) == "Записано."
    assert errors_shown(fragment) == []
    found = fragment.select_one(selector.format(**ids))
    assert found is not None and shown.format(**ids) in found.get_text(" ", strip=True)
    assert site.stored() == before + events  # the meeting records itself and the report it adopted


def test_a_shared_practice_is_listed_at_once_and_opens_on_its_page(site):
    ids = given(site, "library", fresh=True)
    response = site.web.post_form("/practices", filled({**PRACTICE_FORM, "centre_id": "{member}"}, ids))
    assert response.status_code == 201, response.text
    added = BeautifulSoup(response.text, "html.parser").select_one("#practice-list li.just-added")
    assert added is not None and PRACTICE_FORM["title"] in added.get_text()
    page = site.page(added.select_one("a")["href"])
    assert page.select_one("#practice-version").get_text(strip=True) == "версия 1"
    assert [a.get_text(strip=True) for a in page.select("#practice-tags a")] == ["#neets", "#едно гише"]


def test_the_plan_as_published_is_still_shown_after_its_items_changed(site):
    ids = given(site, "plan published", fresh=True)
    site.web.post_form(f"/plans/{ids['year']}/change", filled({**ITEM, "item_id": "{item}", "theme": "Обмен в Перник",
                                                              "month": "4"}, ids))
    site.web.post_form(f"/plans/{ids['year']}/item", filled({**ITEM, "theme": "Семинар", "month": "11"}, ids))
    page = site.page(f"/plans/{ids['year']}")
    published = [row.get_text(" ", strip=True) for row in page.select("#published-items tr")]
    assert published == ["март Обмен Обмен на опит " + ids["member_name"], "юни Обучение Обучение —",
                         "септември Кръгла маса Кръгла маса —"]
    now = page.select_one("#plan-items").get_text(" ", strip=True)
    assert "Обмен в Перник" in now and "Семинар добавена след публикуването" in now
    history = page.select_one("#plan-history-list").get_text(" ", strip=True)
    assert "Тема: Обмен на опит → Обмен в Перник" in history and "Месец: март → април" in history


@pytest.mark.parametrize("query", ["ГИШЕ", "гише", "Единно Гише", "NEETS"])
def test_the_library_finds_a_practice_by_a_bulgarian_word_in_any_case_and_by_its_tag(site, query):
    ids = given(site, "practice")
    results = site.page("/practices?q=" + query)
    assert ids["practice"] in [li["id"].removeprefix("practice-") for li in results.select("#practice-list li[id]")]
    by_tag = site.web.get("/practices?tag=едно гише", headers={"HX-Request": "true", "HX-Target": "practice-results"})
    fragment = BeautifulSoup(by_tag.text, "html.parser")
    assert "<html" not in by_tag.text and fragment.select_one(f"#practice-{ids['practice']}") is not None
    assert site.page("/practices?q=несъществуващадума").select("#practice-list li[id]") == []


def test_an_earlier_version_of_a_practice_stays_readable_with_what_changed(site):
    ids = given(site, "practice", fresh=True)
    site.web.post_form(f"/practices/{ids['practice']}/revise",
                       filled({**PRACTICE_FORM, "title": "Едно гише за NEETs", "note": "По-кратко заглавие"}, ids))
    current = site.page(f"/practices/{ids['practice']}")
    assert current.select_one("h1").get_text(strip=True) == "Едно гише за NEETs"
    change = current.select_one("#version-2 .changes").get_text(" ", strip=True)
    assert change == f"Заглавие : {PRACTICE_FORM['title']} → Едно гише за NEETs"
    first = site.page(f"/practices/{ids['practice']}?version=1")
    assert first.select_one("h1").get_text(strip=True) == PRACTICE_FORM["title"]
    assert first.select_one("#old-version") is not None
    path = [li.get_text(" ", strip=True) for li in first.select("#path-steps li")]
    assert len(path) == 2 and "внедрена на" in path[1]
