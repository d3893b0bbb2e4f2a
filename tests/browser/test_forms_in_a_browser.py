"""The forms as a person uses them: Debian's chromium against the real web, relay and projector processes.

htmx swaps the answer into the page: a row appears, or an error beside its field,
and the page itself is never reloaded. A full reload would clear ``window.__marker``.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

CALENDAR_SCREENSHOT = "/tmp/mrezha-calendar.png"
CENTRES_SCREENSHOT = "/tmp/mrezha-centres.png"
DOBRICH = "Младежки център – Добрич"
EXCHANGE = "Предизвикателствата на младежката работа"
SOON = date.today() + timedelta(days=30)  # the calendar lists upcoming activities by default


def day(offset: int) -> str:
    return (SOON + timedelta(days=offset)).isoformat()


def shown(offset: int) -> str:
    """The date as a Bulgarian reads it on the page."""
    return (SOON + timedelta(days=offset)).strftime("%d.%m.%Y") + " г."


def mark_the_page(page: Page) -> None:
    page.evaluate("window.__marker = 1")


def still_the_same_page(page: Page) -> bool:
    return page.evaluate("window.__marker") == 1


def open_form(page: Page, panel: str) -> None:
    """The forms sit folded in a <details> above the list; a person opens them first."""
    if not page.locator(f"#{panel} > details").evaluate("details => details.open"):
        page.click(f"#{panel} > details > summary")


def register_centre(page: Page, name: str, city: str) -> None:
    open_form(page, "centres-panel")
    page.fill("#centre-name", name)
    page.fill("#centre-city", city)
    page.click("#centre-form button[type=submit]")


def admit_as_member(page: Page, name: str) -> None:
    """Only member centres host activities: from its profile the centre applies, and is admitted."""
    page.locator("#centre-list").get_by_role("link", name=name, exact=True).click()
    page.click("#apply-form button[type=submit]")
    page.click("#admit-form button[type=submit]")
    page.click("#confirm-dialog button[value=yes]")  # admitting asks first
    expect(page.locator("#membership-state")).to_have_text("Член")


def fill_activity(page: Page, *, title: str, host: str, starts_on: str, ends_on: str, city: str) -> None:
    page.select_option("#activity-kind", label="Обмен")
    page.select_option("#activity-host_centre_id", label=host)
    page.fill("#activity-title", title)
    page.fill("#activity-starts_on", starts_on)
    page.fill("#activity-ends_on", ends_on)
    page.fill("#activity-city", city)


def unexpected(console_errors: list[str], *, allowed_status: int | None = None) -> list[str]:
    """Console errors, less chromium's own note about a status the test provoked on purpose."""
    note = f"the server responded with a status of {allowed_status}"
    return [e for e in console_errors if not (allowed_status and note in e)]


def test_a_registered_centre_and_its_planned_activity_appear_without_a_page_reload(
    page: Page, console_errors: list[str]
):
    # Given the centres page, marked so that a full reload would show
    page.goto("/centres")
    expect(page.locator("#centre-list")).not_to_contain_text(DOBRICH)
    mark_the_page(page)

    # When a coordinator registers Dobrich's centre through the form
    register_centre(page, DOBRICH, "Добрич")

    # Then the centre is in the list, highlighted as new, and the page was swapped, not reloaded
    expect(page.locator("#centre-list li.just-added")).to_contain_text(DOBRICH)
    expect(page.locator("#centres-panel p.notice")).to_contain_text("Центърът е регистриран.")
    expect(page.locator("#centre-name")).to_have_value("")  # a fresh form for the next one
    assert still_the_same_page(page)

    # When the centre becomes a member and plans the exchange on the calendar
    admit_as_member(page, DOBRICH)
    page.goto("/calendar")
    expect(page.locator("#activity-rows")).not_to_contain_text(EXCHANGE)
    mark_the_page(page)
    open_form(page, "activities-panel")
    fill_activity(page, title=EXCHANGE, host=DOBRICH, starts_on=day(0), ends_on=day(2), city="Добрич")
    page.click("#activity-form button[type=submit]")

    # Then its row is in the calendar with host and dates, still on the same page
    row = page.locator("#activity-rows tr.just-added")
    expect(row).to_contain_text(EXCHANGE)
    expect(row).to_contain_text(DOBRICH)
    expect(row).to_contain_text(shown(0))  # the Bulgarian way: 28.12.2026 г.
    expect(row).to_contain_text("Обмен")
    expect(page.locator("#activity-rows tr")).to_have_count(1)  # once, and no "No activities yet." beside it
    assert still_the_same_page(page)

    # And a later full load of the calendar shows it too (it is projected, not only rendered)
    page.reload()
    expect(page.locator("#activity-rows")).to_contain_text(EXCHANGE)
    page.screenshot(path=CALENDAR_SCREENSHOT, full_page=True)
    page.goto("/centres")
    page.screenshot(path=CENTRES_SCREENSHOT, full_page=True)

    # And the browser reported no errors: no CSP violation, no script error
    assert unexpected(console_errors) == []


