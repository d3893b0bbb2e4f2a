"""The rules a practice keeps as it is shared, revised, endorsed, adopted and retired, on the aggregate itself."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.errors import DomainError
from domain.practice import Practice
from tests.support.tables import row

PLOVDIV, VRATSA, PERNIK = uuid4(), uuid4(), uuid4()
TODAY = date(2026, 11, 22)
CONTENT = dict(
    title="Единно гише за неактивни младежи (NEETs) 15–29 години",
    problem="Младежите извън заетост, образование и обучение.",
    method="Център за социални иновации с обслужване на „едно гише“.",
    target_groups=["roma_youth", "neets"],
    tags=["NEETs", " Едно  гише ", "neets"],
    country="BG",
    source_project="Център за социални иновации в Община Пловдив",
    links=["https://example.org/csi", ""],
    results={"consulted": 86, "reactivated": 17, "target": 150, "reached": None},
)


def refusal(action) -> tuple[str | None, str]:
    with pytest.raises(DomainError) as caught:
        action()
    return caught.value.field, caught.value.code


def share(**changes) -> Practice:
    return Practice.share(centre_id=PLOVDIV, **{**CONTENT, **changes})


def test_a_shared_practice_keeps_its_content_with_tags_and_groups_normalised():
    practice = share()
    assert practice.content["tags"] == ["neets", "едно гише"]
    assert practice.content["target_groups"] == ["neets", "roma_youth"]
    assert practice.content["links"] == ["https://example.org/csi"]
    assert practice.content["results"] == {"consulted": 86, "reactivated": 17, "target": 150}


@pytest.mark.parametrize(
    "changes, refused",
    [
        row("no_title", {"title": ""}, ("title", "required")),
        row("a_blank_problem", {"problem": " "}, ("problem", "required")),
        row("no_target_group", {"target_groups": []}, ("target_groups", "required")),
        row("an_unknown_target_group", {"target_groups": ["pensioners"]}, ("target_groups", "invalid_choice")),
        row("a_country_not_as_a_code", {"country": "Bulgaria"}, ("country", "invalid_choice")),
        row("a_tag_over_40_characters", {"tags": ["я" * 41]}, ("tags", "too_long")),
        row("more_than_12_tags", {"tags": [f"етикет {i}" for i in range(13)]}, ("tags", "too_many")),
        row("a_link_without_http", {"links": ["www.mostskills.com"]}, ("links", "invalid_link")),
        row("more_reactivated_than_consulted",
            {"results": {"consulted": 10, "reactivated": 17}}, ("reactivated", "more_than_consulted")),
        row("more_trained_than_reached", {"results": {"reached": 253, "trained": 700}}, ("trained", "more_than_reached")),
        row("a_negative_figure", {"results": {"consulted": -1}}, ("consulted", "invalid_number")),
    ],
)
def test_a_practice_is_refused_with_the_field_that_is_wrong(changes, refused):
    assert refusal(lambda: share(**changes)) == refused


def test_a_revision_keeps_a_numbered_version_naming_the_fields_it_changed():
    practice = share()
    practice.revise(note="Отчетени резултати", **{**CONTENT, "results": {"consulted": 90, "reactivated": 20}})
    revised = practice.collect_events()[-1]
    assert (revised.version, revised.changed, revised.note) == (2, ["results"], "Отчетени резултати")
    assert refusal(lambda: practice.revise(**{**CONTENT, "results": {"consulted": 90, "reactivated": 20}})) == (
        None, "nothing_changed"
    )


def test_a_revision_reports_every_wrong_field_at_once():
    with pytest.raises(DomainError) as caught:
        share().revise(note="я" * 2001, **{**CONTENT, "title": ""})
    assert {e.field for e in caught.value.errors} == {"note", "title"}


def test_a_centre_cannot_endorse_or_adopt_its_own_practice():
    practice = share()
    assert refusal(lambda: practice.endorse(PLOVDIV, "Отлично")) == ("centre_id", "own_practice")
    assert refusal(lambda: practice.adopt(centre_id=PLOVDIV, adopted_on=TODAY, adaptation_notes="Същото",
                                          today=TODAY)) == ("centre_id", "own_practice")


def test_another_centre_endorses_once_with_a_comment():
    practice = share()
    assert refusal(lambda: practice.endorse(VRATSA, "")) == ("comment", "required")
    practice.endorse(VRATSA, "Приложимо и във Враца")
    assert refusal(lambda: practice.endorse(VRATSA, "Отново")) == ("centre_id", "already_endorsed")


def test_another_centre_adopts_once_with_its_adaptation_and_later_reports_what_it_reached():
    practice = share()
    assert refusal(lambda: practice.record_adoption_outcome(VRATSA, {"consulted": 5})) == ("centre_id", "not_adopted")
    assert refusal(lambda: practice.adopt(centre_id=VRATSA, adopted_on=TODAY, adaptation_notes=" ", today=TODAY)) == (
        "adaptation_notes", "required"
    )
    assert refusal(lambda: practice.adopt(centre_id=VRATSA, adopted_on=date(2026, 12, 1), adaptation_notes="С медиатор",
                                          today=TODAY)) == ("adopted_on", "date_in_future")
    practice.adopt(centre_id=VRATSA, adopted_on=TODAY, adaptation_notes="С ромски медиатор", today=TODAY)
    assert refusal(lambda: practice.adopt(centre_id=VRATSA, adopted_on=TODAY, adaptation_notes="Пак",
                                          today=TODAY)) == ("centre_id", "already_adopted")
    assert refusal(lambda: practice.record_adoption_outcome(VRATSA, {"consulted": None})) == (None, "no_figures")
    practice.record_adoption_outcome(VRATSA, {"consulted": 86, "reactivated": 17}, "Първите шест месеца")
    assert practice.adopted_by[str(VRATSA)] == {"consulted": 86, "reactivated": 17}


def test_a_retired_practice_is_no_longer_revised_endorsed_adopted_or_retired_again():
    practice = share()
    assert refusal(lambda: practice.retire("")) == ("reason", "required")
    practice.retire("Заменена от нова версия на услугата")
    assert refusal(lambda: practice.revise(**{**CONTENT, "title": "Ново"})) == (None, "practice_retired")
    assert refusal(lambda: practice.endorse(PERNIK, "Добре")) == (None, "practice_retired")
    assert refusal(lambda: practice.adopt(centre_id=PERNIK, adopted_on=TODAY, adaptation_notes="Да",
                                          today=TODAY)) == (None, "practice_retired")
    assert refusal(lambda: practice.retire("Отново")) == (None, "practice_retired")
