"""The chair's annual plan (годишен план) and, at year end, its report (годишен отчет).

One plan per year, its id derived from the year. The chair drafts it with the
year's priorities, adds the planned items and publishes it; items added, changed
or dropped afterwards are events of their own, so the plan as published and the
plan as it ended both stay visible. Items are linked to the activities that
realise them. The report, computed from the read models, is adopted at the
annual meeting with the figures as they stood; after that the plan is closed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from eventsourcing.domain import Aggregate, event

from domain.activity import KINDS
from domain.checks import Validation, check_choice, check_positive, check_text
from domain.errors import InvalidField, RuleBroken
from domain.network import check_priorities, check_year

THEME_MAX = 200
REASON_MAX = 500
ITEMS_MAX = 100
REPORT_FIGURES = ("items", "held", "cancelled", "not_held", "dropped", "unplanned")


def plan_id(year: int) -> UUID:
    return uuid5(NAMESPACE_URL, f"/mrezha/plans/{year}")


class AnnualPlan(Aggregate):
    """The plan of one year: priorities and items (kind, theme, host, month)."""

    class Drafted(Aggregate.Created):
        year: int
        chair_centre_id: UUID
        priorities: list[str]

    @staticmethod
    def create_id(year: int, **_: Any) -> UUID:
        return plan_id(year)

    @event(Drafted)
    def __init__(self, year: int, chair_centre_id: UUID, priorities: list[str]) -> None:
        self.year = year
        self.chair_centre_id = chair_centre_id
        self.priorities = priorities
        self.status = "draft"
        self.items: dict[str, dict[str, Any]] = {}
        self.linked: dict[str, str] = {}  # activity id -> item id

    @classmethod
    def draft(cls, *, year: int, chair_centre_id: UUID, priorities: Sequence[str]) -> AnnualPlan:
        check = Validation()
        year = check(check_year, "year", year)
        priorities = check(check_priorities, "priorities", priorities)
        check.done()
        return cls(year=year, chair_centre_id=chair_centre_id, priorities=list(priorities))

    # Items -------------------------------------------------------------------------

    class ItemAdded(Aggregate.Event):
        item_id: UUID
        kind: str
        theme: str
        host_centre_id: UUID | None
        month: int

    class ItemChanged(Aggregate.Event):
        item_id: UUID
        kind: str
        theme: str
        host_centre_id: UUID | None
        month: int
        reason: str

    class ItemDropped(Aggregate.Event):
        item_id: UUID
        reason: str

    class ItemLinked(Aggregate.Event):
        item_id: UUID
        activity_id: UUID

    class ItemUnlinked(Aggregate.Event):
        """An activity linked to an item by mistake no longer realises it (the link's reversal)."""

        item_id: UUID
        activity_id: UUID

    def add_item(self, *, kind: str, theme: str, month: int, host_centre_id: UUID | None = None) -> UUID:
        self._require_open()
        fields = _item(kind, theme, month)
        if len(self.items) >= ITEMS_MAX:
            raise RuleBroken(None, "too_many", maximum=ITEMS_MAX)
        item_id = uuid4()
        self._item_added(item_id=item_id, host_centre_id=host_centre_id, **fields)
        return item_id

    def change_item(
        self, item_id: UUID, *, kind: str, theme: str, month: int, host_centre_id: UUID | None = None, reason: str = ""
    ) -> None:
        self._require_open()
        item = self._live_item(item_id)
        fields = _item(kind, theme, month, reason=reason)
        new = {"kind": fields["kind"], "theme": fields["theme"], "month": fields["month"], "host": _str(host_centre_id)}
        if all(item[key] == value for key, value in new.items()):
            raise RuleBroken(None, "nothing_changed")
        self._item_changed(item_id=item_id, host_centre_id=host_centre_id, **fields)

    def drop_item(self, item_id: UUID, reason: str) -> None:
        self._require_open()
        self._live_item(item_id)
        self._item_dropped(item_id, check_text("reason", reason, max_length=REASON_MAX))

    def link_activity(self, item_id: UUID, activity_id: UUID) -> None:
        self._require_open()
        self._live_item(item_id)
        if str(activity_id) in self.linked:
            raise RuleBroken("activity_id", "activity_already_linked")
        self._item_linked(item_id, activity_id)

    def unlink_activity(self, item_id: UUID, activity_id: UUID) -> None:
        """Undoes a link made to the wrong activity; the activity may then realise another item."""
        self._require_open()
        self._live_item(item_id)
        if self.linked.get(str(activity_id)) != str(item_id):
            raise RuleBroken("activity_id", "activity_not_linked")
        self._item_unlinked(item_id, activity_id)

    @staticmethod
    def check_item(*, kind: str, theme: str, month: int, **more: str) -> dict[str, Any]:
        """An item's fields, each checked (all failing ones reported at once), as ``add_item`` takes them."""
        return _item(kind, theme, month, **more)

    def _live_item(self, item_id: UUID) -> dict[str, Any]:
        item = self.items.get(str(item_id))
        if item is None:
            raise InvalidField("item_id", "unknown_item")
        if item["dropped"]:
            raise RuleBroken("item_id", "item_dropped")
        return item

    @event(ItemAdded)
    def _item_added(self, item_id: UUID, kind: str, theme: str, host_centre_id: UUID | None, month: int) -> None:
        self.items[str(item_id)] = dict(
            kind=kind, theme=theme, host=_str(host_centre_id), month=month, dropped=False
        )

    @event(ItemChanged)
    def _item_changed(
        self, item_id: UUID, kind: str, theme: str, host_centre_id: UUID | None, month: int, reason: str
    ) -> None:
        self.items[str(item_id)].update(kind=kind, theme=theme, host=_str(host_centre_id), month=month)

    @event(ItemDropped)
    def _item_dropped(self, item_id: UUID, reason: str) -> None:
        self.items[str(item_id)]["dropped"] = True

    @event(ItemLinked)
    def _item_linked(self, item_id: UUID, activity_id: UUID) -> None:
        self.linked[str(activity_id)] = str(item_id)

    @event(ItemUnlinked)
    def _item_unlinked(self, item_id: UUID, activity_id: UUID) -> None:
        del self.linked[str(activity_id)]

    # Publication and report -----------------------------------------------------------

    class Published(Aggregate.Event):
        published_on: date

    class ReportAdopted(Aggregate.Event):
        """The year's report as the annual meeting adopted it: plan against what was held."""

        adopted_on: date
        items: int
        held: int
        cancelled: int
        not_held: int
        dropped: int
        unplanned: int

    def publish(self, published_on: date) -> None:
        if self.status != "draft":
            raise RuleBroken(None, "plan_already_published" if self.status == "published" else "report_adopted")
        if not any(not item["dropped"] for item in self.items.values()):
            raise RuleBroken(None, "plan_has_no_items")
        self._published(published_on)

    def adopt_report(self, adopted_on: date, **figures: int) -> None:
        self.check_report_adoptable()
        if set(figures) != set(REPORT_FIGURES):
            raise InvalidField(None, "invalid")
        for name in REPORT_FIGURES:
            if check_positive(name, figures[name]) is None:
                raise InvalidField(name, "invalid_number")
        self._report_adopted(adopted_on=adopted_on, **figures)

    def check_report_adoptable(self) -> None:
        """The year's report may be adopted: the plan is published and its report not yet adopted."""
        if self.status == "draft":
            raise RuleBroken("report_year", "plan_not_published")
        if self.status == "closed":
            raise RuleBroken("report_year", "report_already_adopted")

    @event(Published)
    def _published(self, published_on: date) -> None:
        self.status = "published"

    @event(ReportAdopted)
    def _report_adopted(
        self, adopted_on: date, items: int, held: int, cancelled: int, not_held: int, dropped: int, unplanned: int
    ) -> None:
        self.status = "closed"

    def _require_open(self) -> None:
        if self.status == "closed":
            raise RuleBroken(None, "report_adopted")


def _item(kind: str, theme: str, month: int, **more: str) -> dict[str, Any]:
    check = Validation()
    fields: dict[str, Any] = dict(
        kind=check(check_choice, "kind", kind, KINDS),
        theme=check(check_text, "theme", theme, max_length=THEME_MAX),
        month=check(_check_month, "month", month),
    )
    if "reason" in more:
        fields["reason"] = check(check_text, "reason", more["reason"], max_length=REASON_MAX, required=False)
    check.done()
    return fields


def _check_month(field: str, month: int) -> int:
    if not isinstance(month, int) or isinstance(month, bool) or not 1 <= month <= 12:
        raise InvalidField(field, "invalid_month")
    return month


def _str(value: UUID | None) -> str:
    return str(value) if value else ""
