"""Every rule through HTTP: a refused form is a 422 with its Bulgarian message in place (beside
its field, or atop its form; in the form's section when the page no longer offers that form),
and nothing stored. An accepted form is a 200 whose fragment already shows the new state."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from uuid import uuid4

import pytest
from bs4 import BeautifulSoup

from tests.support.commands import a_centre
from tests.support.site import Site, running_site
from tests.support.tables import row
from tests.support.web import CONFIRMED

TODAY = date.today()
NEXT_MONTH = (TODAY + timedelta(days=30), TODAY + timedelta(days=32))
LAST_MONTH = (TODAY - timedelta(days=32), TODAY - timedelta(days=30))
REQUIRED = "Полето е задължително."
ALREADY_MEMBER = "Центърът вече е член."
NOT_APPLIED = "Центърът не е кандидатствал за членство."
CANCELLED = "Дейността е отменена."
HELD = "Дейността вече е проведена."
NOT_A_MEMBER = "Това може само център член с ненарушено членство (приет, без спряно членство)."
OUTCOME = {"participants": "40", "young_people": "30", "fewer_opportunities": "10", "centres_attended": "4"}
SECTIONS = {
    **dict.fromkeys(["apply", "admit", "reject", "suspend", "reinstate", "leave", "rejoin"], "membership"),
    **dict.fromkeys(["label-apply", "label-inspect", "label-award", "label-renew", "label-withdraw"], "quality-label"),
    **dict.fromkeys(["staff", "staff-remove"], "staff"),
    "profile": "profile",
    **dict.fromkeys(["join", "withdraw", "co-organiser", "co-organiser-remove"], "participants"),
    **dict.fromkeys(["presentation", "presentation-remove"], "presentations"),
    **dict.fromkeys(["outcome", "correction"], "outcome"),
    **dict.fromkeys(["reschedule", "cancel"], "schedule"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(tmp_path_factory.mktemp("forms")) as running:
        yield running


def given(site: Site, subject: str) -> tuple[str, dict[str, str]]:
    """A new centre ("centre <membership> [<label>]") or activity ("activity <state>"), and the ids a
    form may name: a staff member; the host, a centre that joined, a co-organiser, a presentation,
    another member, an outsider, a suspended centre; and an id that names nothing."""
    kind, state, *label = subject.split()
    store = site.store
    if kind == "centre":
        centre_id = a_centre(store, state, *label)
        store.centres.add_staff_member(centre_id, "Мария Петрова", "youth_worker")
        ids = {"staff": next(iter(store.repository.get(centre_id).staff)), "unknown": uuid4()}
        path = f"/centres/{centre_id}"
    else:
        ids = {name: a_centre(store) for name in ("host", "joined", "coorg", "member")}
        ids |= {"outsider": a_centre(store, "registered"), "suspended": a_centre(store, "suspended")}
        ids["unknown"] = uuid4()
        activity_id, _ = store.activities.plan_activity(
            host_centre_id=ids["host"], title="Под многобройните маски на младежката работа", kind="conference",
            starts_on=NEXT_MONTH[0], ends_on=NEXT_MONTH[1], city="Перник", capacity=10,
        )
        store.activities.join_activity(activity_id, ids["joined"], 6)
        store.activities.add_co_organiser(activity_id, ids["coorg"])
        store.activities.add_presentation(activity_id, "Алекс Леви", "ЦСИ – Пловдив", "Работата на центъра")
        ids["presentation"] = store.repository.get(activity_id).presentations[0]
        if state in ("past", "held"):
            store.activities.reschedule_activity(activity_id, *LAST_MONTH)
        if state == "held":
            store.activities.record_outcome(activity_id, **{k: int(v) for k, v in OUTCOME.items()})
        if state == "cancelled":
            store.activities.cancel_activity(activity_id, "Няма зала")
        path = f"/activities/{activity_id}"
    site.settle()
    return path, {name: str(value) for name, value in ids.items()}


def send(site: Site, subject: str, action: str, data: dict[str, str]) -> tuple:
    """Post the form (its "{name}"s filled with the ids) about a new subject: the response, its
    fragment, the ids, and the store's last notification id before."""
    path, ids = given(site, subject)
    before = site.stored()
    # a question asked first is answered yes, as the page's script does
    response = site.web.post_form(f"{path}/{action}", {**{k: v.format(**ids) for k, v in data.items()}, **CONFIRMED})
    return response, BeautifulSoup(response.text, "html.parser"), ids, before


