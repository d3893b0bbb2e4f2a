"""The printable year report opens in a browser as a file (no server, nothing fetched) and its
server-side SVG charts render: each chart has its size on the page and one bar per row."""

from __future__ import annotations

import uuid
from datetime import date

from infra import audit_log
from infra.audit_report import run_year
from infra.sql import SQLiteDatabase
from projections.catalog import all_projections
from tests.support.rebuild import rebuild_from_store


def test_the_report_opens_in_a_browser_and_its_charts_render(settings, store, read_db, browser, tmp_path):
    # Given a year of two activities of two kinds, audited into report.html
    host = store.centres.register_centre(name=f"Център {uuid.uuid4().hex[:6]}", city="Враца")[0]
    store.centres.apply_for_membership(host)
    store.centres.admit_centre(host)
    for kind, month in (("exchange", 3), ("conference", 6)):
        activity, _ = store.activities.plan_activity(host_centre_id=host, title="Дейност", kind=kind,
                                                     starts_on=date(2025, month, 3), ends_on=date(2025, month, 3),
                                                     city="Враца")
        store.activities.record_outcome(activity, participants=20, young_people=10, fewer_opportunities=2,
                                        centres_attended=1)
    log = audit_log.AuditLog(read_db, store.recorder, "example.org/mrezha", audit_log.load_key(settings.data_dir))
    log.catch_up()
    rebuild_from_store(store, read_db, all_projections())
    scratch = SQLiteDatabase(tmp_path / "scratch.sqlite")
    run_year(store, read_db, scratch, log.verifier(), all_projections(), 2025, tmp_path / "out")
    scratch.close()
    # When a browser opens it, with every request but the file itself refused
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    fetched: list[str] = []
    context.route("**/*", lambda route: (fetched.append(route.request.url), route.continue_()
                                         if route.request.url.startswith("file://") else route.abort()))
    page = context.new_page()
    page.goto((tmp_path / "out" / "report.html").as_uri())
    # Then every chart is drawn with its size, one bar per kind in the first
    charts = page.locator("svg")
    assert charts.count() == 4
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 10
    bars = charts.first.locator("rect")
    assert bars.count() == 2 and all(bars.nth(i).bounding_box()["width"] > 50 for i in range(2))
    assert fetched == [(tmp_path / "out" / "report.html").as_uri()]
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    context.close()
