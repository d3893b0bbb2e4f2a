"""Readable history and text, without a database: what a restating fact changed, ids turned into names,
long text with its line breaks, and search hits marked and escaped."""

from __future__ import annotations

from markupsafe import Markup

from projections.timeline import readable
from web.text import excerpt, highlight, lines


def row(event: str, **details) -> dict:
    return {"event": event, "details": details}


def test_a_profile_update_shows_only_the_fields_it_changed_each_as_before_and_after():
    history = readable([
        row("centre.registered", name="МЦ Враца", city="Враца", region="", address="ул. 1", contact="", website="",
            description="Стар"),
        row("centre.profile_updated", city="Враца", region="Северозапад", address="ул. 1", contact="", website="",
            description="Нов"),
    ], {})
    assert history[1]["changes"] == [("region", "", "Северозапад"), ("description", "Стар", "Нов")]
    assert history[1]["facts"] == []
    assert history[0]["facts"] == [("name", "МЦ Враца"), ("city", "Враца"), ("address", "ул. 1"), ("description", "Стар")]


def test_a_removal_names_what_was_added_and_centres_are_named_never_given_by_id():
    history = readable([
        row("centre.staff_member_added", staff_id="s-1", name="Иван Колев", role="coordinator"),
        row("centre.staff_member_removed", staff_id="s-1"),
        row("activity.centre_joined", centre_id="c-1", expected_participants=12),
    ], {"c-1": "МЦ Добрич"})
    assert history[0]["facts"] == [("name", "Иван Колев"), ("role", "coordinator")]
    assert history[1]["facts"] == [("name", "Иван Колев"), ("role", "coordinator")]
    assert history[2]["facts"] == [("centre_id", "МЦ Добрич"), ("expected_participants", 12)]


def test_long_text_keeps_its_line_breaks_and_stays_escaped():
    assert lines("Първи ред\n<script>x</script>\r\nтрети") == Markup(
        "Първи ред<br>\n&lt;script&gt;x&lt;/script&gt;<br>\nтрети")


def test_hits_are_marked_in_any_form_and_the_rest_is_escaped():
    assert highlight("<i>Обученията</i> за младежи", "обучение") == Markup(
        "&lt;i&gt;<mark>Обученията</mark>&lt;/i&gt; за младежи")
    assert highlight("без съвпадение", "обучение") == Markup("без съвпадение")


def test_an_excerpt_starts_near_the_first_hit_of_a_long_text():
    text = "Начало. " + "дума " * 80 + "Тук е обучението на медиатори. " + "край " * 80
    shown = excerpt(text, "обучения", width=120)
    assert shown.startswith("… ") and shown.endswith(" …") and "<mark>обучението</mark>" in shown
    assert excerpt("Кратко.", "нищо") == Markup("Кратко.")
