"""The governance and practice rules that need more than one aggregate, through the application on a
real SQLite store: the exact domain error, and nothing stored when a command is refused."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from domain.errors import NotFound
from domain.network import NETWORK_ID, Network
from domain.plan import AnnualPlan, plan_id
from domain.practice import Practice
from application.app import MrezhaApplication
from tests.support.commands import REACHED_BY, a_centre, refusal, refused, sqlite_application

TODAY = date(2026, 11, 22)
NOT_MEMBERS = [state for state in REACHED_BY if state != "admitted"]
CONTENT = dict(
    title="Международен младежки център за работа с деца и младежи в риск",
    problem="Младите хора в риск остават извън възможностите за развитие.",
    method="Неформално образование като инструмент за социално включване.",
    target_groups=["youth_at_risk"], tags=["неформално образование"], country="BG",
)
REPORT = dict(items=1, held=1, cancelled=0, not_held=0, dropped=0, unplanned=0)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[MrezhaApplication]:
    application = sqlite_application(tmp_path / "store.sqlite", TODAY)
    yield application
    application.close()


def chaired(app: MrezhaApplication, year: int, centre: UUID | None = None) -> UUID:
    centre = centre or a_centre(app)
    app.network.hand_over_chair(year, centre, date(year, 1, 15))
    return centre


def published_plan(app: MrezhaApplication, year: int) -> UUID:
    """A plan for a chaired year with one item, published; returns the item's host."""
    chaired(app, year)
    app.plans.draft_plan(year, ["Обмяна на добри практики"])
    app.plans.add_plan_item(year, kind="training", theme="Обучение за младежки работници", month=10,
                      host_centre_id=(host := a_centre(app)))
    app.plans.publish_plan(year)
    return host


def practice(app: MrezhaApplication) -> tuple[UUID, UUID]:
    owner = a_centre(app)
    practice_id, _ = app.practices.share_practice(centre_id=owner, **CONTENT)
    return practice_id, owner


@pytest.mark.parametrize("who", [*NOT_MEMBERS, "no centre"])
def test_only_a_member_in_good_standing_chairs_rotates_hosts_an_item_shares_endorses_or_adopts(app, who):
    outsider = uuid4() if who == "no centre" else a_centre(app, who)
    code = "unknown_centre" if who == "no centre" else "centre_not_member"
    chaired(app, 2025)
    practice_id, _ = practice(app)
    app.plans.draft_plan(2025, ["Качество"])
    app.plans.add_plan_item(2025, kind="exchange", theme="Обмен", month=5)
    app.plans.publish_plan(2025)  # the meeting's only mistake is then its chair (it hears of all at once)
    member = a_centre(app)
    assert refusal(app, lambda: app.network.hand_over_chair(2026, outsider, date(2026, 1, 15))) == ("centre_id", code)
    assert refusal(app, lambda: app.network.correct_handover(2025, outsider, "Грешка")) == ("centre_id", code)
    assert refusal(app, lambda: app.network.set_rotation([member, outsider])) == ("order", code)
    assert refusal(app, lambda: app.plans.add_plan_item(2025, kind="exchange", theme="Обмен", month=5,
                                                  host_centre_id=outsider)) == ("host_centre_id", code)
    assert refusal(app, lambda: app.network.record_annual_meeting(
        held_on=date(2025, 12, 12), report_year=2025, next_chair_id=outsider, priorities=["Качество"], report=REPORT,
    )) == ("next_chair_id", code)
    assert refusal(app, lambda: app.practices.share_practice(centre_id=outsider, **CONTENT)) == ("centre_id", code)
    assert refusal(app, lambda: app.practices.endorse_practice(practice_id, outsider, "Добре")) == ("centre_id", code)
    assert refusal(app, lambda: app.practices.adopt_practice(practice_id, centre_id=outsider, adaptation_notes="Да")) == (
        "centre_id", code
    )


def test_the_first_handover_founds_the_network_and_later_ones_are_one_event_each(app):
    vratsa, dobrich = a_centre(app), a_centre(app)
    before = app.last_notification_id()
    app.network.hand_over_chair(2026, vratsa, date(2026, 1, 15))
    assert app.last_notification_id() == before + 2  # founded, handed over
    assert app.network.current_chair() == vratsa
    app.network.hand_over_chair(2027, dobrich, TODAY)
    assert app.last_notification_id() == before + 3
    assert app.network.current_chair() == dobrich
    network = app.repository.get(NETWORK_ID)
    assert isinstance(network, Network) and (network.chair_of(2026), network.chair_of(2027)) == (vratsa, dobrich)


