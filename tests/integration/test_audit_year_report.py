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
    assert differences[0] == "calendar_activities: 1 rows only in the rebuilt, 1 only in the live"
    assert [d.split(": ")[1] for d in differences[1:]] == ["only in the rebuilt", "only in the live"]
    assert '"participants": 40' in differences[1] and '"participants": 1,' in differences[2]


def everything_independently(store, year: int) -> dict:
    """The report's other figures straight from the stored events, without the read models."""
    from domain.centre import Centre
    from domain.network import Network
    from domain.practice import Practice

    names, new, readmitted, chairs, handovers = {}, [], [], [], []
    practices = {"shared": 0, "endorsed": 0, "adopted": 0, "outcomes_recorded": 0}
    results: dict[str, int] = {}
    outcomes: dict = {}
    planned: dict = {}
    for n in store.recorder.select_notifications(1, 10_000):
        event = store.mapper.to_domain_event(n)
        when = event.timestamp.date()
        if isinstance(event, Centre.Registered):
            names[event.originator_id] = event.name
        elif isinstance(event, Centre.MembershipAdmitted) and event.decided_on.year == year:
            new.append(names[event.originator_id])
        elif isinstance(event, Centre.MembershipRejoined) and when.year == year:
            readmitted.append(names[event.originator_id])
        elif isinstance(event, (Network.ChairHandedOver, Network.HandoverCorrected)) and event.year == year:
            chairs.append(names[event.centre_id])
            handovers.append(type(event).__name__)
        elif isinstance(event, Practice.Shared) and when.year == year:
            practices["shared"] += 1
        elif isinstance(event, Practice.Endorsed) and when.year == year:
            practices["endorsed"] += 1
        elif isinstance(event, Practice.Adopted) and event.adopted_on.year == year:
            practices["adopted"] += 1
        elif isinstance(event, Practice.AdoptionOutcomeRecorded) and when.year == year:
            practices["outcomes_recorded"] += 1
            for key, value in event.results.items():
                results[key] = results.get(key, 0) + value
        elif isinstance(event, Activity.Planned):
            planned[event.originator_id] = event
        elif isinstance(event, (Activity.Held, Activity.OutcomeCorrected)) and \
                planned[event.originator_id].starts_on.year == year:
            outcomes.setdefault(event.originator_id, []).append(
                (event.participants, event.young_people, event.fewer_opportunities, event.timestamp.isoformat()))
    corrections = [history for history in outcomes.values() if len(history) > 1]
    return {"new_members": sorted(new), "readmitted": sorted(readmitted), "chair": chairs[-1] if chairs else None,
            "handovers": handovers, "practices": {**practices, "outcome_results": dict(sorted(results.items()))},
            "corrections": corrections}


def test_every_figure_of_the_year_equals_the_raw_events_with_a_correction_a_cancellation_a_handover_and_a_readmission(
        settings, store, read_db, tmp_path):
    year = date.today().year
    # Given two centres admitted this year, the second having left and rejoined (readmitted)
    centres = {}
    for name in ("Враца", "Добрич"):
        centres[name] = store.centres.register_centre(name=f"Център {name} {uuid.uuid4().hex[:4]}", city=name)[0]
        store.centres.apply_for_membership(centres[name])
        store.centres.admit_centre(centres[name])
    store.centres.record_centre_leaving(centres["Добрич"], "преместване")
    store.centres.rejoin_centre(centres["Добрич"])
    a, b = centres["Враца"], centres["Добрич"]
    # And the chair handed over to the first, then corrected to the second
    store.network.hand_over_chair(year, a, date(year, 1, 15))
    store.network.correct_handover(year, b, "грешно вписан")
    # And a plan with two items, one realised by an activity held
    store.plans.draft_plan(year, ["Обмяна на добри практики"])
    store.plans.add_plan_item(year, kind="exchange", theme="Обмен", month=3, host_centre_id=a)
    store.plans.add_plan_item(year, kind="training", theme="Обучение", month=9)
    plan = store.activities.plan_activity
    exchange, _ = plan(host_centre_id=a, title="Обмен", kind="exchange", starts_on=date(year, 3, 3),
                       ends_on=date(year, 3, 5), city="Враца")
    conference, _ = plan(host_centre_id=b, title="Конференция", kind="conference", starts_on=date(year, 2, 1),
                         ends_on=date(year, 2, 1), city="Добрич")
    cancelled, _ = plan(host_centre_id=a, title="Обучение", kind="training", starts_on=date(year, 1, 20),
                        ends_on=date(year, 1, 20), city="Враца")
    store.plans.link_plan_item(year, uuid.UUID(list(store.plans.plan_of(year).items)[0]), exchange)
    store.activities.record_outcome(exchange, participants=40, young_people=30, fewer_opportunities=10, centres_attended=2)
    store.activities.record_outcome(conference, participants=80, young_people=50, fewer_opportunities=5, centres_attended=2)
    store.activities.correct_outcome(conference, participants=85, young_people=52, fewer_opportunities=6,
                                     centres_attended=2, happened_on=date(year, 2, 1), reason="списъкът")
    store.activities.cancel_activity(cancelled, reason="наводнение")
    # And a practice shared by one, endorsed, adopted by the other and its outcome recorded
    from tests.support.governance import PRACTICE

    practice, _ = store.practices.share_practice(centre_id=a, **PRACTICE)
    store.practices.endorse_practice(practice, b, "Работи")
    store.practices.adopt_practice(practice, centre_id=b, adaptation_notes="За селата")
    store.practices.record_adoption_outcome(practice, b, {"reached": 100, "trained": 20})
    log = audit_log.AuditLog(read_db, store.recorder, "example.org/mrezha", audit_log.load_key(settings.data_dir))
    log.catch_up()
    rebuild_from_store(store, read_db, all_projections())
    # When the year is audited
    scratch = SQLiteDatabase(tmp_path / "scratch.sqlite")
    _, differences = run_year(store, read_db, scratch, log.verifier(), all_projections(), year, tmp_path / "out")
    scratch.close()
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    raw = everything_independently(store, year)
    # Then every figure is the raw events' own
    assert differences == []
    assert report["activities"]["by_kind"] == independently(store, year)
    assert report["activities"]["total"]["cancelled"] == 1 and report["activities"]["total"]["participants"] == 125
    assert report["centres"]["new_members"] == raw["new_members"] and len(raw["new_members"]) == 2
    assert report["centres"]["readmitted"] == raw["readmitted"] and len(raw["readmitted"]) == 1
    assert sorted(report["centres"]["active"]) == sorted(raw["new_members"])  # both hosted an activity held
    assert report["chair"]["chair"] == raw["chair"] and [h["event"] for h in report["chair"]["handovers"]] == [
        "handover", "corrected"] and raw["handovers"] == ["ChairHandedOver", "HandoverCorrected"]
    assert report["practices"] == raw["practices"]
    assert report["plan"]["by_kind"]["exchange"] == {"planned": 1, "dropped": 0, "linked_held": 1, "held": 1}
    assert report["plan"]["by_kind"]["training"] == {"planned": 1, "dropped": 0, "linked_held": 0, "held": 0}
    [corrected] = report["corrections"]
    [(first, then)] = raw["corrections"]
    assert (corrected["first_reported"]["participants"], corrected["first_reported"]["recorded_at"]) == (first[0], first[3])
    assert [(c["participants"], c["young_people"], c["fewer_opportunities"], c["recorded_at"])
            for c in corrected["corrected"]] == [then]
    # And the printable page shows the sections and draws its charts
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "списъкът" in html and raw["chair"] in html
