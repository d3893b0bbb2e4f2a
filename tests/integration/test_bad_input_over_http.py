"""Bad input over HTTP: a 4xx with the field's message in Bulgarian beside it, the form as typed,
and nothing stored. Never a 5xx."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup

from tests.support.processes import eventually
from tests.support.tables import row
from tests.support.web import as_swapped

REQUIRED = "Полето е задължително."
DUPLICATE_NAME = "Вече е регистриран център с това име."
END_BEFORE_START = "Краят не може да е преди началото."
CHOOSE_A_CENTRE = "Изберете регистриран център."
NOT_FOUND_PAGE = "Тази страница не съществува или връзката е сгрешена."
FORBIDDEN_PAGE = "Нямате право на това действие или формулярът е изтекъл"
DOBRICH = "Младежки център – Добрич"
STARTS = (date.today() + timedelta(days=60)).isoformat()
ENDS = (date.today() + timedelta(days=62)).isoformat()


def too_long(limit: int) -> str:
    return f"Твърде дълго: най-много {limit} знака."


def html(response) -> BeautifulSoup:
    return as_swapped(response.text)


def field_error(response, field_id: str) -> str | None:
    """The message shown inside the field's own label (that is, next to it)."""
    label = html(response).select_one(f'label[for="{field_id}"]')
    assert label is not None, f"no field {field_id} in the response"
    error = label.select_one("small.field-error")
    return error.get_text(strip=True) if error else None


def typed(response, field_id: str) -> str:
    """What the form shows in a field: an input's value, a textarea's text or the selected option."""
    field = html(response).select_one(f"#{field_id}")
    if field.name == "textarea":
        return field.get_text()
    if field.name == "select":
        chosen = field.select_one("option[selected]")
        return chosen["value"] if chosen else ""
    return field.get("value", "")


@pytest.fixture
def stored(store):
    """The store's last notification id, read again on each call."""
    return lambda: store.recorder.max_notification_id() or 0


@pytest.fixture
def dobrich(web, store, relay, projector) -> str:
    """A member centre (registered, then admitted), already offered as a host; returns its id."""
    response = web.post_form("/centres", {"name": DOBRICH, "city": "Добрич"})
    assert response.status_code == 201, response.text
    centre_id = html(response).select_one("#centre-list li.just-added")["id"].removeprefix("centre-")
    store.centres.apply_for_membership(uuid.UUID(centre_id))
    store.centres.admit_centre(uuid.UUID(centre_id))
    eventually(
        lambda: html(web.get("/calendar")).select_one(f'#activity-host_centre_id option[value="{centre_id}"]'),
        message="the admitted centre is never offered as a host",
    )
    return centre_id


def exchange(host_centre_id: str, **fields: str) -> dict[str, str]:
    return {
        "title": "Предизвикателствата на младежката работа",
        "kind": "exchange",
        "format": "live",
        "host_centre_id": host_centre_id,
        "starts_on": STARTS,
        "ends_on": ENDS,
        "city": "Добрич",
        **fields,
    }


# Centres -------------------------------------------------------------------------------


def test_a_centre_without_a_name_is_refused_beside_the_name_field(web, stored):
    before = stored()
    response = web.post_form("/centres", {"name": "   ", "city": "Добрич", "region": "Добрич"})
    assert response.status_code == 422
    assert field_error(response, "centre-name") == REQUIRED
    assert field_error(response, "centre-city") is None
    assert (typed(response, "centre-city"), typed(response, "centre-region")) == ("Добрич", "Добрич")
    assert "<html" not in response.text  # the fragment, for htmx to swap
    assert stored() == before


def test_a_centre_name_of_151_characters_is_refused_and_shown_again_as_typed(web, stored):
    before = stored()
    name = "Младежки център " + "я" * (151 - len("Младежки център "))
    response = web.post_form("/centres", {"name": name, "city": "Добрич"})
    assert response.status_code == 422
    assert field_error(response, "centre-name") == too_long(150)
    assert typed(response, "centre-name") == name
    assert stored() == before


