"""Forms that never lose work, as a person meets them in Debian's chromium: after a refusal, an expired
session, a round of mistakes or text past a limit, what was typed is still in the form; focus goes to the
first mistake; a hard step asks first; and the whole of it works from the keyboard alone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from uuid import UUID

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from application.app import MrezhaApplication
from infra.settings import Settings
from infra.store import store_environment
from infra.sql import open_database
from projections.base import position
from projections.catalog import all_projections
from tests.support.accounts import PASSWORD, open_account
from tests.support.processes import eventually

pytestmark = pytest.mark.browser

SOON = date.today() + timedelta(days=30)
NOT_YOUR_CENTRE = "Можете да действате само от името на своя център: изберете го тук."
REQUIRED = "Полето е задължително."
SCREENSHOTS = "/tmp/mrezha-forms"


@pytest.fixture
def store(settings: Settings) -> Iterator[MrezhaApplication]:
    app = MrezhaApplication(env=store_environment(settings))
    db = open_database(settings)
    app.settle = lambda: eventually(  # type: ignore[attr-defined]
        lambda: all(position(db, p.name) == app.last_notification_id() for p in all_projections()), 30,
        "the read models never caught up with the store",
    )
    yield app
    db.close()
    app.close()


def a_member(store: MrezhaApplication, name: str, city: str) -> UUID:
    """A member centre, already on the pages (projected)."""
    centre_id, _ = store.centres.register_centre(name=name, city=city)
    store.centres.apply_for_membership(centre_id)
    store.centres.admit_centre(centre_id)
    store.settle()  # type: ignore[attr-defined]
    return centre_id


def signed_in(
    browser: Browser, site: str, username: str, width: int = 1366, javascript: bool = True
) -> tuple[BrowserContext, Page]:
    context = browser.new_context(base_url=site, locale="bg-BG", viewport={"width": width, "height": 900},
                                  java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/login")
    page.fill("#login-username", username)
    page.fill("#login-password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url("**/")
    return context, page


def open_planning(page: Page) -> None:
    page.goto("/calendar")
    if not page.locator("#activities-panel > details").evaluate("details => details.open"):
        page.click("#activities-panel > details > summary")


def focused_id(page: Page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def mark_the_page(page: Page) -> None:
    page.evaluate("window.__marker = 1")


def still_the_same_page(page: Page) -> bool:
    return page.evaluate("window.__marker") == 1


def test_a_centre_one_may_not_act_for_is_refused_inside_the_form_and_the_typed_text_stays(
    browser: Browser, site: str, settings: Settings, store: MrezhaApplication
):
    # Given a coordinator of Dobrich, whose host select offers Dobrich alone, already chosen
    dobrich, vratsa = a_member(store, "МЦ Добрич", "Добрич"), a_member(store, "МЦ Враца", "Враца")
    open_account(settings, "dobrich-coordinator", "coordinator", dobrich)
    context, page = signed_in(browser, site, "dobrich-coordinator")
    try:
        open_planning(page)
        host = page.locator("#activity-host_centre_id")
        expect(host).to_have_value(str(dobrich))
        expect(host.locator("option[value]:not([value=''])")).to_have_count(1)  # beside HTML's empty first option

        # When the form, drawn before their rights changed (here: edited), is sent for Vratsa
        host.evaluate(f"(select) => select.add(new Option('МЦ Враца', '{vratsa}'))")
        host.select_option(str(vratsa))
        page.select_option("#activity-kind", label="Обучение")
        page.fill("#activity-title", "Лятна академия за младежки работници")
        page.fill("#activity-starts_on", SOON.isoformat())
        page.fill("#activity-ends_on", SOON.isoformat())
        page.fill("#activity-city", "Враца")
        page.fill("#activity-description", "Три дни, ред по ред:\nпърви ден — запознанство")
        mark_the_page(page)
        page.click("#activity-form button[type=submit]")

        # Then the form says why beside the host, keeps everything typed, and holds the focus there
        expect(page.locator("#activity-host_centre_id-error")).to_have_text(NOT_YOUR_CENTRE)
        expect(page.locator("#activity-title")).to_have_value("Лятна академия за младежки работници")
        expect(page.locator("#activity-city")).to_have_value("Враца")
        expect(page.locator("#activity-description")).to_have_value("Три дни, ред по ред:\nпърви ден — запознанство")
        expect(page.locator(".error-page")).to_have_count(0)  # no bare 403 in the panel
        expect(host).to_be_focused()
        assert still_the_same_page(page)
    finally:
        context.close()


def test_a_form_sent_after_the_session_ended_is_back_filled_in_after_signing_in(
    page: Page, site: str, store: MrezhaApplication
):
    # Given the planning form, typed in
    a_member(store, "МЦ Перник", "Перник")
    open_planning(page)
    page.select_option("#activity-host_centre_id", label="МЦ Перник")
    page.select_option("#activity-kind", label="Обмен")
    page.fill("#activity-title", "Обмен на добри практики")
    page.fill("#activity-city", "Перник")
    page.fill("#activity-venue", "Читалище „Зора“")

    # When the session ends meanwhile (the server no longer knows it) and the form is sent
    page.context.add_cookies([{"name": "mrezha_session", "value": "ended", "url": site}])
    page.click("#activity-form button[type=submit]")

    # Then the person signs in and comes back to the calendar, not to the form's POST address (a 405)
    page.wait_for_url("**/login?next=%2Fcalendar")
    page.fill("#login-username", "secretariat")
    page.fill("#login-password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url("**/calendar")

    # And the form is open again with what was typed, and says so
    expect(page.locator("#activity-title")).to_have_value("Обмен на добри практики")
    expect(page.locator("#activity-venue")).to_have_value("Читалище „Зора“")
    expect(page.locator("#activity-city")).to_have_value("Перник")
    expect(page.locator("#activity-host_centre_id")).to_have_value(page.locator(
        "#activity-host_centre_id option", has_text="МЦ Перник").get_attribute("value"))
    expect(page.locator("#activity-form .draft-restored")).to_be_focused()


def test_every_mistake_comes_in_one_answer_with_focus_on_the_first_and_the_rest_kept(page: Page, store: MrezhaApplication):
    # Given the planning form with only a kind, a venue and a long description typed
    open_planning(page)
    page.select_option("#activity-kind", label="Семинар")
    page.fill("#activity-venue", "Зала 3")
    mark_the_page(page)

    # When it is sent
    page.click("#activity-form button[type=submit]")

    # Then title, host, both dates and city are marked at once, focus is on the first, and the rest stayed
    expect(page.locator("#activity-form [aria-invalid=true]")).to_have_count(5)
    expect(page.locator("#activity-title-error")).to_have_text(REQUIRED)
    expect(page.locator("#activity-city-error")).to_have_text(REQUIRED)
    expect(page.locator("#activity-form .errors-summary[role=alert]")).to_contain_text("5 полета")
    expect(page.locator("#activity-venue")).to_have_value("Зала 3")
    expect(page.locator("#activity-kind")).to_have_value("seminar")
    expect(page.locator("#activity-title")).to_be_focused()
    assert still_the_same_page(page)
    page.screenshot(path=f"{SCREENSHOTS}-errors-1366.png", full_page=False)


def test_text_past_the_limit_is_counted_never_cut_and_kept_when_refused(page: Page):
    open_planning(page)
    long_title = "Обмен на опит между младежките центрове на Северозападна България, " * 4  # 272 characters

    page.fill("#activity-title", long_title)

    counter = page.locator("#activity-title-count")
    expect(counter.locator(".count")).to_have_text(str(len(long_title)))
    expect(counter.locator(".over")).to_be_visible()
    expect(page.locator("#activity-title")).to_have_value(long_title)  # nothing cut by the browser

    page.click("#activity-form button[type=submit]")
    expect(page.locator("#activity-title-error")).to_have_text("Твърде дълго: най-много 200 знака.")
    expect(page.locator("#activity-title")).to_have_value(long_title)
    expect(page.locator("#activity-title-count .count")).to_have_text(str(len(long_title)))


def test_admitting_a_centre_asks_first_and_going_back_changes_nothing(page: Page, store: MrezhaApplication):
    centre_id, _ = store.centres.register_centre(name="МЦ Кандидат", city="Русе")
    store.centres.apply_for_membership(centre_id)
    store.settle()  # type: ignore[attr-defined]
    page.goto(f"/centres/{centre_id}")
    expect(page.locator("#membership-state")).to_have_text("Кандидатства за членство")

    # The button asks, naming the centre; "Back" leaves it as it was
    page.click("#admit-form button[type=submit]")
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".question")).to_contain_text("МЦ Кандидат")
    page.screenshot(path=f"{SCREENSHOTS}-confirm-1366.png")
    dialog.locator("button[value=no]").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#membership-state")).to_have_text("Кандидатства за членство")

    # "Confirm" admits it
    page.click("#admit-form button[type=submit]")
    dialog.locator("button[value=yes]").click()
    expect(page.locator("#membership-state")).to_have_text("Член")


def test_an_activity_is_planned_and_a_mistake_fixed_with_the_keyboard_alone(
    browser: Browser, site: str, settings: Settings, store: MrezhaApplication
):
    # Given a coordinator of Vratsa (their centre is the host, already chosen), on the calendar
    vratsa = a_member(store, "МЦ Враца К", "Враца")
    open_account(settings, "vratsa-coordinator", "coordinator", vratsa)
    context, page = signed_in(browser, site, "vratsa-coordinator")
    keys = page.keyboard
    try:
        page.goto("/calendar")

        # Tab to "Plan an activity" and open it with Enter
        for _ in range(40):
            keys.press("Tab")
            if page.evaluate("document.activeElement.matches('#activities-panel > details > summary')"):
                break
        keys.press("Enter")
        keys.press("Tab")
        assert focused_id(page) == "activity-title"

        # Leave the title out (the mistake), choose the kind, type the dates and the city
        keys.press("Tab")
        assert focused_id(page) == "activity-kind"
        keys.press("ArrowDown")  # the first kind
        for field in ("activity-starts_on", "activity-ends_on"):
            while focused_id(page) != field:
                keys.press("Tab")
            keys.type(SOON.strftime("%m%d%Y"))  # a date field's segments as chromium's own (en-US) locale orders them
        while focused_id(page) != "activity-city":
            keys.press("Tab")
        keys.type("Враца")
        keys.press("Enter")  # sends the form

        # Then focus lands on the first mistake: the title
        expect(page.locator("#activity-title-error")).to_have_text(REQUIRED)
        expect(page.locator("#activity-title")).to_be_focused()

        # When the title is typed and the form sent again from the keyboard
        keys.type("Среща на младежките работници")
        keys.press("Enter")

        # Then the activity is planned, and focus is on the notice that says so
        notice = page.locator("#activities-panel .notice[role=status]")
        expect(notice).to_contain_text("Дейността е планирана.")
        expect(notice).to_be_focused()
        expect(page.locator("#activity-rows")).to_contain_text("Среща на младежките работници")
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1366])
def test_the_planning_form_with_its_errors_fits_the_screen(browser: Browser, site: str, width: int):
    context, page = signed_in(browser, site, "secretariat", width=width)
    try:
        open_planning(page)
        page.fill("#activity-description", "Ред\n" * 3)
        page.click("#activity-form button[type=submit]")
        expect(page.locator("#activity-title-error")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=f"{SCREENSHOTS}-planning-{width}.png", full_page=True)
    finally:
        context.close()


def test_a_form_of_a_page_that_expired_says_so_inside_it_and_a_reload_brings_the_text_back(
    page: Page, browser: Browser, store: MrezhaApplication
):
    # Given the planning form, typed in
    a_member(store, "МЦ Добрич Р", "Добрич")
    open_planning(page)
    page.fill("#activity-title", "Кръгла маса за младежката заетост")
    page.fill("#activity-city", "Добрич")

    # When the person signs in afresh in another tab (a new session: this page's form has expired) and sends it
    other = page.context.new_page()
    other.goto("/login")
    other.fill("#login-username", "secretariat")
    other.fill("#login-password", PASSWORD)
    other.click("#login-form button[type=submit]")
    other.wait_for_url("**/")
    other.close()
    mark_the_page(page)
    page.click("#activity-form button[type=submit]")

    # Then the refusal (403) is said inside the form, which still holds what was typed
    alert = page.locator("#activity-form .request-error[role=alert]")
    expect(alert).to_contain_text("презаредете страницата")
    expect(alert).to_be_focused()
    expect(page.locator("#activity-title")).to_have_value("Кръгла маса за младежката заетост")
    assert still_the_same_page(page)

    # And after the reload it asks for, the form comes back filled in
    page.reload()
    expect(page.locator("#activity-title")).to_have_value("Кръгла маса за младежката заетост")
    expect(page.locator("#activity-city")).to_have_value("Добрич")
    expect(page.locator("#activity-form .draft-restored")).to_be_visible()


def test_without_javascript_a_handover_asks_on_the_page_and_is_recorded_on_the_answer(
    browser: Browser, site: str, store: MrezhaApplication, tmp_path
):
    from tests.browser.test_every_page_checks import nu_errors, violations  # the every-page checks' own

    a_member(store, "МЦ Без скрипт", "Ловеч")
    year = date.today().year + 1
    context, page = signed_in(browser, site, "secretariat", width=390, javascript=False)

    # The form is sent as typed: the page comes back asking, naming what it will do, nothing recorded yet
    page.goto("/network")
    page.click("#handover-form >> xpath=ancestor::details/summary")
    page.fill("#handover-year", str(year))
    page.select_option("#handover-centre_id", label="МЦ Без скрипт")
    page.fill("#handover-handed_over_on", date.today().isoformat())
    page.click("#handover-form button[type=submit]")
    question = page.locator("#handover-form.confirming .confirm-question")
    expect(question).to_contain_text(f"за {year} на МЦ Без скрипт на {date.today():%d.%m.%Y}")
    expect(page.locator("#handover-form a.cancel")).to_be_focused()  # the safe answer first, as the dialog
    assert store.network.chair_of(year) is None
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=f"{SCREENSHOTS}-confirm-no-js-390.png", full_page=False)
    html = page.content()

    # Yes records it, once
    page.click("#handover-form button[type=submit]")
    page.wait_for_url("**/network")
    assert store.network.chair_of(year) is not None
    context.close()

    # The asking page passes axe-core and the W3C Nu checker like every other page
    checked = browser.new_context(base_url=site, viewport={"width": 390, "height": 844}, bypass_csp=True).new_page()
    checked.goto("/login")
    checked.set_content(html)
    assert violations(checked) == []
    assert nu_errors({"/network (asking)": html}, tmp_path) == []
    checked.context.close()
