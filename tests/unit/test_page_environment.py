"""The pages' Jinja environment reads a row's fields as Jinja does, only sooner."""

from __future__ import annotations

from web.app import template_environment


def render(source: str, **context: object) -> str:
    return template_environment().from_string(source).render(**context)


def test_a_rows_field_reads_as_an_attribute() -> None:
    assert render("{{ row.title }} {{ row.missing }}|", row={"title": "Обмен"}) == "Обмен |"


def test_a_dicts_own_methods_come_before_a_key_of_the_same_name() -> None:
    assert render("{{ row.get('title') }} {{ row.items is callable }}", row={"title": "Обмен", "items": 3}) == "Обмен True"


def test_an_object_with_attributes_is_read_as_before() -> None:
    class Centre:
        name = "Враца"

    assert render("{{ centre.name }}", centre=Centre()) == "Враца"