def test_what_was_typed_is_shown_again_escaped(web, stored):
    before = stored()
    name = '"><script>alert(1)</script><b>x</b>'
    response = web.post_form("/centres", {"name": name, "city": "", "description": "</textarea><i>y</i>"})
    assert response.status_code == 422
    assert field_error(response, "centre-city") == REQUIRED
    assert typed(response, "centre-name") == name
    assert typed(response, "centre-description") == "</textarea><i>y</i>"
    page = html(response)
    assert page.select("script, b, i") == []
    assert stored() == before


def test_a_second_centre_with_the_same_name_in_any_case_or_spacing_is_refused(web, dobrich, stored):
    before = stored()
    for same_name in (DOBRICH, "  МЛАДЕЖКИ   център – добрич "):
        response = web.post_form("/centres", {"name": same_name, "city": "Добрич"})
        assert response.status_code == 422, same_name
        assert field_error(response, "centre-name") == DUPLICATE_NAME
        assert typed(response, "centre-name") == same_name
    assert stored() == before
    # The directory still lists the centre once
    assert web.get("/centres").text.count(f">{DOBRICH}<") == 1


def test_a_field_over_10000_characters_is_refused_and_kept_up_to_the_cap(web, stored):
    before = stored()
    response = web.post_form("/centres", {"name": "Младежки център – Перник", "city": "Перник", "description": "я" * 10_001})
    assert response.status_code == 422
    assert field_error(response, "centre-description") == too_long(10_000)
    assert typed(response, "centre-description") == "я" * 10_000
    assert typed(response, "centre-name") == "Младежки център – Перник"
    assert stored() == before


def test_a_post_without_the_csrf_token_is_forbidden_and_stores_nothing(web, stored):
    before = stored()
    response = web.post_form("/centres", {"name": "Младежки център – Перник", "city": "Перник"}, csrf=False)
    assert response.status_code == 403
    assert FORBIDDEN_PAGE in response.text
    response = web.client.post(
        "/centres",
        data={"name": "Младежки център – Перник", "city": "Перник"},
        headers={"HX-Request": "true", "x-csrftoken": "forged"},
    )
    assert response.status_code == 403
    assert stored() == before


def test_a_quality_label_renewal_or_withdrawal_refused_keeps_what_was_typed(web, store, dobrich, stored):
    # Given a centre holding the Quality Label, as the page shows it
    centre = uuid.UUID(dobrich)
    store.centres.apply_for_label(centre, date(2025, 1, 10))
    store.centres.record_label_inspection(centre, date(2025, 3, 1), "")
    store.centres.award_label(centre, date(2025, 6, 1), date(2028, 6, 1))
    eventually(lambda: "label-renew-on" in web.get(f"/centres/{dobrich}").text, message="the label is never shown")
    before = stored()
    # When a renewal without its date and a withdrawal without its date are sent
    renewal = web.post_form(f"/centres/{dobrich}/label-renew", {"on": "", "valid_until": "2031-06-01"})
    withdrawal = web.post_form(f"/centres/{dobrich}/label-withdraw", {"on": "", "reason": "Не отговаря"})
    # Then each is refused beside its date, shows what was typed, and stores nothing
    assert (renewal.status_code, withdrawal.status_code) == (422, 422)
    assert field_error(renewal, "label-renew-on") == REQUIRED
    assert typed(renewal, "label-renew-valid_until") == "2031-06-01"
    assert field_error(withdrawal, "label-withdraw-on") == REQUIRED
    assert typed(withdrawal, "label-withdraw-reason") == "Не отговаря"
    assert stored() == before


# Activities ----------------------------------------------------------------------------


def test_an_activity_that_ends_before_it_starts_is_refused_beside_the_end_date(web, dobrich, stored):
    before = stored()
    response = web.post_form("/activities", exchange(dobrich, starts_on=ENDS, ends_on=STARTS))
    assert response.status_code == 422
    assert field_error(response, "activity-ends_on") == END_BEFORE_START
    assert field_error(response, "activity-starts_on") is None
    assert typed(response, "activity-title") == "Предизвикателствата на младежката работа"
    assert typed(response, "activity-kind") == "exchange"
    assert typed(response, "activity-host_centre_id") == dobrich
    assert (typed(response, "activity-starts_on"), typed(response, "activity-ends_on")) == (ENDS, STARTS)
    assert stored() == before


