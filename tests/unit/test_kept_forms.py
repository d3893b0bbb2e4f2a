"""A blank form drawn once and kept (web.kept_forms): each answer still carries its own CSRF token and a
fresh submission key, and nothing that differs between users, languages or typed values is shared."""

from __future__ import annotations

import re
from typing import Any
from uuid import uuid4

from litestar import Request
from litestar.utils.scope.state import ScopeState

from web import i18n
from web.app import template_engine
from web.policy import User

ENGINE = template_engine()
DOBRICH = (str(uuid4()), "Младежки център Добрич")
VRATSA = (str(uuid4()), "Младежки център <Враца>")


def request_with_token(token: str, user: User) -> Request[Any, Any, Any]:
    scope: Any = {"type": "http", "method": "GET", "path": "/activities", "headers": [], "query_string": b"",
                  "state": {}, "user": user}
    ScopeState.from_scope(scope).csrf_token = token
    return Request(scope)


def coordinator() -> User:
    return User(account_id=uuid4(), username=f"u{uuid4().hex[:6]}", display_name="Координатор", role="coordinator",
                centre_id=uuid4(), in_good_standing=True)


def plan_panel(token: str = "token-1", centres: tuple[tuple[str, str], ...] = (DOBRICH,), locale: str = "bg",
               errors: dict[str, str] | None = None, values: dict[str, str] | None = None) -> str:
    context = {
        "request": request_with_token(token, coordinator()),
        "kind_options": [("exchange", "Обмен")], "format_options": [("live", "На живо")],
        "member_options": list(centres), "errors": errors or {}, "values": values or {},
        "created": None, "created_row": None, "pending": False,
    }
    chosen = i18n.current_locale.set(locale)
    try:
        return ENGINE.get_template("activities/_panel.html").render(**context)
    finally:
        i18n.current_locale.reset(chosen)


def hidden(html: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" value="([^"]*)"', html)


def test_each_answer_of_a_kept_form_carries_its_own_csrf_token_and_a_fresh_submission_key():
    first, second = plan_panel(token="token-of-anna"), plan_panel(token="token-of-boris")
    assert hidden(first, "_csrf_token") == ["token-of-anna"]
    assert hidden(second, "_csrf_token") == ["token-of-boris"]
    keys = hidden(first, "_submission") + hidden(second, "_submission")
    assert len(keys) == 2 and len(set(keys)) == 2 and all(re.fullmatch(r"[0-9a-f]{32}", key) for key in keys)
    assert "\x1e" not in first + second  # no placeholder left


def test_a_token_is_escaped_when_put_into_a_kept_form():
    html = plan_panel(token='"><script>')
    assert hidden(html, "_csrf_token") == ["&#34;&gt;&lt;script&gt;"]


def test_the_blank_form_is_the_same_markup_whether_kept_or_drawn():
    centres = ((str(uuid4()), "Център за сравнение"),)
    drawn, kept = plan_panel(centres=centres), plan_panel(centres=centres)
    def without_keys(html: str) -> str:
        return re.sub(r'name="_submission" value="[0-9a-f]{32}"', "", html)
    assert without_keys(drawn) == without_keys(kept)


def test_each_user_is_offered_their_own_centres_and_names_are_escaped():
    assert DOBRICH[0] in plan_panel(centres=(DOBRICH,)) and VRATSA[0] not in plan_panel(centres=(DOBRICH,))
    vratsa = plan_panel(centres=(VRATSA,))
    assert VRATSA[0] in vratsa and DOBRICH[0] not in vratsa
    assert "Младежки център &lt;Враца&gt;" in vratsa


def test_each_language_gets_its_own_form():
    assert ">Планирай<" in plan_panel(locale="bg")
    english = plan_panel(locale="en")
    assert ">Plan<" in english and "Планирай" not in english


def test_a_form_with_mistakes_or_typed_values_is_drawn_as_it_is():
    plan_panel()  # the blank form kept
    html = plan_panel(errors={"title": "Попълнете заглавието."}, values={"city": "Враца"})
    assert "Попълнете заглавието." in html and 'aria-invalid="true"' in html
    assert 'value="Враца"' in html
    assert 'value="Враца"' not in plan_panel()  # and the kept blank form did not take them


def test_the_blank_form_is_drawn_once_for_the_same_language_and_centres(monkeypatch):
    drawn: list[str] = []
    original = ENGINE.engine.globals["submission_field"]
    def counted() -> Any:
        drawn.append("form")
        return original()
    monkeypatch.setitem(ENGINE.engine.globals, "submission_field", counted)
    centres = ((str(uuid4()), "Център, начертан веднъж"),)
    first, second = plan_panel(centres=centres), plan_panel(centres=centres)
    assert drawn == ["form"]
    assert hidden(first, "_submission") != hidden(second, "_submission")


def test_each_form_of_a_kept_block_gets_its_own_submission_key():
    template = ENGINE.engine.from_string(
        '{% call kept_form(("two-forms",)) %}{{ submission_field() }}{{ submission_field() }}{% endcall %}'
    )
    context = {"request": request_with_token("token-1", coordinator())}
    template.render(**context)  # kept
    keys = hidden(template.render(**context), "_submission")
    assert len(keys) == 2 and keys[0] != keys[1]
