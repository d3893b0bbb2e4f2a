"""The year's report is replayed from the store into scratch read models, equals the figures
computed independently from the raw events, and is byte-identical run after run."""

from __future__ import annotations

import json
import uuid
from datetime import date

from domain.activity import Activity
from infra import audit_log
from infra.sql import SQLiteDatabase
from projections.catalog import all_projections
from tests.support.rebuild import rebuild_from_store
from infra.audit_report import run_year


def independently(store, year: int) -> dict[str, dict[str, int]]:
    """Activities and figures by kind, straight from the stored events (last correction wins)."""
    found: dict[uuid.UUID, dict] = {}
    for n in store.recorder.select_notifications(1, 10_000):
        event = store.mapper.to_domain_event(n)
        if isinstance(event, Activity.Planned):
            found[event.originator_id] = {"kind": event.kind, "year": event.starts_on.year, "status": "planned",
                                          "participants": 0, "young_people": 0, "fewer_opportunities": 0}
        elif isinstance(event, Activity.Cancelled):
            found[event.originator_id]["status"] = "cancelled"
        elif isinstance(event, (Activity.Held, Activity.OutcomeCorrected)):
            entry = found[event.originator_id]
            if isinstance(event, Activity.Held):
                entry["status"] = "held"
            for figure in ("participants", "young_people", "fewer_opportunities"):
                entry[figure] = getattr(event, figure)
    totals: dict[str, dict[str, int]] = {}
    for entry in found.values():
        if entry["year"] != year:
            continue
        t = totals.setdefault(entry["kind"], {"activities": 0, "held": 0, "cancelled": 0, "participants": 0,
                                               "young_people": 0, "fewer_opportunities": 0})
        t["activities"] += 1
        if entry["status"] in ("held", "cancelled"):
            t[entry["status"]] += 1
        for figure in ("participants", "young_people", "fewer_opportunities"):
            t[figure] += entry[figure]
    return dict(sorted(totals.items()))


def test_the_year_report_equals_the_raw_events_and_is_reproducible(settings, store, read_db, tmp_path):
    # Given a year with activities held, one outcome corrected, one cancelled, and one of another year
    host = store.centres.register_centre(name=f"Център {uuid.uuid4().hex[:6]}", city="Враца")[0]
    store.centres.apply_for_membership(host)
    store.centres.admit_centre(host)
    plan = store.activities.plan_activity
    exchange, _ = plan(host_centre_id=host, title="Обмен", kind="exchange", starts_on=date(2025, 3, 3),
                       ends_on=date(2025, 3, 5), city="Враца")
    conference, _ = plan(host_centre_id=host, title="Конференция", kind="conference", starts_on=date(2025, 6, 1),
                         ends_on=date(2025, 6, 1), city="Враца")
    cancelled, _ = plan(host_centre_id=host, title="Обучение", kind="training", starts_on=date(2025, 9, 1),
                        ends_on=date(2025, 9, 1), city="Враца")
    plan(host_centre_id=host, title="Догодина", kind="training", starts_on=date(2024, 9, 1),
         ends_on=date(2024, 9, 1), city="Враца")
    store.activities.record_outcome(exchange, participants=40, young_people=30, fewer_opportunities=10, centres_attended=4)
    store.activities.record_outcome(conference, participants=80, young_people=50, fewer_opportunities=5, centres_attended=5)
    store.activities.correct_outcome(conference, participants=85, young_people=52, fewer_opportunities=6,
                                     centres_attended=5, happened_on=date(2025, 6, 1), reason="списъкът")
    store.activities.cancel_activity(cancelled, reason="наводнение")
    log = audit_log.AuditLog(read_db, store.recorder, "example.org/mrezha", audit_log.load_key(settings.data_dir))
    log.catch_up()
    # And live read models that are up to date
    rebuild_from_store(store, read_db, all_projections())
    digests = []
    for run in range(2):
        scratch = SQLiteDatabase(tmp_path / f"scratch-{run}.sqlite")
        digest, differences = run_year(store, read_db, scratch, log.verifier(), all_projections(), 2025,
                                       tmp_path / f"out-{run}")
        scratch.close()
        digests.append(digest)
        assert differences == []
    report = json.loads((tmp_path / "out-0" / "report.json").read_text(encoding="utf-8"))
    # Then the figures are the raw events' own, the checkpoint is named, and two runs agree byte for byte
    assert report["activities"]["by_kind"] == independently(store, 2025)
    assert report["checkpoint"]["tree_size"] == log.size
    assert digests[0] == digests[1]
    assert (tmp_path / "out-0" / "report.json").read_bytes() == (tmp_path / "out-1" / "report.json").read_bytes()
    # And the printable page draws one bar per kind, server-side, with nothing fetched from elsewhere
    from bs4 import BeautifulSoup

    html = BeautifulSoup((tmp_path / "out-0" / "report.html").read_text(encoding="utf-8"), "html.parser")
    first_chart = html.find_all("svg")[0]
    assert len(first_chart.find_all("rect")) == len(report["activities"]["by_kind"]) == 3
    assert html.find("script") is None and html.find("link") is None
    # And a live read model changed behind the projector's back is listed by the reconciliation
    with read_db.transaction() as tx:
        tx.execute("UPDATE calendar_activities SET participants = 1 WHERE kind = 'exchange'")
    scratch = SQLiteDatabase(tmp_path / "scratch-3.sqlite")
    _, differences = run_year(store, read_db, scratch, log.verifier(), all_projections(), 2025, tmp_path / "out-3")
    scratch.close()
    assert differences == ["calendar_activities: 1 rows only in the rebuilt, 1 only in the live"]
