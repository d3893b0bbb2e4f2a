"""The rules an annual plan keeps, from its draft to its adopted report, checked on the aggregate itself."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.errors import DomainError
from domain.plan import AnnualPlan, plan_id
from tests.support.tables import row

VRATSA, DOBRICH = uuid4(), uuid4()
REPORT = dict(items=2, held=1, cancelled=0, not_held=1, dropped=0, unplanned=0)


def refusal(action) -> tuple[str | None, str]:
    with pytest.raises(DomainError) as caught:
        action()
    return caught.value.field, caught.value.code


def draft(**changes) -> AnnualPlan:
    return AnnualPlan.draft(**{"year": 2026, "chair_centre_id": VRATSA, "priorities": ["Обмяна на опит"], **changes})


def item(plan: AnnualPlan, **changes):
    fields = dict(kind="exchange", theme="Предизвикателствата на младежката работа", month=5, host_centre_id=DOBRICH)
    return plan.add_item(**{**fields, **changes})


def test_a_years_plan_has_an_id_derived_from_the_year_so_there_is_one_per_year():
    assert draft().id == plan_id(2026) != plan_id(2027)


def test_a_plan_is_drafted_with_its_priorities_one_per_line_blank_lines_dropped():
    assert draft(priorities=[" Обмяна на опит ", "", "Качество"]).priorities == ["Обмяна на опит", "Качество"]
    assert refusal(lambda: draft(priorities=["", "  "])) == ("priorities", "required")
    assert refusal(lambda: draft(priorities=["я" * 201])) == ("priorities", "too_long")
    assert refusal(lambda: draft(year=1999)) == ("year", "invalid_year")


@pytest.mark.parametrize(
    "changes, refused",
    [
        row("an_unknown_kind", {"kind": "party"}, ("kind", "invalid_choice")),
        row("a_blank_theme", {"theme": " "}, ("theme", "required")),
        row("a_month_before_january", {"month": 0}, ("month", "invalid_month")),
        row("a_month_after_december", {"month": 13}, ("month", "invalid_month")),
    ],
)
def test_an_item_has_a_known_kind_a_theme_and_a_month(changes, refused):
    assert refusal(lambda: item(draft(), **changes)) == refused


def test_a_plan_is_published_once_and_only_with_an_item():
    plan = draft()
    assert refusal(lambda: plan.publish(date(2026, 2, 1))) == (None, "plan_has_no_items")
    item(plan)
    plan.publish(date(2026, 2, 1))
    assert refusal(lambda: plan.publish(date(2026, 2, 2))) == (None, "plan_already_published")


def test_an_item_is_changed_only_when_something_differs_and_never_once_dropped():
    plan = draft()
    item_id = item(plan)
    assert refusal(lambda: plan.change_item(item_id, kind="exchange", theme="Предизвикателствата на младежката работа",
                                            month=5, host_centre_id=DOBRICH)) == (None, "nothing_changed")
    plan.change_item(item_id, kind="exchange", theme="Предизвикателствата на младежката работа", month=6,
                     host_centre_id=DOBRICH, reason="Изтеглено")
    assert refusal(lambda: plan.drop_item(item_id, "")) == ("reason", "required")
    plan.drop_item(item_id, "Няма финансиране")
    assert refusal(lambda: plan.drop_item(item_id, "Отново")) == ("item_id", "item_dropped")
    assert refusal(lambda: plan.link_activity(item_id, uuid4())) == ("item_id", "item_dropped")
    assert refusal(lambda: plan.drop_item(uuid4(), "Непознат")) == ("item_id", "unknown_item")


def test_an_activity_realises_at_most_one_item_of_a_plan():
    plan = draft()
    first, second, activity = item(plan), item(plan, kind="training", theme="Обучение"), uuid4()
    plan.link_activity(first, activity)
    assert refusal(lambda: plan.link_activity(second, activity)) == ("activity_id", "activity_already_linked")
    plan.link_activity(first, uuid4())  # a replacement, when the first is cancelled


def test_the_report_is_adopted_once_for_a_published_plan_which_it_then_closes():
    plan = draft()
    item_id = item(plan)
    assert refusal(lambda: plan.adopt_report(date(2026, 12, 12), **REPORT)) == ("report_year", "plan_not_published")
    plan.publish(date(2026, 2, 1))
    plan.adopt_report(date(2026, 12, 12), **REPORT)
    assert refusal(lambda: plan.adopt_report(date(2026, 12, 13), **REPORT)) == ("report_year", "report_already_adopted")
    assert refusal(lambda: item(plan)) == (None, "report_adopted")
    assert refusal(lambda: plan.drop_item(item_id, "Късно")) == (None, "report_adopted")


def test_an_activity_linked_to_the_wrong_item_is_unlinked_and_may_then_realise_another():
    plan = draft()
    wrong, right = item(plan), item(plan, theme="Кръгла маса")
    activity = uuid4()
    plan.link_activity(wrong, activity)

    plan.unlink_activity(wrong, activity)

    assert str(activity) not in plan.linked
    assert type(plan.collect_events()[-1]).__name__ == "ItemUnlinked"
    plan.link_activity(right, activity)  # no longer "already linked"
    assert plan.linked[str(activity)] == str(right)


def test_only_a_link_that_exists_is_unlinked():
    plan = draft()
    first, second = item(plan), item(plan, theme="Кръгла маса")
    activity = uuid4()
    plan.link_activity(first, activity)

    assert refusal(lambda: plan.unlink_activity(second, activity)) == ("activity_id", "activity_not_linked")
    assert refusal(lambda: plan.unlink_activity(first, uuid4())) == ("activity_id", "activity_not_linked")
