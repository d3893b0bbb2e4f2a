"""Screenshots of the main pages at 390 px and 1366 px for docs/screenshots/ (`make screenshots`).

Starts the whole platform with `mrezha run` on the demo network in a scratch data dir and a free
port, signs in as the demo chair's coordinator where a page needs an account, and writes one PNG a page
and width. The README links them; re-run after a change to the pages and look at every one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from infra.nats_server import free_port

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
TALLEST = 2400  # px of a page shown; the rest is for the browser
WIDTHS = {"phone": (390, 844), "desktop": (1366, 900)}
# (file name, path, signed in as, what to open first)
PAGES = (
    ("home-visitor", "/", None),
    ("calendar", "/calendar", None),
    ("network", "/network", None),
    ("practices", "/practices", None),
    ("projects", "/projects", None),
    ("my-centre", "/", "vratsa"),
    ("activity", "first:/calendar:a[href^='/activities/']", "vratsa"),
    ("project", "first:/projects:a[href^='/projects/']", "vratsa"),
    ("plan", "/plans", "vratsa"),
    ("centre", "first:/network:a[href^='/centres/']", "vratsa"),
    ("audit", "/audit", "auditor"),
)


def started(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "MREZHA_DATA_DIR": str(data_dir), "MREZHA_PORT": str(port)}
    mrezha = Path(sys.executable).with_name("mrezha")
    process = subprocess.Popen([str(mrezha), "run"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise SystemExit("mrezha run did not get ready within 120 s")


def sign_in(page: Page, username: str, password: str) -> None:
    page.goto("/login")
    page.fill("#login-username", username)
    page.fill("#login-password", password)
    page.click("#login-form button[type=submit]")
    page.wait_for_url("**/")


def open_page(page: Page, where: str) -> None:
    if where.startswith("first:"):
        _, listing, selector = where.split(":", 2)
        page.goto(listing)
        page.goto(page.locator(selector).first.get_attribute("href"))
    else:
        page.goto(where)
    page.wait_for_load_state("networkidle")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = Path(scratch)
        platform = started(data_dir, port)
        try:
            passwords = {line.split("\t")[0]: line.split("\t")[1]
                         for line in (data_dir / "demo-accounts.txt").read_text().splitlines()}
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
                for width_name, (width, height) in WIDTHS.items():
                    for name, where, account in PAGES:
                        context = browser.new_context(base_url=f"http://127.0.0.1:{port}", locale="bg-BG",
                                                      viewport={"width": width, "height": height})
                        page = context.new_page()
                        if account:
                            sign_in(page, account, passwords[account])
                        open_page(page, where)
                        target = OUT / f"{name}-{width_name}.png"
                        tall = min(page.evaluate("document.documentElement.scrollHeight"), TALLEST)
                        page.screenshot(path=str(target), full_page=True,
                                        clip={"x": 0, "y": 0, "width": width, "height": tall})
                        print(f"{target.relative_to(OUT.parents[1])}  {page.url}", flush=True)
                        context.close()
                browser.close()
        finally:
            platform.terminate()
            platform.wait(timeout=60)


if __name__ == "__main__":
    main()