def errors_shown(fragment: BeautifulSoup) -> list[str]:
    return [e.get_text(strip=True) for e in fragment.select("small.field-error, p.form-error")]


CENTRE_REFUSALS = [
    row("a_motivation_has_at_most_500_characters",
        "centre registered", "apply", {"motivation": "я" * 501}, "motivation", "Твърде дълго: най-много 500 знака."),
    row("an_admitted_centre_cannot_apply", "centre admitted", "apply", {}, None, ALREADY_MEMBER),
    row("a_centre_that_never_applied_cannot_be_admitted", "centre registered", "admit", {}, None, NOT_APPLIED),
    row("a_rejection_needs_a_reason", "centre applied", "reject", {"reason": " "}, "reason", REQUIRED),
    row("an_applicant_cannot_be_suspended",
        "centre applied", "suspend", {"reason": "Неплатен внос"}, None, "Кандидатурата очаква решение."),
    row("a_suspension_needs_a_reason", "centre admitted", "suspend", {"reason": ""}, "reason", REQUIRED),
    row("an_admitted_centre_cannot_be_reinstated", "centre admitted", "reinstate", {}, None, ALREADY_MEMBER),
    row("a_centre_that_never_applied_cannot_leave", "centre registered", "leave", {}, None, NOT_APPLIED),
    row("a_suspended_centre_cannot_rejoin", "centre suspended", "rejoin", {}, None, "Членството е спряно."),
    row("a_staff_member_needs_a_name",
        "centre admitted", "staff", {"staff_name": "", "role": "youth_worker"}, "staff_name", REQUIRED),
    row("a_staff_member_needs_a_known_role",
        "centre admitted", "staff", {"staff_name": "Иван", "role": "director"}, "role",
        "Изберете една от предложените възможности."),
    row("an_unknown_staff_member_cannot_be_removed",
        "centre admitted", "staff-remove", {"staff_id": "{unknown}"}, None, "Няма такъв служител."),
    row("a_profile_needs_a_city", "centre admitted", "profile", {"city": ""}, "city", REQUIRED),
    row("a_website_starts_with_http",
        "centre admitted", "profile", {"city": "Враца", "website": "mc-vratsa.bg"}, "website",
        "Въведете връзка, която започва с http:// или https://."),
    row("a_date_is_written_year_month_day",
        "centre admitted", "label-apply", {"on": "1.6.2025"}, "on", "Въведете дата във вида ГГГГ-ММ-ДД."),
    row("a_label_applicant_cannot_apply_again",
        "centre admitted applied", "label-apply", {"on": "2025-06-01"}, None,
        "Кандидатурата за Знак за качество очаква проверка."),
    row("a_label_inspection_needs_an_application",
        "centre admitted", "label-inspect", {"on": "2025-06-01"}, None,
        "Центърът не е кандидатствал за Знак за качество."),
    row("a_label_is_valid_after_the_day_it_is_awarded",
        "centre admitted inspected", "label-award", {"on": "2025-06-01", "valid_until": "2025-06-01"}, "valid_until",
        "Краят не може да е преди началото."),
    row("an_uninspected_label_cannot_be_awarded",
        "centre admitted applied", "label-award", {"on": "2025-06-01", "valid_until": "2028-06-01"}, None,
        "Кандидатурата за Знак за качество очаква проверка."),
    row("a_renewal_extends_the_validity",
        "centre admitted awarded", "label-renew", {"on": "2026-01-01", "valid_until": "2028-06-01"}, "valid_until",
        "Подновяването трябва да удължава валидността."),
    row("a_label_withdrawal_needs_a_reason",
        "centre admitted awarded", "label-withdraw", {"on": "2026-01-01", "reason": ""}, "reason", REQUIRED),
    row("an_unawarded_label_cannot_be_withdrawn",
        "centre admitted inspected", "label-withdraw", {"on": "2026-01-01", "reason": "Нарушения"}, None,
        "Проверката е записана; Знакът очаква присъждане."),
]
ACTIVITY_REFUSALS = [
    row("a_registered_centre_cannot_join",
        "activity planned", "join", {"centre_id": "{outsider}", "expected_participants": "1"}, "centre_id",
        NOT_A_MEMBER),
    row("a_suspended_centre_cannot_join",
        "activity planned", "join", {"centre_id": "{suspended}", "expected_participants": "1"}, "centre_id",
        NOT_A_MEMBER),
    row("an_unknown_centre_cannot_join",
        "activity planned", "join", {"centre_id": "{unknown}", "expected_participants": "1"}, "centre_id",
        "Изберете регистриран център."),
    row("a_centre_cannot_join_beyond_the_places_left",
        "activity planned", "join", {"centre_id": "{member}", "expected_participants": "5"}, "expected_participants",
        "Няма достатъчно места: остават 4."),
    row("a_centre_joins_with_participants",
        "activity planned", "join", {"centre_id": "{member}", "expected_participants": "0"}, "expected_participants",
        "Въведете цяло число, нула или повече."),
    row("a_centre_joins_once",
        "activity planned", "join", {"centre_id": "{joined}", "expected_participants": "1"}, "centre_id",
        "Този център вече участва."),
    row("no_centre_joins_a_cancelled_activity",
        "activity cancelled", "join", {"centre_id": "{member}", "expected_participants": "1"}, None, CANCELLED),
    row("no_centre_joins_a_past_activity",
        "activity past", "join", {"centre_id": "{member}", "expected_participants": "1"}, None,
        "Дейността е приключила."),
    row("a_non_member_is_told_so_even_on_a_past_activity",
        "activity past", "join", {"centre_id": "{outsider}", "expected_participants": "1"}, None, NOT_A_MEMBER),
    row("a_centre_that_did_not_join_cannot_withdraw",
        "activity planned", "withdraw", {"centre_id": "{member}"}, None, "Този център не участва."),
    row("no_centre_withdraws_from_a_held_activity", "activity held", "withdraw", {"centre_id": "{joined}"}, None, HELD),
    row("a_suspended_centre_cannot_co_organise",
        "activity planned", "co-organiser", {"centre_id": "{suspended}"}, "centre_id", NOT_A_MEMBER),
    row("the_host_is_no_co_organiser",
        "activity planned", "co-organiser", {"centre_id": "{host}"}, "centre_id",
        "Този център вече организира дейността."),
    row("only_a_co_organiser_is_removed_as_one",
        "activity planned", "co-organiser-remove", {"centre_id": "{member}"}, None, "Този център не е съорганизатор."),
    row("a_presentation_needs_a_speaker",
        "activity planned", "presentation", {"speaker": "", "presentation_title": "Тема"}, "speaker", REQUIRED),
    row("a_cancelled_activity_gets_no_presentation",
        "activity cancelled", "presentation", {"speaker": "Алекс Леви", "presentation_title": "Тема"}, None, CANCELLED),
    row("an_unknown_presentation_cannot_be_removed",
        "activity planned", "presentation-remove", {"presentation_id": "{unknown}"}, None, "Не е намерено."),
    row("an_outcome_waits_for_the_end_of_the_activity",
        "activity planned", "outcome", OUTCOME, None, "Резултат се отчита едва след края на дейността."),
    row("no_more_young_people_than_participants",
        "activity past", "outcome", {**OUTCOME, "young_people": "41"}, "young_people",
        "Не може да са повече от участниците."),
    row("no_more_with_fewer_opportunities_than_young_people",
        "activity past", "outcome", {**OUTCOME, "fewer_opportunities": "31"}, "fewer_opportunities",
        "Не може да са повече от младите хора."),
    row("at_least_one_centre_attended",
        "activity past", "outcome", {**OUTCOME, "centres_attended": "0"}, "centres_attended",
        "Поне един център е участвал."),
    row("a_held_activity_gets_no_second_outcome", "activity held", "outcome", OUTCOME, None, HELD),
    row("a_cancelled_activity_gets_no_outcome", "activity cancelled", "outcome", OUTCOME, None, CANCELLED),
    row("only_a_reported_outcome_is_corrected",
        "activity past", "correction",
        {**OUTCOME, "participants": "42", "happened_on": "2026-01-01", "reason": "Списъци"},
        None, "Няма отчетен резултат за коригиране."),
    row("a_correction_changes_a_figure",
        "activity held", "correction", {**OUTCOME, "happened_on": "2026-01-01", "reason": "Списъци"}, None,
        "Стойностите са същите като отчетените."),
    row("a_correction_needs_the_day_it_happened",
        "activity held", "correction", {**OUTCOME, "participants": "42", "reason": "Списъци"}, "happened_on", REQUIRED),
    row("a_new_schedule_differs_from_the_old_one",
        "activity planned", "reschedule", {"starts_on": str(NEXT_MONTH[0]), "ends_on": str(NEXT_MONTH[1])}, "starts_on",
        "Това са датите, които дейността вече има."),
    row("a_new_schedule_ends_after_it_starts",
        "activity planned", "reschedule", {"starts_on": str(NEXT_MONTH[1]), "ends_on": str(NEXT_MONTH[0])}, "ends_on",
        "Краят не може да е преди началото."),
    row("a_cancelled_activity_is_not_rescheduled",
        "activity cancelled", "reschedule", {"starts_on": str(TODAY), "ends_on": str(TODAY)}, None, CANCELLED),
    row("a_cancellation_needs_a_reason", "activity planned", "cancel", {"reason": "  "}, "reason", REQUIRED),
    row("a_held_activity_cannot_be_cancelled", "activity held", "cancel", {"reason": "Няма зала"}, None, HELD),
]