def test_the_years_chair_drafts_its_plan_and_a_year_has_one_plan(app):
    assert refusal(app, lambda: app.plans.draft_plan(2026, ["Качество"])) == ("year", "no_chair_for_year")
    vratsa = chaired(app, 2026)
    plan_id_, _ = app.plans.draft_plan(2026, ["Качество"])
    assert plan_id_ == plan_id(2026) and app.plans.plan_of(2026).chair_centre_id == vratsa
    assert refusal(app, lambda: app.plans.draft_plan(2026, ["Друг план"])) == ("year", "plan_exists")


def test_an_item_is_realised_only_by_a_known_activity_of_the_plans_year(app):
    published_plan(app, 2026)
    item_id = UUID(next(iter(app.plans.plan_of(2026).items)))
    last_year, _ = app.activities.plan_activity(host_centre_id=a_centre(app), title="Обмен", kind="exchange",
                                     starts_on=date(2025, 5, 14), ends_on=date(2025, 5, 16), city="Добрич")
    assert refusal(app, lambda: app.plans.link_plan_item(2026, item_id, uuid4())) == ("activity_id", "unknown_activity")
    assert refusal(app, lambda: app.plans.link_plan_item(2026, item_id, last_year)) == (
        "activity_id", "activity_outside_plan_year"
    )
    this_year, _ = app.activities.plan_activity(host_centre_id=a_centre(app), title="Обучение", kind="training",
                                     starts_on=date(2026, 10, 8), ends_on=date(2026, 10, 9), city="Стара Загора")
    app.plans.link_plan_item(2026, item_id, this_year)
    assert app.plans.plan_of(2026).linked == {str(this_year): str(item_id)}


def test_the_annual_meeting_adopts_a_published_plans_report_and_confirms_next_years_chair_together(app):
    meeting = dict(held_on=date(2025, 12, 12), report_year=2025, priorities=["Качество"], report=REPORT)
    chaired(app, 2025)
    next_chair = a_centre(app)
    assert refusal(app, lambda: app.network.record_annual_meeting(next_chair_id=next_chair, **meeting)) == (
        "report_year", "no_plan_for_year"
    )
    app.plans.draft_plan(2025, ["Качество"])
    assert refusal(app, lambda: app.network.record_annual_meeting(next_chair_id=next_chair, **meeting)) == (
        "report_year", "plan_not_published"
    )
    app.plans.add_plan_item(2025, kind="training", theme="Обучение", month=10)
    app.plans.publish_plan(2025)
    before = app.last_notification_id()
    app.network.record_annual_meeting(next_chair_id=next_chair, **meeting)
    assert app.last_notification_id() == before + 2  # the meeting, and the report it adopted
    plan = app.plans.plan_of(2025)
    assert isinstance(plan, AnnualPlan) and plan.status == "closed"
    other = a_centre(app)
    assert refusal(app, lambda: app.network.hand_over_chair(2026, other, date(2026, 1, 15))) == (
        "centre_id", "not_the_confirmed_chair"
    )
    app.network.hand_over_chair(2026, next_chair, date(2026, 1, 15))


def test_a_command_on_a_plan_or_practice_that_does_not_exist_is_not_found(app):
    centre = a_centre(app)
    for command in (
        lambda: app.plans.add_plan_item(2031, kind="exchange", theme="Обмен", month=5),
        lambda: app.plans.publish_plan(2031),
        lambda: app.plans.drop_plan_item(2031, uuid4(), "Няма"),
        lambda: app.practices.revise_practice(uuid4(), **CONTENT),
        lambda: app.practices.endorse_practice(uuid4(), centre, "Добре"),
        lambda: app.practices.retire_practice(uuid4(), "Стара"),
    ):
        assert isinstance(refused(app, command), NotFound)


def test_a_centre_cannot_endorse_or_adopt_the_practice_it_shared(app):
    practice_id, owner = practice(app)
    assert refusal(app, lambda: app.practices.endorse_practice(practice_id, owner, "Добре")) == ("centre_id", "own_practice")
    assert refusal(app, lambda: app.practices.adopt_practice(practice_id, centre_id=owner, adaptation_notes="Да")) == (
        "centre_id", "own_practice"
    )


def test_an_adoption_is_dated_today_unless_the_form_says_when(app):
    practice_id, _ = practice(app)
    app.practices.adopt_practice(practice_id, centre_id=a_centre(app), adaptation_notes="Клубове по интереси")
    app.practices.adopt_practice(practice_id, centre_id=a_centre(app), adaptation_notes="С училищата",
                       adopted_on=date(2026, 6, 1))
    adopted = [e for e in app.repository.event_store.get(practice_id) if isinstance(e, Practice.Adopted)]
    assert [e.adopted_on for e in adopted] == [TODAY, date(2026, 6, 1)]
