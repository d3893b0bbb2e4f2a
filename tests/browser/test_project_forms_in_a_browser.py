"""The project forms as a person uses them, on a phone (390 px) and on a desktop (1366 px): the secretariat
registers a project, then on its page reports progress, is told beside the field when a date falls outside
the project's period (the page not reloaded, what was typed kept), and corrects it; no page is wider than
the screen. Screenshots of both pages at both widths are left in /tmp for a person to look at."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

SHOTS = "/tmp/mrezha-projects-{name}-{width}.png"


@pytest.mark.parametrize("width", [390, 1366])
def test_a_project_is_registered_and_its_progress_reported_at_each_width(page: Page, width: int):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/projects")
    page.click("#projects-panel > details > summary")
    page.fill("#register-code", "BG05M9OP001-4.003-0020-C01")
    page.select_option("#register-funder", "esf")
    page.fill("#register-title", "Създаване на Център за социални иновации в Община Пловдив")
    page.fill("#register-beneficiary", "Община Пловдив")
    page.fill("#register-partner_name", "„БД Център“ ООД")
    page.fill("#register-partner_country", "Полша")
    page.fill("#register-total_value", "199408.00")
    page.select_option("#register-currency", "BGN")
    page.fill("#register-starts_on", "2019-03-25")
    page.fill("#register-planned_end", "2021-06-30")
    page.screenshot(path=SHOTS.format(name="register", width=width), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.click("#register-form button[type=submit]")
    page.locator("#projects-panel .notice a").click()
    expect(page.locator("h1")).to_have_text("Създаване на Център за социални иновации в Община Пловдив")

    # The project is started and given an indicator
    page.click("#project-status-forms > summary")
    page.click("#start-form button[type=submit]")
    expect(page.locator("#project-status")).to_have_text("В изпълнение")
    page.locator("#indicators details > summary").click()
    page.fill("#indicator-name", "Консултирани NEETs")
    page.fill("#indicator-key", "consulted")
    page.fill("#indicator-unit", "младежи")
    page.fill("#indicator-target", "150")
    page.click("#indicator-form button[type=submit]")
    expect(page.locator("#indicator-consulted")).to_contain_text("0 / 150")

    # A figure dated before the project began is refused beside its date, the page kept as typed
    page.evaluate("window.__marker = 1")
    page.locator("#progress details > summary").click()
    page.fill("#progress-period", "2019")
    page.fill("#progress-value", "86")
    page.fill("#progress-as_of", "2019-01-01")
    page.click("#progress-form button[type=submit]")
    expect(page.locator("#progress-as_of-error")).to_have_text(
        "Датата трябва да е в периода на проекта или до 90 дни след края му.")
    expect(page.locator("#progress-value")).to_have_value("86")
    assert page.evaluate("window.__marker") == 1  # swapped in by htmx, not reloaded
    page.fill("#progress-as_of", "2021-06-23")
    page.click("#progress-form button[type=submit]")
    expect(page.locator("#indicator-consulted")).to_contain_text("86 / 150")
    page.locator("#progress details > summary").first.click()
    page.screenshot(path=SHOTS.format(name="project", width=width), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