@pytest.mark.parametrize("subject, action, data, field, message", CENTRE_REFUSALS + ACTIVITY_REFUSALS)
def test_a_refused_form_shows_its_message_in_place_and_stores_nothing(site, subject, action, data, field, message):
    response, fragment, _, before = send(site, subject, action, data)
    assert response.status_code == 422, response.text
    assert errors_shown(fragment) == [message]  # once, and no other form complains
    form = fragment.select_one(f"#{action}-form")
    if field is not None:
        assert form is not None and form.select_one(f"#{action}-{field}-error").get_text(strip=True) == message
    elif form is not None:
        assert errors_shown(form) == [message]
    else:  # the page no longer offers the form: the message stands in its section, in no other form
        error = fragment.select_one(f"#{SECTIONS[action]} p.form-error")
        assert error is not None and error.get_text(strip=True) == message and error.find_parent("form") is None
    assert site.stored() == before


MEMBERSHIP_MOVES = [  # from, by, to, its badge
    ("registered", "apply", "applied", "Кандидатства за членство"), ("applied", "admit", "admitted", "Член"),
    ("applied", "reject", "rejected", "Кандидатурата е отхвърлена"),
    ("admitted", "suspend", "suspended", "Членството е спряно"), ("suspended", "reinstate", "admitted", "Член"),
    ("suspended", "leave", "left", "Напуснал мрежата"), ("left", "rejoin", "admitted", "Член"),
]
ACCEPTED = [  # what the returned fragment shows (None: that it no longer shows the selector)
    *[row(f"{by}_moves_the_{was}_centre_to_{to}",
          f"centre {was}", by, {"reason": "Решение на мрежата"}, f"#membership-state.membership-{to}", badge)
      for was, by, to, badge in MEMBERSHIP_MOVES],
    row("a_staff_member_is_added",
        "centre admitted", "staff", {"staff_name": "Иван Колев", "role": "roma_mediator"}, "#staff-list", "Иван Колев"),
    row("a_staff_member_is_removed",
        "centre admitted", "staff-remove", {"staff_id": "{staff}"}, "#staff-list", "Няма записан екип."),
    row("the_profile_is_updated",
        "centre admitted", "profile", {"city": "Враца", "address": "ул. „Полковник Лукашов“ 4"}, ".facts", "Лукашов"),
    row("a_label_is_applied_for",
        "centre admitted", "label-apply", {"on": "2025-01-10"}, "#quality-label > p",
        "Кандидатства за Знак за качество"),
    row("a_label_inspection_is_recorded",
        "centre admitted applied", "label-inspect", {"on": "2025-03-01"}, "#quality-label > p", "Проверен за Знак"),
    row("a_label_is_awarded",
        "centre admitted inspected", "label-award", {"on": "2025-06-01", "valid_until": "2028-06-01"}, ".label-badge",
        "валиден до 01.06.2028"),
    row("a_label_is_renewed",
        "centre admitted awarded", "label-renew", {"on": "2028-05-01", "valid_until": "2031-06-01"}, ".label-badge",
        "валиден до 01.06.2031"),
    row("a_label_is_withdrawn",
        "centre admitted awarded", "label-withdraw", {"on": "2026-01-15", "reason": "Нарушения"}, "#quality-label > p",
        "Знакът за качество е отнет"),
    row("a_member_joins",
        "activity planned", "join", {"centre_id": "{member}", "expected_participants": "4"}, "#participation-{member}",
        "Участник 4"),
    row("a_participant_withdraws",
        "activity planned", "withdraw", {"centre_id": "{joined}"}, "#participation-{joined}", None),
    row("a_member_co_organises",
        "activity planned", "co-organiser", {"centre_id": "{member}"}, "#participation-{member}", "Съорганизатор"),
    row("a_co_organiser_is_removed",
        "activity planned", "co-organiser-remove", {"centre_id": "{coorg}"}, "#participation-{coorg}", None),
    row("a_presentation_is_added",
        "activity planned", "presentation", {"speaker": "Агата Вож", "presentation_title": "Социален хъб"},
        "#presentation-list", "Социален хъб — Агата Вож"),
    row("a_presentation_is_removed",
        "activity planned", "presentation-remove", {"presentation_id": "{presentation}"}, "#presentation-list",
        "Няма записани презентации."),
    row("an_outcome_is_recorded", "activity past", "outcome", OUTCOME, "#outcome-figures dd", "40"),
    row("an_outcome_is_corrected",
        "activity held", "correction",
        {**OUTCOME, "participants": "42", "happened_on": str(LAST_MONTH[1]), "reason": "Списъци"},
        "#outcome-figures dd", "42"),
    row("an_activity_is_rescheduled",
        "activity planned", "reschedule", {"starts_on": str(NEXT_MONTH[1]), "ends_on": str(NEXT_MONTH[1])},
        ".facts time", f"{NEXT_MONTH[1]:%d.%m.%Y}"),
    row("an_activity_is_cancelled",
        "activity planned", "cancel", {"reason": "Няма зала"}, "#activity-status", "Отменена"),
]


