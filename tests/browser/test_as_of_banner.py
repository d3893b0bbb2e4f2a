"""A page as the record stood on a day, in a browser: the banner fits a phone's screen, says the day
the Bulgarian way, and a link followed keeps the day."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser

TODAY = date.today()


@pytest.mark.parametrize("width", [390, 1366])
def test_the_banner_fits_the_screen_and_links_keep_the_day(browser: Browser, site: str, tmp_path: Path, width: int):
    context = browser.new_context(base_url=site, viewport={"width": width, "height": 844}, locale="bg-BG")
    page = context.new_page()
    try:
        page.goto(f"/calendar?as_of={TODAY.isoformat()}")
        banner = page.locator("#as-of")
        assert banner.is_visible()
        assert TODAY.strftime("%d.%m.%Y") in banner.inner_text()
        box = banner.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(Path(os.environ.get("MREZHA_SCREENSHOTS", tmp_path)) / f"as-of-{width}.png"))
        if width == 390:
            page.locator("nav .nav-narrow summary").click()
            page.locator("nav .nav-narrow a[href^='/network']").click()
        else:
            page.locator("nav .nav-wide a[href^='/network']").click()
        page.wait_for_url(f"**/network?as_of={TODAY.isoformat()}")
        assert page.locator("#as-of").is_visible()
        page.locator("#as-of a[data-live]").click()
        page.wait_for_url("**/network")
        assert page.locator("#as-of").count() == 0
    finally:
        context.close()
