"""Every page of the demo network, as each kind of user sees it, at 390 px and 1366 px, in Bulgarian and English:
none wider than the screen, no axe-core violations (WCAG 2.0/2.1/2.2 A and AA, every <details> opened, and again
with a form's errors shown) and no error from the W3C Nu HTML checker."""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter, deque
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Browser, Page

from infra.settings import Settings
from projections.base import position
from projections.catalog import all_projections
from tests.support.accounts import demo_loaded
from tests.support.processes import Worker, eventually
from tests.support.server import WebServer

NPM = Path(__file__).resolve().parents[1] / "npm" / "node_modules"
AXE = NPM / "axe-core" / "axe.min.js"
VNU = NPM / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = (390, 1366)
LANGUAGES = ("bg", "en")
ROLES = ("anonymous", "pernik", "dobrich", "vratsa", "secretariat", "auditor")  # member, coordinator, chair, …

# Pages that are not HTML for people, or that would end the session, are not walked.
NOT_PAGES = re.compile(r"^/(static|logout|lang|api|feeds|metrics|healthz|readyz|audit/key)|\.(csv|ics|json|xml|txt)$|/export")
# Many pages share one shape (one activity is like another): a few of each are enough.
IDS = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+")
QUERY_VALUES = re.compile(r"=[^&]*")
SAMPLES_PER_SHAPE = 1
MOST_PAGES = 80


@pytest.fixture
def demo_site(settings: Settings, tmp_path: Path, relay: Worker, projector: Worker) -> Iterator[tuple[str, dict[str, str]]]:
    """The demo network, fully projected, served by a real ``mrezha web``; with the demo accounts' passwords."""
    with demo_loaded(settings) as (store, db, passwords):
        last = store.last_notification_id()

        def projected() -> bool:
            tracking = db.fetchone("SELECT name FROM sqlite_master WHERE name = 'projection_tracking'")
            return bool(tracking) and all(position(db, p.name) == last for p in all_projections())

        eventually(projected, 90, "the demo was never projected")
    server = WebServer(settings, tmp_path).start()
    yield server.url, passwords
    server.stop()


def walk(page: Page, site: str) -> Iterator[str]:
    """The site's pages reachable by links from the front page, a few of each shape, each loaded in the page."""
    queue, seen, shapes, pages = deque(["/"]), {"/"}, Counter(), []
    while queue and len(pages) < MOST_PAGES:
        path = queue.popleft()
        shape = IDS.sub("#", QUERY_VALUES.sub("=#", path))
        if shapes[shape] >= SAMPLES_PER_SHAPE:
            continue
        response = page.goto(path)
        assert response is not None and response.status == 200, (path, response and response.status)
        shapes[shape] += 1
        pages.append(path)
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
        yield path
        for href in hrefs:
            url = urlsplit(urljoin(site + path, href))
            if f"{url.scheme}://{url.netloc}" != site or NOT_PAGES.search(url.path):
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if target not in seen:
                seen.add(target)
                queue.append(target)


def violations(page: Page) -> list[str]:
    """axe-core's violations on the page as it is now, with every <details> of the content opened (the phone's
    menu, a dropdown over the page, is checked open on its own: tests/browser/test_layout_widths.py)."""
    page.evaluate("document.querySelectorAll('main details').forEach(d => d.open = true)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text())
    found = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)["violations"]
    return [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in found]


def show_errors(page: Page) -> bool:
    """Send the page's first form empty, so that its errors are shown; whether there was a form to send."""
    # A form that asks first (a hard step: handover, admit…) answers with a question, not with errors
    form = page.locator("main form:not([method=get]):not(.inline):not([data-hx-confirm])").first
    if not form.count():
        return False
    page.evaluate("""form => { form.noValidate = true;
        for (let d = form.closest('details'); d; d = d.parentElement.closest('details')) d.open = true;
        form.querySelectorAll('input:not([type=hidden]), textarea').forEach(f => { f.value = ''; }); }""",
                  form.element_handle())
    submit = form.locator("button[type=submit], button:not([type])").first
    if not submit.count():
        return False
    with page.expect_response(lambda r: r.request.method == "POST"):
        submit.click()
    page.wait_for_load_state("networkidle")
    return True


def nu_errors(html_by_path: dict[str, str], tmp_path: Path) -> list[str]:
    """The W3C Nu checker's errors on the pages' HTML, named by the page."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    files = {}
    for number, (path, html) in enumerate(html_by_path.items()):
        file = tmp_path / f"page-{number}.html"
        file.write_text(html)
        files[f"file:{file.resolve()}"] = path
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--exit-zero-always", *(name.removeprefix("file:") for name in files)],
        capture_output=True, text=True, timeout=600, check=True,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [f"{files.get(m.get('url'), m.get('url'))}:{m.get('lastLine')}: {m['message']}" for m in messages]


def signed_in(browser: Browser, site: str, role: str, password: str | None, width: int, language: str) -> Page:
    context = browser.new_context(base_url=site, viewport={"width": width, "height": 844}, bypass_csp=True)
    context.add_cookies([{"name": "lang", "value": language, "url": site}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    if password:
        page.goto("/login")
        page.fill("#login-username", role)
        page.fill("#login-password", password)
        page.click("#login-form button[type=submit]")
        page.wait_for_url("**/")
    return page


@pytest.mark.parametrize("role", ROLES)
def test_every_page_fits_the_screen_passes_axe_and_the_nu_checker(browser: Browser, demo_site, role: str, tmp_path: Path):
    site, passwords = demo_site
    problems: list[str] = []
    for language in LANGUAGES:
        html_by_path: dict[str, str] = {}
        for width in WIDTHS:
            page = signed_in(browser, site, role, passwords.get(role), width, language)
            walked = 0
            for path in walk(page, site):
                walked += 1
                html_by_path.setdefault(path, page.content())
                where = f"{role} {language} {width}px {path}"
                if page.evaluate("document.documentElement.scrollWidth") > width:
                    problems.append(f"{where}: wider than the screen")
                problems += [f"{where}: {v}" for v in violations(page)]
                if width == WIDTHS[0] and page.goto(path) and show_errors(page):
                    html_by_path.setdefault(f"{path} (errors)", page.content())
                    problems += [f"{where} (errors): {v}" for v in violations(page)]
            page.context.close()
            assert walked > 3, f"{role} {language} {width}px: only {walked} pages"
        problems += nu_errors(html_by_path, tmp_path / language)
    (tmp_path / "problems.txt").write_text("\n".join(problems))
    assert not problems, "\n".join(problems[:80]) + f"\n… {len(problems)} in all, listed in {tmp_path / 'problems.txt'}"
