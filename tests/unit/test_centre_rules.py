"""The rules a centre keeps when it is registered, checked on the aggregate itself."""

from __future__ import annotations

import pytest

from domain.centre import CITY_MAX, DESCRIPTION_MAX, NAME_MAX, Centre, CentreName
from domain.errors import InvalidField, InvalidFields


def register(**fields: str) -> Centre:
    return Centre.register(**{"name": "Младежки център – Враца", "city": "Враца", **fields})


def refusal(**fields: str) -> tuple[str | None, str]:
    with pytest.raises(InvalidField) as caught:
        register(**fields)
    return caught.value.field, caught.value.code


def test_a_centre_with_a_name_and_a_city_is_registered_with_its_fields_stripped():
    centre = register(name="  Младежки център – Враца ", city=" Враца", website="https://mc-vratsa.bg")
    assert (centre.name, centre.city, centre.website) == ("Младежки център – Враца", "Враца", "https://mc-vratsa.bg")


@pytest.mark.parametrize("field", ["name", "city"])
@pytest.mark.parametrize("blank", ["", "   ", "\n\t"])
def test_a_centre_needs_a_name_and_a_city(field, blank):
    assert refusal(**{field: blank}) == (field, "required")


@pytest.mark.parametrize(
    ("field", "limit"), [("name", NAME_MAX), ("city", CITY_MAX), ("description", DESCRIPTION_MAX)]
)
def test_a_field_may_be_exactly_as_long_as_its_limit_but_not_one_character_longer(field, limit):
    assert getattr(register(**{field: "я" * limit}), field) == "я" * limit
    with pytest.raises(InvalidField) as caught:
        register(**{field: "я" * (limit + 1)})
    assert (caught.value.field, caught.value.code, caught.value.details) == (field, "too_long", {"max_length": limit})


def test_the_name_limit_is_150_characters():
    assert register(name="я" * 150).name == "я" * 150
    assert refusal(name="я" * 151) == ("name", "too_long")


@pytest.mark.parametrize("control", ["\x00", "\x07", "\x1b", "\x08"])
def test_control_characters_inside_a_name_are_refused(control):
    assert refusal(name=f"Младежки{control}център") == ("name", "invalid")


def test_line_breaks_and_tabs_in_a_description_are_kept():
    assert register(description="Ред едно\nред\tдве").description == "Ред едно\nред\tдве"


@pytest.mark.parametrize("website", ["mc-vratsa.bg", "ftp://mc-vratsa.bg", "javascript:alert(1)", "//mc-vratsa.bg"])
def test_a_website_must_be_an_http_or_https_link(website):
    assert refusal(website=website) == ("website", "invalid_link")


@pytest.mark.parametrize("website", ["", "http://mc-vratsa.bg", "HTTPS://MC-VRATSA.BG/za-nas"])
def test_a_website_is_optional_and_may_be_http_or_https(website):
    assert register(website=website).website == website


def test_every_bad_field_is_reported_at_once_with_one_error_each():
    with pytest.raises(InvalidFields) as caught:
        Centre.register(name="", city="x" * (CITY_MAX + 1), website="ftp://x")
    reported = {error.field: error.code for error in caught.value.errors}
    assert reported == {"name": "required", "city": "too_long", "website": "invalid_link"}
    assert len(caught.value.errors) == 3


def test_a_registration_records_exactly_one_fact():
    assert [type(e).__name__ for e in register().collect_events()] == ["Registered"]


def test_names_that_differ_only_in_case_and_spacing_claim_the_same_name():
    same = CentreName.create_id("Младежки център – Добрич")
    assert CentreName.create_id("  младежки   ЦЕНТЪР – добрич ") == same
    assert CentreName.create_id("МЛАДЕЖКИ\tцентър –\nДобрич") == same


def test_different_names_claim_different_names():
    assert CentreName.create_id("Младежки център – Добрич") != CentreName.create_id("Младежки център – Перник")
