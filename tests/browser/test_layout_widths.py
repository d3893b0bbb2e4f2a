"""One navigation at each width: the links on a desktop, the folded menu on a phone, and no page wider
than the screen at 390 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

PAGES = ("/", "/calendar", "/network", "/practices", "/projects")


@pytest.mark.parametrize(("width", "shown", "hidden"), [(1366, ".nav-wide", ".nav-narrow"), (390, ".nav-narrow", ".nav-wide")])
def test_each_width_shows_one_navigation_and_nothing_wider_than_the_screen(browser: Browser, site: str, width, shown, hidden):
    context = browser.new_context(base_url=site, viewport={"width": width, "height": 844})
    page = context.new_page()
    try:
        for path in PAGES:
            page.goto(path)
            assert page.locator(f"nav {shown}").is_visible(), (path, shown)
            assert not page.locator(f"nav {hidden}").is_visible(), (path, hidden)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
    finally:
        context.close()


def test_the_phone_menu_opened_passes_axe(browser: Browser, site: str):
    from tests.browser.test_every_page_checks import AXE, AXE_TAGS

    context = browser.new_context(base_url=site, viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    try:
        page.goto("/calendar")
        page.click("nav .nav-narrow summary")
        assert page.locator("nav .nav-narrow a[href='/practices']").is_visible()
        page.add_script_tag(content=AXE.read_text())
        found = page.evaluate("tags => axe.run({include: [['header']]}, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
        assert [v["id"] for v in found["violations"]] == []
    finally:
        context.close()
