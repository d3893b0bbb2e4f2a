"""Pages are in Bulgarian by default and in English once the visitor asks for it."""

from __future__ import annotations

from bs4 import BeautifulSoup


def language_of(response) -> str:
    return BeautifulSoup(response.text, "html.parser").html["lang"]


def test_pages_are_in_bulgarian_by_default(web):
    response = web.get("/centres")
    assert language_of(response) == "bg"
    assert "Регистрация на център" in response.text


def test_after_choosing_english_every_page_is_in_english_until_bulgarian_is_chosen_again(web):
    # When the visitor picks EN on the calendar page
    switched = web.get("/lang/en?next=/calendar", follow_redirects=False)
    assert switched.status_code == 303 and switched.headers["location"] == "/calendar"
    # Then that page and the others are in English
    calendar = web.get("/calendar")
    assert language_of(calendar) == "en" and "Calendar" in calendar.text and "Календар" not in calendar.text
    assert language_of(web.get("/")) == "en"
    assert language_of(web.get("/centres/not-a-uuid")) == "en"
    # And BG brings Bulgarian back
    web.get("/lang/bg")
    assert language_of(web.get("/")) == "bg"


def test_an_unknown_language_changes_nothing(web):
    web.get("/lang/xx")
    assert language_of(web.get("/")) == "bg"


def test_the_language_switch_only_sends_back_to_a_page_of_this_site(web):
    for elsewhere in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        response = web.get("/lang/en", params={"next": elsewhere}, follow_redirects=False)
        assert response.status_code == 303
        location = response.headers["location"]
        # A path of this site: one leading slash, no backslash a browser would read as a second one
        assert location.startswith("/") and not location.startswith("//") and "\\" not in location, elsewhere