@pytest.mark.parametrize("subject, action, data, selector, shown", ACCEPTED)
def test_an_accepted_form_returns_the_fragment_with_the_new_state(site, subject, action, data, selector, shown):
    response, fragment, ids, before = send(site, subject, action, data)
    assert response.status_code == 200, response.text
    assert fragment.select_one("p.notice[role=status]").get_text(strip=True) == "Записано."
    assert errors_shown(fragment) == []
    found = fragment.select_one(selector.format(**ids))
    if shown is None:
        assert found is None
    else:
        assert found is not None and shown in found.get_text(" ", strip=True)
    assert site.stored() == before + 1  # one fact, one event


def test_a_suspended_centre_is_not_offered_as_a_host_and_cannot_host(site):
    path, ids = given(site, "activity planned")
    calendar = site.page("/calendar")
    assert calendar.select_one(f'#activity-host_centre_id option[value="{ids["host"]}"]') is not None
    assert calendar.select_one(f'#activity-host_centre_id option[value="{ids["suspended"]}"]') is None
    before = site.stored()
    response = site.web.post_form("/activities", {
        "title": "Обмен", "kind": "exchange", "host_centre_id": ids["suspended"],
        "starts_on": str(NEXT_MONTH[0]), "ends_on": str(NEXT_MONTH[1]), "city": "Добрич",
    })
    assert response.status_code == 422
    form = BeautifulSoup(response.text, "html.parser").select_one("#activity-form")
    assert errors_shown(form) == [NOT_A_MEMBER]
    assert form.select_one("#activity-host_centre_id-error").get_text(strip=True) == NOT_A_MEMBER
    assert site.stored() == before
