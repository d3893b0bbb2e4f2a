"""Search that understands Bulgarian word forms, on SQLite and PostgreSQL: the BulStem stem of every word
is indexed and every query word is stemmed the same way, so a plural finds a singular and the article
does not matter; the words found are highlighted on the page, escaped."""

from __future__ import annotations

from datetime import date

import pytest
from bs4 import BeautifulSoup

from demo.governance import PRACTICES
from projections.practice_queries import PracticeFilter
from projections.practices import PracticeLibrary
from projections.stemming import stem
from tests.integration.test_governance_read_models import member
from tests.support.rebuild import rebuild_from_store

CONTENT = {k: v for k, v in PRACTICES[0].items() if k not in ("key", "centre")}


@pytest.fixture
def practices(store, read_db) -> dict[str, str]:
    store.clock = lambda: date(2026, 11, 22)
    centre = member(store, "Младежки център – Враца")
    training, _ = store.practices.share_practice(
        centre_id=centre, **{**CONTENT, "title": "Обучение на младежки работници за работа с ромски младежи"}
    )
    other, _ = store.practices.share_practice(
        centre_id=centre, **{**CONTENT, "title": "Клуб по интереси", "problem": "Свободно време",
                             "method": "Срещи всяка седмица", "tags": ["клуб"], "source_project": ""}
    )
    rebuild_from_store(store, read_db, [PracticeLibrary()])
    return {"training": str(training), "other": str(other)}


def found(db, query: str) -> list[str]:
    return [row["id"] for row in PracticeLibrary.search(db, PracticeFilter(q=query))]


@pytest.mark.parametrize("query", ["обучения", "обучение", "обучението", "ОБУЧЕНИЯТА", "обучения на работниците"])
def test_a_plural_or_an_article_finds_a_practice_titled_in_the_singular(practices, read_db, query):
    assert found(read_db, query) == [practices["training"]]


def test_every_word_of_the_query_must_be_found_in_one_of_its_forms(practices, read_db):
    assert found(read_db, "обучения клубове") == []
    assert found(read_db, "интересите") == [practices["other"]]


def test_the_forms_of_a_word_share_one_stem():
    assert stem("обучения") == stem("обучение") == stem("обучението") == stem("Обученията")
    assert stem("центрове") == stem("центъра") == stem("център")
    assert stem("NEETs") == "neets"  # a word in Latin letters is only folded


def test_the_words_found_are_highlighted_in_whichever_form_and_everything_else_is_escaped(store, read_db, web):
    store.clock = lambda: date(2026, 11, 22)
    centre = member(store, "Младежки център – Перник")
    store.practices.share_practice(centre_id=centre, **{**CONTENT, "title": "<b>Обучението</b> & игрите на младежите"})
    rebuild_from_store(store, read_db, [PracticeLibrary()])

    page = BeautifulSoup(web.get("/practices?q=обучения+игра").text, "html.parser")

    title = page.select_one("#practice-list li[id] strong")
    assert [mark.get_text() for mark in title.select("mark")] == ["Обучението", "игрите"]
    assert title.get_text() == "<b>Обучението</b> & игрите на младежите" and title.find("b") is None
