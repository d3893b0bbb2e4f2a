"""On a phone and on a desktop: "My centre" and the public directory fit the screen (nothing wider
than 390 px); and on paper the annual plan with its report and an activity page print their content
only, without the screen's navigation and forms."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, timedelta
from uuid import UUID

import pytest
from playwright.sync_api import Browser, Page, expect

from application.actor import acting_as
from application.app import MrezhaApplication
from infra.settings import Settings
from infra.store import store_environment
from tests.support.accounts import PASSWORD, open_account

pytestmark = pytest.mark.browser

TODAY = date.today()
SHOTS = "/tmp/mrezha-people"


@pytest.fixture
def network(settings: Settings) -> Iterator[dict[str, UUID]]:
    """Vratsa chairs the network this year, with a published plan; it hosts a training that ended without
    an outcome and one to come that Dobrich joined; Vratsa's coordinator has an account."""
    store = MrezhaApplication(env=store_environment(settings))
    try:
        with acting_as("test"):
            def member(name: str, city: str) -> UUID:
                centre_id, _ = store.centres.register_centre(name=name, city=city, description="Първи ред.\nВтори ред.")
                store.centres.apply_for_membership(centre_id)
                store.centres.admit_centre(centre_id)
                return centre_id

            vratsa = member("Младежки център „Враца“ към Община Враца", "Враца")
            dobrich = member("Младежки център – Добрич", "Добрич")
            store.network.hand_over_chair(TODAY.year, vratsa, date(TODAY.year, 1, 1))
            store.plans.draft_plan(TODAY.year, ["Младежка заетост", "Мрежуване"])
            store.plans.add_plan_item(TODAY.year, kind="training", theme="Обучение за медиатори", month=12)
            store.plans.publish_plan(TODAY.year)
            coming, _ = store.activities.plan_activity(
                host_centre_id=vratsa, title="Обучение на младежки работници по неформално образование",
                kind="training", starts_on=TODAY + timedelta(days=6), ends_on=TODAY + timedelta(days=7),
                city="Враца", venue="Зала „Христо Ботев“", description="Ден първи: теория.\nДен втори: практика.",
            )
            store.activities.join_activity(coming, dobrich, 12)
            store.activities.plan_activity(host_centre_id=vratsa, title="Кръгла маса без отчет", kind="round_table",
                                           starts_on=TODAY - timedelta(days=12), ends_on=TODAY - timedelta(days=12),
                                           city="Враца")
    finally:
        store.close()
    open_account(settings, "vratsa", "coordinator", vratsa)
    yield {"vratsa": vratsa, "dobrich": dobrich, "coming": coming}


def sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.fill("#login-username", username)
    page.fill("#login-password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url("**/")


def open_once_projected(page: Page, path: str, selector: str, count: int) -> None:
    """Open the page, again until the projector has caught up with what the fixture stored."""
    deadline = time.monotonic() + 60
    page.goto(path)
    while page.locator(selector).count() != count and time.monotonic() < deadline:
        page.wait_for_timeout(500)
        page.goto(path)
    expect(page.locator(selector)).to_have_count(count)


def fits(page: Page, width: int) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [390, 1366])
def test_my_centre_and_the_public_directory_fit_a_phone_and_a_desktop(browser: Browser, site: str, network, width):
    context = browser.new_context(base_url=site, locale="bg-BG", viewport={"width": width, "height": 844})
    page = context.new_page()
    try:
        # A visitor: the directory lists both members, with their activities, and fits the screen
        open_once_projected(page, "/centres", "#centre-list li[id]", 2)
        assert fits(page, width)
        page.screenshot(path=f"{SHOTS}-centres-{width}.png", full_page=True)
        page.locator("#centre-list a", has_text="Враца").click()
        expect(page.locator("#hosted-rows tr")).to_have_count(2)
        assert fits(page, width)
        page.screenshot(path=f"{SHOTS}-centre-{width}.png", full_page=True)
        # Vratsa's coordinator lands on "My centre": what comes and the outcome it owes
        sign_in(page, "vratsa")
        expect(page.locator("h1")).to_have_text("Моят център")
        expect(page.locator("#my-next-activities li a")).to_have_count(1)
        expect(page.locator("#outcomes-due li a")).to_have_text("Кръгла маса без отчет")
        assert fits(page, width)
        page.screenshot(path=f"{SHOTS}-my-centre-{width}.png", full_page=True)
    finally:
        context.close()


def hidden(page: Page, selector: str) -> bool:
    return page.evaluate(
        "s => [...document.querySelectorAll(s)].every(e => getComputedStyle(e).display === 'none' || !e.offsetParent && getComputedStyle(e).position !== 'fixed')",
        selector,
    )


def test_the_plan_with_its_report_and_an_activity_print_their_content_without_navigation_or_forms(
    page: Page, network
):
    open_once_projected(page, f"/activities/{network['coming']}", "#history .timeline > li", 2)
    page.emulate_media(media="print")
    assert hidden(page, "body > header") and hidden(page, "body > footer") and hidden(page, "main form")
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Ден първи: теория.")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")
    page.pdf(path=f"{SHOTS}-activity.pdf", format="A4")
    page.screenshot(path=f"{SHOTS}-activity-print.png", full_page=True)

    page.emulate_media(media="screen")
    open_once_projected(page, f"/plans/{TODAY.year}", "#report-figures", 1)
    page.emulate_media(media="print")
    assert hidden(page, "body > header") and hidden(page, "main form") and hidden(page, "#plan-history")
    expect(page.locator("#report-figures")).to_be_visible()
    expect(page.locator("#priorities")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('#unplanned-list a')).color") == "rgb(0, 0, 0)"
    # the plan as published, folded on the screen, prints unfolded
    assert not page.locator("#published-plan details").evaluate("d => d.open")
    expect(page.locator("#published-items td", has_text="Обучение за медиатори")).to_be_visible()
    # the report's table prints whole: not cut to a scrolling region
    assert page.evaluate("getComputedStyle(document.querySelector('#report .scroll')).overflowX") == "visible"
    page.screenshot(path=f"{SHOTS}-plan-print.png", full_page=True)
