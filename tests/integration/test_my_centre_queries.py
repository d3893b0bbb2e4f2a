"""The queries behind "My centre" and the public directory give the same answers on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

from demo.governance import PRACTICES
from projections.calendar import Calendar
from projections.catalog import all_projections
from projections.centres import CentresDirectory
from projections.my_centre import MyCentre
from tests.integration.test_governance_read_models import member
from tests.support.rebuild import rebuild_from_store

TODAY = date(2026, 11, 22)
CONTENT = {k: v for k, v in PRACTICES[0].items() if k not in ("key", "centre")}


def test_my_centres_parts_and_the_directorys_counts_on_either_database(store, read_db):
    store.clock = lambda: TODAY
    vratsa, dobrich = member(store, "Младежки център – Враца"), member(store, "Младежки център – Добрич")
    applicant, _ = store.centres.register_centre(name="Младежки център – Перник", city="Перник")
    store.centres.apply_for_membership(applicant)

    def plan(host, title: str, days: int):
        activity_id, _ = store.activities.plan_activity(
            host_centre_id=host, title=title, kind="training", starts_on=TODAY + timedelta(days=days),
            ends_on=TODAY + timedelta(days=days), city="Враца")
        return activity_id

    soon, later, due = plan(vratsa, "Скоро", 3), plan(dobrich, "По-късно", 9), plan(vratsa, "Без отчет", -4)
    store.activities.join_activity(later, vratsa, 6)
    soon, later, due = str(soon), str(later), str(due)
    shared, _ = store.practices.share_practice(centre_id=dobrich, **CONTENT)
    rebuild_from_store(store, read_db, all_projections())

    assert [r["id"] for r in MyCentre.next_activities(read_db, str(vratsa), TODAY)] == [soon, later]
    assert [r["id"] for r in MyCentre.outcomes_due(read_db, str(vratsa), TODAY)] == [due]
    assert [r["id"] for r in MyCentre.applications(read_db)] == [str(applicant)]
    assert [r["id"] for r in MyCentre.practices_to_endorse(read_db, str(vratsa))] == [str(shared)]
    assert MyCentre.practices_to_endorse(read_db, str(dobrich)) == []  # its own
    assert MyCentre.coming_handover(read_db) is None
    assert Calendar.activity_counts(read_db, [str(vratsa), str(dobrich)]) == {
        str(vratsa): {"hosted": 2, "joined": 1}, str(dobrich): {"hosted": 1, "joined": 0}}
    assert [r["name"] for r in CentresDirectory.search(read_db, "", members_only=True)] == [
        "Младежки център – Враца", "Младежки център – Добрич"]
    assert [r["name"] for r in CentresDirectory.search(read_db, "перник", members_only=True)] == []