def test_bad_activity_input_shows_errors_beside_the_fields_and_adds_no_row(page: Page, console_errors: list[str]):
    # Given a member centre and the calendar with its rows counted
    page.goto("/centres")
    register_centre(page, "Младежки център – Враца", "Враца")
    expect(page.locator("#centre-list li.just-added")).to_be_visible()
    admit_as_member(page, "Младежки център – Враца")
    page.goto("/calendar")
    rows_before = page.locator("#activity-rows tr").count()
    mark_the_page(page)

    # When the form is sent with no title and an end before the start
    open_form(page, "activities-panel")
    fill_activity(page, title="", host="Младежки център – Враца", starts_on=day(10), ends_on=day(1), city="Враца")
    page.click("#activity-form button[type=submit]")

    # Then each field says what is wrong, in Bulgarian, right beside it
    expect(page.locator("#activity-title-error")).to_have_text("Полето е задължително.")
    expect(page.locator("#activity-ends_on-error")).to_have_text("Краят не може да е преди началото.")
    expect(page.locator("#activity-title")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#activity-ends_on")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("small.field-error")).to_have_count(2)

    # And what was typed is kept, the page was not reloaded and the calendar has no new row
    expect(page.locator("#activity-city")).to_have_value("Враца")
    expect(page.locator("#activity-starts_on")).to_have_value(day(10))
    assert still_the_same_page(page)
    expect(page.locator("#activity-rows tr")).to_have_count(rows_before)
    expect(page.locator("#activity-rows tr.just-added")).to_have_count(0)
    assert unexpected(console_errors, allowed_status=422) == []


def test_a_duplicate_centre_name_is_refused_beside_the_name_field(page: Page, console_errors: list[str]):
    # Given Pernik's centre is registered
    page.goto("/centres")
    register_centre(page, "Младежки център – Перник", "Перник")
    expect(page.locator("#centre-list li.just-added")).to_contain_text("Перник")
    mark_the_page(page)

    # When the same name is registered again
    register_centre(page, "Младежки център – Перник", "Перник")

    # Then the name field says so, the page stays, and the list still has the centre once
    expect(page.locator("#centre-name-error")).to_have_text("Вече е регистриран център с това име.")
    assert still_the_same_page(page)
    expect(page.locator("#centre-list li", has_text="Младежки център – Перник")).to_have_count(1)
    assert unexpected(console_errors, allowed_status=422) == []


def test_the_ui_is_bulgarian_by_default_and_english_after_choosing_en(page: Page, console_errors: list[str]):
    # Given a first visit: Bulgarian
    page.goto("/centres")
    expect(page.locator("html")).to_have_attribute("lang", "bg")
    expect(page.locator("h1")).to_have_text("Центрове")

    # When the visitor clicks EN in the navigation
    page.click("nav .nav-wide .lang a[hreflang=en]")

    # Then the same page comes back in English, and stays English on the next page
    expect(page).to_have_url(re.compile(r"/centres$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Centres")
    expect(page.locator("#centre-form button[type=submit]")).to_have_text("Register")
    page.goto("/calendar")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#activities-panel summary")).to_have_text("Plan an activity")
    expect(page.locator("nav .nav-wide .lang span[aria-current]")).to_have_text("EN")
    assert unexpected(console_errors) == []
