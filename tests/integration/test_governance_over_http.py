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
from tests.support.tables import row
from tests.support.web import CONFIRMED

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
    row("no_centre_chairs_two_years_running",
        "network", "/network/handover", {"year": "{next}", "centre_id": "{chair}", "handed_over_on": "{next}-01-10"},
        "handover", "centre_id", TWO_YEARS),
    row("a_year_is_handed_over_once",
        "network", "/network/handover", {"year": "{year}", "centre_id": "{member}", "handed_over_on": "{year}-01-10"},
        "handover", "year", HANDED_OVER),
    *[row(rule, "network", "/network/handover", {"year": "{next}", "centre_id": who, "handed_over_on": "{next}-01-10"},
          "handover", "centre_id", message)
      for rule, who, message in (("a_suspended_centre_cannot_chair", "{suspended}", NOT_A_MEMBER),
                                 ("a_registered_centre_cannot_chair", "{outsider}", NOT_A_MEMBER),
                                 ("an_unknown_centre_cannot_chair", "{unknown}", CHOOSE_A_CENTRE))],
    row("a_handover_falls_in_its_year_or_the_one_before",
        "network", "/network/handover", {"year": "{next}", "centre_id": "{member}", "handed_over_on": "{prev}-12-31"},
        "handover", "handed_over_on", "Председателството се предава в годината, за която е, или в предходната."),
    row("a_handover_is_not_in_the_future",
        "network", "/network/handover", {"year": "{next}", "centre_id": "{member}", "handed_over_on": TOMORROW},
        "handover", "handed_over_on", IN_FUTURE),
    row("a_year_from_2000_to_2100",
        "network", "/network/handover", {"year": "1999", "centre_id": "{member}", "handed_over_on": "2000-01-10"},
        "handover", "year", "Въведете година между 2000 и 2100."),
    row("a_handover_needs_a_year",
        "network", "/network/handover", {"year": "", "centre_id": "{member}", "handed_over_on": "{next}-01-10"},
        "handover", "year", REQUIRED),
    row("the_chair_goes_to_the_centre_the_meeting_confirmed",
        "plan closed", "/network/handover",
        {"year": "{next}", "centre_id": "{member}", "handed_over_on": "{next}-01-10"},
        "handover", "centre_id", "Годишното събрание потвърди друг център за председател за тази година."),
    row("only_a_recorded_handover_is_corrected",
        "network", "/network/correct", {"year": "{next}", "centre_id": "{member}", "reason": "Грешка"}, "correct",
        "year", "За тази година няма записано предаване."),
    row("a_correction_names_another_centre",
        "network", "/network/correct", {"year": "{year}", "centre_id": "{chair}", "reason": "Грешка"}, "correct",
        "centre_id", "Този център вече е записан като председател за тази година."),
    row("a_correction_needs_a_reason",
        "network", "/network/correct", {"year": "{year}", "centre_id": "{member}", "reason": " "}, "correct", "reason",
        REQUIRED),
    row("a_correction_keeps_no_centre_two_years_running",
        "network", "/network/correct", {"year": "{year}", "centre_id": "{prev_chair}", "reason": "Грешка"}, "correct",
        "centre_id", TWO_YEARS),
    row("a_correction_names_no_suspended_centre",
        "network", "/network/correct", {"year": "{year}", "centre_id": "{suspended}", "reason": "Грешка"}, "correct",
        "centre_id", NOT_A_MEMBER),
    row("the_meeting_confirms_no_chair_two_years_running",
        "meeting", "/network/meeting", {"held_on": "{year}-12-12", "report_year": "{year}", "next_chair_id": "{chair}",
        "priorities": "Качество"}, "meeting", "next_chair_id", TWO_YEARS),
    row("the_meeting_is_held_from_december_of_its_year",
        "meeting", "/network/meeting", {"held_on": "{year}-11-30", "report_year": "{year}", "next_chair_id": "{member}",
        "priorities": "Качество"}, "meeting", "held_on", MEETING_WHEN),
    row("the_meeting_adopts_no_report_without_a_plan",
        "network", "/network/meeting", {"held_on": "{year}-12-12", "report_year": "{year}", "next_chair_id": "{member}",
        "priorities": "Качество"}, "meeting", "report_year", "Тази година няма план, затова няма отчет за приемане."),
    row("the_meeting_sets_priorities",
        "meeting", "/network/meeting", {"held_on": "{year}-12-12", "report_year": "{year}", "next_chair_id": "{member}",
        "priorities": " \n "}, "meeting", "priorities", REQUIRED),
    row("the_meeting_confirms_no_chair_for_a_year_handed_over",
        "meeting", "/network/meeting", {"held_on": "{prev}-12-12", "report_year": "{prev}", "next_chair_id": "{member}",
        "priorities": "Качество"}, "meeting", "next_chair_id", HANDED_OVER),
    row("the_meeting_confirms_no_suspended_centre",
        "meeting", "/network/meeting", {"held_on": "{year}-12-12", "report_year": "{year}",
        "next_chair_id": "{suspended}", "priorities": "Качество"}, "meeting", "next_chair_id", NOT_A_MEMBER),
    row("the_meeting_adopts_no_report_of_an_unpublished_plan",
        "plan draft", "/network/meeting", {"held_on": "{year}-12-12", "report_year": "{year}",
        "next_chair_id": "{member}", "priorities": "Качество"}, "meeting", "report_year", NOT_PUBLISHED),
    row("the_meeting_is_recorded_once_a_year",
        "plan closed", "/network/meeting", {"held_on": "{year}-12-20", "report_year": "{year}",
        "next_chair_id": "{member}", "priorities": "Качество"}, "meeting", "report_year", MEETING_RECORDED),
    row("a_rotation_has_two_centres_at_least",
        "rotation", "/network/rotation", {"order": "{a}"}, None, None, "Ротацията трябва да включва поне два центъра."),
    row("a_rotation_holds_each_centre_once",
        "rotation", "/network/rotation", {"order": "{a},{a}"}, None, None,
        "Всеки център заема едно място в ротацията."),
    row("a_rotation_differs_from_the_one_set",
        "rotation", "/network/rotation", {"order": "{a},{b}"}, None, None, "Това е вече определената ротация."),
    row("a_suspended_centre_joins_no_rotation",
        "rotation", "/network/rotation", {"order": "{a},{b}", "centre_id": "{suspended}"}, None, None, NOT_A_MEMBER),
    row("a_rotation_names_only_centres",
        "rotation", "/network/rotation", {"order": "{a},nonsense"}, None, None, CHOOSE_A_CENTRE),
    row("an_unknown_centre_is_not_added_to_the_rotation",
        "rotation", "/network/rotation", {"order": "{a}", "centre_id": "{unknown}"}, None, None, CHOOSE_A_CENTRE),
    row("a_centre_to_add_is_chosen_from_the_list",
        "rotation", "/network/rotation", {"order": "{a},{b}", "centre_id": "nonsense"}, "rotation", "centre_id",
        CHOOSE_A_CENTRE),
]
ITEM = {"kind": "exchange", "theme": "Обмен на опит", "month": "3", "host_centre_id": "{member}"}
MEETING = {"held_on": "{year}-12-12", "next_chair_id": "{member}", "priorities": "Качество"}
PLAN_REFUSALS = [
    row("a_plan_is_drafted_for_a_year_with_a_chair",
        "no chair", "/plans/{year}/draft", {"priorities": "Качество"}, "draft", None,
        "За тази година няма предадено председателство; планът се изготвя от председателя за годината."),
    row("a_plan_needs_priorities",
        "chaired", "/plans/{year}/draft", {"priorities": " "}, "draft", "priorities", REQUIRED),
    row("a_plan_has_at_most_12_priorities",
        "chaired", "/plans/{year}/draft", {"priorities": "\n".join(f"Приоритет {i}" for i in range(13))}, "draft",
        "priorities", "Твърде много: най-много 12."),
    row("a_year_has_one_plan",
        "plan published", "/plans/{year}/draft", {"priorities": "Качество"}, None, None, "Тази година вече има план."),
    row("a_plan_is_published_with_an_item",
        "plan draft", "/plans/{year}/publish", {}, "publish", None,
        "Добавете поне една точка, преди да публикувате плана."),
    row("a_plan_is_published_once",
        "plan published", "/plans/{year}/publish", {}, None, None, "Планът вече е публикуван."),
    row("an_item_has_a_known_kind",
        "plan published", "/plans/{year}/item", {**ITEM, "kind": "party"}, "item", "kind", CHOOSE_OPTION),
    row("an_item_needs_a_theme",
        "plan published", "/plans/{year}/item", {**ITEM, "theme": " "}, "item", "theme", REQUIRED),
    row("an_item_has_a_month",
        "plan published", "/plans/{year}/item", {**ITEM, "month": "13"}, "item", "month", "Изберете месец."),
    row("a_suspended_centre_hosts_no_item",
        "plan published", "/plans/{year}/item", {**ITEM, "host_centre_id": "{suspended}"}, "item", "host_centre_id",
        NOT_A_MEMBER),
    row("a_closed_plan_gets_no_item",
        "plan closed", "/plans/{year}/item", ITEM, None, None, "Отчетът за годината е приет: планът е приключен."),
    row("a_change_changes_something",
        "plan published", "/plans/{year}/change", {**ITEM, "item_id": "{item}"}, "change-1", None, NOTHING_CHANGED),
    row("a_changed_item_keeps_a_theme",
        "plan published", "/plans/{year}/change", {**ITEM, "item_id": "{item}", "theme": ""}, "change-1", "theme",
        REQUIRED),
    row("a_dropped_item_is_not_changed",
        "plan published", "/plans/{year}/change", {**ITEM, "item_id": "{dropped}"}, None, None,
        "Тази точка е отпаднала от плана."),
    row("an_unknown_item_is_not_changed",
        "plan published", "/plans/{year}/change", {**ITEM, "item_id": "{unknown}"}, None, None,
        "В плана няма такава точка."),
    row("a_dropped_item_needs_a_reason",
        "plan published", "/plans/{year}/drop", {"item_id": "{item}", "reason": " "}, "drop-1", "reason", REQUIRED),
    row("an_item_links_an_activity_of_its_year",
        "plan published", "/plans/{year}/link", {"item_id": "{item}", "activity_id": "{other}"}, "link-1",
        "activity_id", "Дейността се провежда в друга година, не в годината на плана."),
    row("an_activity_realises_one_item",
        "plan published", "/plans/{year}/link", {"item_id": "{item}", "activity_id": "{linked}"}, "link-1",
        "activity_id", "Тази дейност вече осъществява точка от плана."),
    row("an_item_links_an_activity_of_the_calendar",
        "plan published", "/plans/{year}/link", {"item_id": "{item}", "activity_id": "{unknown}"}, "link-1",
        "activity_id", "Изберете дейност от календара."),
    row("the_report_of_an_unpublished_plan_is_not_adopted",
        "plan draft", "/plans/{year}/report", MEETING, None, None, NOT_PUBLISHED),
    row("the_report_is_adopted_once",
        "plan closed", "/plans/{year}/report", {**MEETING, "held_on": "{year}-12-20"}, None, None, MEETING_RECORDED),
    row("the_report_confirms_no_chair_two_years_running",
        "plan published", "/plans/{year}/report", {**MEETING, "next_chair_id": "{chair}"}, "report", "next_chair_id",
        TWO_YEARS),
    row("the_report_is_adopted_from_december_of_its_year",
        "plan published", "/plans/{year}/report", {**MEETING, "held_on": "{year}-06-01"}, "report", "held_on",
        MEETING_WHEN),
]
PRACTICE_URL = "/practices/{practice}"
PRACTICE_REFUSALS = [
    row("a_centre_does_not_endorse_its_own_practice",
        "practice", f"{PRACTICE_URL}/endorse", {"centre_id": "{owner}", "comment": "Добре"}, "endorse", "centre_id",
        OWN),
    row("a_centre_endorses_once",
        "practice", f"{PRACTICE_URL}/endorse", {"centre_id": "{endorser}", "comment": "Добре"}, "endorse", "centre_id",
        "Този център вече е препоръчал практиката."),
    row("an_endorsement_needs_a_comment",
        "practice", f"{PRACTICE_URL}/endorse", {"centre_id": "{member}", "comment": " "}, "endorse", "comment",
        REQUIRED),
    row("a_suspended_centre_does_not_endorse",
        "practice", f"{PRACTICE_URL}/endorse", {"centre_id": "{suspended}", "comment": "Добре"}, "endorse", "centre_id",
        NOT_A_MEMBER),
    row("a_centre_does_not_adopt_its_own_practice",
        "practice", f"{PRACTICE_URL}/adopt", {"centre_id": "{owner}", "adaptation_notes": "Да"}, "adopt", "centre_id",
        OWN),
    row("a_centre_adopts_once",
        "practice", f"{PRACTICE_URL}/adopt", {"centre_id": "{adopter}", "adaptation_notes": "Да"}, "adopt", "centre_id",
        "Този център вече е внедрил практиката."),
    row("an_adoption_needs_adaptation_notes",
        "practice", f"{PRACTICE_URL}/adopt", {"centre_id": "{member}", "adaptation_notes": " "}, "adopt",
        "adaptation_notes", REQUIRED),
    row("an_adoption_is_not_in_the_future",
        "practice", f"{PRACTICE_URL}/adopt",
        {"centre_id": "{member}", "adaptation_notes": "Да", "adopted_on": TOMORROW},
        "adopt", "adopted_on", IN_FUTURE),
    row("a_registered_centre_does_not_adopt",
        "practice", f"{PRACTICE_URL}/adopt", {"centre_id": "{outsider}", "adaptation_notes": "Да"}, "adopt",
        "centre_id", NOT_A_MEMBER),
    row("only_an_adopter_records_an_outcome",
        "practice", f"{PRACTICE_URL}/outcome", {"centre_id": "{member}", "consulted": "5"}, "outcome", "centre_id",
        "Този център не е внедрил практиката."),
    row("an_outcome_has_a_figure",
        "practice", f"{PRACTICE_URL}/outcome", {"centre_id": "{adopter}"}, "outcome", None,
        "Въведете поне една стойност."),
    row("no_more_reactivated_than_consulted",
        "practice", f"{PRACTICE_URL}/outcome", {"centre_id": "{adopter}", "consulted": "10", "reactivated": "17"},
        "outcome", "reactivated", "Не може да са повече от консултираните."),
    row("a_revision_changes_something",
        "practice", f"{PRACTICE_URL}/revise", PRACTICE_FORM, "revise", None, NOTHING_CHANGED),
    row("a_revision_keeps_a_title",
        "practice", f"{PRACTICE_URL}/revise", {**PRACTICE_FORM, "title": ""}, "revise", "title", REQUIRED),
    row("a_revision_keeps_a_target_group",
        "practice", f"{PRACTICE_URL}/revise", {**PRACTICE_FORM, "target_groups": []}, "revise", "target_groups",
        REQUIRED),
    row("a_retirement_needs_a_reason",
        "practice", f"{PRACTICE_URL}/retire", {"reason": ""}, "retire", "reason", REQUIRED),
    row("a_retired_practice_is_not_endorsed",
        "practice retired", f"{PRACTICE_URL}/endorse", {"centre_id": "{member}", "comment": "Добре"}, None, None,
        RETIRED),
    row("a_retired_practice_is_not_adopted",
        "practice retired", f"{PRACTICE_URL}/adopt", {"centre_id": "{member}", "adaptation_notes": "Да"}, None, None,
        RETIRED),
    row("a_retired_practice_is_not_revised",
        "practice retired", f"{PRACTICE_URL}/revise", {**PRACTICE_FORM, "title": "Ново"}, None, None, RETIRED),
    row("a_retired_practice_is_not_retired_again",
        "practice retired", f"{PRACTICE_URL}/retire", {"reason": "Отново"}, None, None, RETIRED),
    row("a_suspended_centre_shares_no_practice",
        "library", "/practices", {**PRACTICE_FORM, "centre_id": "{suspended}"}, "share", "centre_id", NOT_A_MEMBER),
    row("a_practice_needs_a_title",
        "library", "/practices", {**PRACTICE_FORM, "centre_id": "{member}", "title": ""}, "share", "title", REQUIRED),
    row("a_link_starts_with_http",
        "library", "/practices", {**PRACTICE_FORM, "centre_id": "{member}", "links": "www.mostskills.com"}, "share",
        "links", "Въведете връзка, която започва с http:// или https://."),
    row("a_country_is_one_offered",
        "library", "/practices", {**PRACTICE_FORM, "centre_id": "{member}", "country": "XX"}, "share", "country",
        CHOOSE_OPTION),
    row("a_practice_needs_a_target_group",
        "library", "/practices", {**PRACTICE_FORM, "centre_id": "{member}", "target_groups": []}, "share",
        "target_groups", REQUIRED),
    row("a_tag_has_at_most_40_characters",
        "library", "/practices", {**PRACTICE_FORM, "centre_id": "{member}", "tags": "неформално, " + "я" * 41}, "share",
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
    response = site.web.post_form(url.format(**ids), {**filled(data, ids), **CONFIRMED})
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
    row("the_chair_is_handed_over",
        "free", "/network/handover", {"year": "{year}", "centre_id": "{member}", "handed_over_on": "{year}-01-10"},
        "#chair-{year}", "{member_name}", 1),
    row("a_handover_is_corrected",
        "chaired", "/network/correct", {"year": "{year}", "centre_id": "{member}", "reason": "Записан е грешен център"},
        "#chair-{year}", "{member_name} (поправено)", 1),
    row("the_annual_meeting_is_recorded",
        "plan published, next free", "/network/meeting", {**MEETING, "report_year": "{year}"}, "#meeting-list",
        "{member_name} потвърден за председател за {next} г.", 2),
    row("the_rotation_is_set",
        "rotation", "/network/rotation", {"order": "{b},{a}", "centre_id": "{c}"}, "#rotation-list",
        "{b_name} ↓ Премахни {a_name} ↑ ↓ Премахни {c_name} ↑ Премахни", 1),
    row("a_plan_is_drafted",
        "chaired", "/plans/{year}/draft", {"priorities": "Качество\n\nМрежуване"}, "#plan-status", "Чернова", 1),
    row("an_item_is_added",
        "plan draft", "/plans/{year}/item", {**ITEM, "theme": "Обмен в Добрич"}, "#plan-items", "Обмен в Добрич", 1),
    row("a_plan_is_published", "plan draft item", "/plans/{year}/publish", {}, "#plan-status", "Публикуван", 1),
    row("an_item_is_changed",
        "plan published", "/plans/{year}/change",
        {**ITEM, "item_id": "{item}", "theme": "Обмен в Перник", "reason": "Друг домакин"},
        "#item-{item}", "Обмен в Перник", 1),
    row("an_item_is_dropped",
        "plan published", "/plans/{year}/drop", {"item_id": "{item}", "reason": "Няма финансиране"},
        "#item-{item} mark", "Отпаднала", 1),
    row("an_item_is_linked_to_an_activity",
        "plan published", "/plans/{year}/link", {"item_id": "{item}", "activity_id": "{activity}"}, "#item-{item}",
        "Обмен в Добрич", 1),
    row("the_report_is_adopted",
        "plan published, next free", "/plans/{year}/report", MEETING, "#plan-status", "Отчетът е приет", 2),
    row("a_practice_is_endorsed",
        "practice", f"{PRACTICE_URL}/endorse", {"centre_id": "{member}", "comment": "Приложимо при нас"},
        "#endorsement-list", "Приложимо при нас", 1),
    row("a_practice_is_adopted",
        "practice", f"{PRACTICE_URL}/adopt", {"centre_id": "{member}", "adaptation_notes": "Клубове по интереси"},
        "#adoption-{member}", "Клубове по интереси", 1),
    row("an_adoption_outcome_is_recorded",
        "practice", f"{PRACTICE_URL}/outcome",
        {"centre_id": "{adopter}", "consulted": "86", "reactivated": "17", "target": "150"},
        "#adoption-{adopter} dl", "Консултирани 86", 1),
    row("a_practice_is_revised",
        "practice", f"{PRACTICE_URL}/revise",
        {**PRACTICE_FORM, "tags": "neets, едно гише, трансфер", "note": "Нов етикет"}, "#version-2", "Нов етикет", 1),
    row("a_practice_is_retired",
        "practice", f"{PRACTICE_URL}/retire", {"reason": "Заменена"}, "#practice-status", "Оттеглена", 1),
]


@pytest.mark.parametrize("subject, url, data, selector, shown, events", ACCEPTED)
def test_an_accepted_form_returns_the_fragment_with_the_new_state(site, subject, url, data, selector, shown, events):
    ids = given(site, subject, fresh=True)
    before = site.stored()
    response = site.web.post_form(url.format(**ids), {**filled(data, ids), **CONFIRMED})
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