@pytest.mark.parametrize(
    "host",
    [
        row("not_an_id", "not-a-uuid"),
        row("sql_in_the_id", "'; DROP TABLE centres; --"),
        row("an_id_of_no_centre", str(uuid.uuid4())),
    ],
)
def test_an_activity_for_a_host_that_is_no_centre_is_refused_beside_the_host_field(web, dobrich, stored, host):
    before = stored()
    response = web.post_form("/activities", exchange(host))
    assert response.status_code == 422
    assert field_error(response, "activity-host_centre_id") == CHOOSE_A_CENTRE
    assert typed(response, "activity-title") == "Предизвикателствата на младежката работа"
    assert stored() == before


def test_an_activity_hosted_by_an_activity_is_refused(web, dobrich, stored):
    planned = web.post_form("/activities", exchange(dobrich))
    assert planned.status_code == 201
    activity_id = html(planned).select_one("#activity-rows tr.just-added")["id"].removeprefix("activity-")
    before = stored()
    response = web.post_form("/activities", exchange(activity_id))
    assert response.status_code == 422
    assert field_error(response, "activity-host_centre_id") == CHOOSE_A_CENTRE
    assert stored() == before


# Ids in URLs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        row("a_centre_id_that_is_no_id", "/centres/not-a-uuid"),
        row("an_activity_id_that_is_no_id", "/activities/123"),
        row("an_unknown_centre", f"/centres/{uuid.uuid4()}"),
        row("an_unknown_activity", f"/activities/{uuid.uuid4()}"),
        row("no_such_page", "/nowhere"),
    ],
)
def test_a_malformed_or_unknown_id_in_a_url_is_a_404_page_in_bulgarian(web, path):
    response = web.get(path)
    assert response.status_code == 404
    assert "<html" in response.text and NOT_FOUND_PAGE in response.text
    fragment = web.get(path, headers={"HX-Request": "true"})
    assert fragment.status_code == 404
    assert "<html" not in fragment.text and NOT_FOUND_PAGE in fragment.text


@pytest.mark.parametrize(
    "path",
    [
        "/centres?q=%00",
        "/calendar?city=%00",
        "/calendar?kind=%00&centre=%00&month=%00&when=%00&after=%00",
        "/centres/%00",
        "/lang/en?next=/%0D%0ASet-Cookie:%20x=1",
    ],
)
def test_control_characters_in_a_url_are_never_a_server_error(web, path):
    response = web.get(path, follow_redirects=False)
    assert response.status_code < 500, response.text
    assert "x=1" not in " ".join(response.headers.get_list("set-cookie"))


def test_an_unexpected_failure_is_a_page_in_bulgarian_not_a_traceback(web, read_db):
    # Given a read model whose table is gone (as while it is being rebuilt)
    with read_db.transaction() as tx:
        tx.execute("DROP TABLE centres")
    for headers, whole_page in (({}, True), ({"HX-Request": "true"}, False)):
        response = web.get("/centres", headers=headers)
        assert response.status_code == 500
        assert "Нещо се обърка при нас" in response.text
        assert ("<html" in response.text) is whole_page
        assert not any(leak in response.text for leak in ("Traceback", "no such table", "UndefinedTable"))


# Without htmx --------------------------------------------------------------------------


def post_like_a_plain_browser(web, url: str, data: dict[str, str]):
    """No HX-Request header; the CSRF token travels in the form's hidden field."""
    return web.client.post(url, data={**data, "_csrf_token": web.csrf}, follow_redirects=False)


def test_a_plain_form_post_with_bad_input_gets_the_whole_page_back(web, stored):
    before = stored()
    response = post_like_a_plain_browser(web, "/centres", {"name": "", "city": "Перник"})
    assert response.status_code == 422
    assert "<html" in response.text
    assert field_error(response, "centre-name") == REQUIRED
    assert typed(response, "centre-city") == "Перник"
    assert stored() == before


def test_a_plain_form_post_with_good_input_is_redirected_to_the_list(web, relay, projector, stored):
    before = stored()
    response = post_like_a_plain_browser(web, "/centres", {"name": "Младежки център – Перник", "city": "Перник"})
    assert response.status_code == 303
    assert response.headers["location"] == "/centres"
    assert stored() > before
    assert "Младежки център – Перник" in web.get("/centres").text
