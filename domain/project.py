"""A funded project (проект): EEA/Norway Grants, ESF, Erasmus+ or national money, its indicators and reports.

Modelled as the funders' own tools do (IATI: indicator -> period with baseline, target
and actual; the Erasmus+ Beneficiary Module: participating organisations, interim and
final reports) and beyond them: every figure keeps its history. A reported progress
value is never overwritten; a changed figure is a correction beside the first report.
A submitted report carries its figures, so it stays as it was submitted.

Amounts are decimals in the currency of the contract, kept in events as strings.
Who may change a project (the beneficiary's and partners' coordinators, the
secretariat) is decided by the web policy; the rules of the record live here.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.checks import Validation, check_choice, check_link, check_text
from domain.errors import DatesOutOfOrder, InvalidField, RuleBroken

FUNDERS = ("eea_norway", "esf", "erasmus_plus", "national", "other")
CURRENCIES = ("EUR", "BGN")
STATUSES = ("planned", "running", "closed", "cancelled")
REPORT_KINDS = ("interim", "final")
EUR_IN_BGN = Decimal("1.95583")  # the fixed rate at which Bulgaria adopted the euro on 1 January 2026
REPORTING_WINDOW = timedelta(days=90)  # progress may be reported this long after the project's end
CODE_MAX, TITLE_MAX, TEXT_MAX, NAME_MAX = 60, 300, 4000, 200
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)


def in_euro(amount: Decimal, currency: str) -> Decimal:
    """The euro value of an amount, to the cent (a lev amount at the fixed rate)."""
    value = amount / EUR_IN_BGN if currency == "BGN" else amount
    return value.quantize(Decimal("0.01"))


def check_day(field: str, value: date | None, *, required: bool = True) -> date | None:
    if value is None and not required:
        return None
    if not isinstance(value, date) or not FIRST_DAY <= value <= LAST_DAY:
        raise InvalidField(field, "invalid_date")
    return value


def check_amount(field: str, value: Decimal | str) -> str:
    """A non-negative amount with at most two decimals, as the string an event keeps ("" when not known)."""
    if value == "":
        return ""
    try:
        amount = Decimal(str(value).replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise InvalidField(field, "invalid_number") from None
    if not amount.is_finite() or amount < 0 or amount > Decimal("1e12") or amount != amount.quantize(Decimal("0.01")):
        raise InvalidField(field, "invalid_number")
    return str(amount.quantize(Decimal("0.01")))


def check_figure(field: str, value: Decimal | str | int) -> str:
    """An indicator figure: a non-negative decimal, as a string."""
    try:
        figure = Decimal(str(value).replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise InvalidField(field, "invalid_number") from None
    if not figure.is_finite() or figure < 0 or figure > Decimal("1e9"):
        raise InvalidField(field, "invalid_number")
    return format(figure.normalize(), "f")  # "80", never "8E+1"


def check_partners(partners: list[dict[str, str]]) -> list[dict[str, str]]:
    cleaned = []
    for partner in partners:
        name = check_text("partners", partner.get("name", ""), max_length=NAME_MAX, required=False)
        if name:
            country = check_text("partners", partner.get("country", ""), max_length=60, required=False)
            cleaned.append({"name": name, "country": country, "centre_id": partner.get("centre_id", "")})
    return cleaned


class Project(Aggregate):
    """A funded project, its beneficiary and partners, indicators, links and reports."""

    class Registered(Aggregate.Created):
        code: str
        title: str
        funder: str
        programme: str
        component: str
        beneficiary: str
        beneficiary_centre_id: UUID | None
        centre_ids: list[UUID]
        partners: list[dict[str, str]]
        total_value: str
        currency: str
        starts_on: date
        planned_end: date
        target_group: str
        objectives: str

    @event(Registered)
    def __init__(
        self, code: str, title: str, funder: str, programme: str, component: str, beneficiary: str,
        beneficiary_centre_id: UUID | None, centre_ids: list[UUID], partners: list[dict[str, str]],
        total_value: str, currency: str, starts_on: date, planned_end: date, target_group: str, objectives: str,
    ) -> None:
        self.code = code
        self.title = title
        self.beneficiary_centre_id = beneficiary_centre_id
        self.centre_ids = list(centre_ids)
        self.starts_on = starts_on
        self.planned_end = planned_end
        self.actual_end: date | None = None
        self.status = "planned"
        self.indicators: dict[str, dict[str, Any]] = {}
        self.reports: dict[str, date] = {}  # period key -> submitted on
        self.activity_ids: set[str] = set()
        self.partner_names = {p["name"].casefold() for p in partners}  # case-folded, to refuse a partner twice

    @classmethod
    def register(
        cls, *, code: str, title: str, funder: str, programme: str = "", component: str = "", beneficiary: str,
        beneficiary_centre_id: UUID | None = None, centre_ids: list[UUID] | None = None,
        partners: list[dict[str, str]] | None = None, total_value: Decimal | str, currency: str,
        starts_on: date, planned_end: date, target_group: str = "", objectives: str = "",
    ) -> Project:
        check = Validation()
        fields = dict(
            code=check(check_text, "code", code, max_length=CODE_MAX),
            title=check(check_text, "title", title, max_length=TITLE_MAX),
            funder=check(check_choice, "funder", funder, FUNDERS),
            programme=check(check_text, "programme", programme, max_length=TITLE_MAX, required=False),
            component=check(check_text, "component", component, max_length=TITLE_MAX, required=False),
            beneficiary=check(check_text, "beneficiary", beneficiary, max_length=NAME_MAX),
            partners=check(check_partners, list(partners or [])),
            total_value=check(check_amount, "total_value", total_value),
            currency=check(check_choice, "currency", currency, CURRENCIES),
            starts_on=check(check_day, "starts_on", starts_on),
            planned_end=check(check_day, "planned_end", planned_end),
            target_group=check(check_text, "target_group", target_group, max_length=TEXT_MAX, required=False),
            objectives=check(check_text, "objectives", objectives, max_length=TEXT_MAX, required=False),
        )
        check.done()
        if fields["planned_end"] < fields["starts_on"]:
            raise DatesOutOfOrder("planned_end")
        centres = list(dict.fromkeys([*([beneficiary_centre_id] if beneficiary_centre_id else []), *(centre_ids or [])]))
        return cls(beneficiary_centre_id=beneficiary_centre_id, centre_ids=centres, **fields)

    # Status ------------------------------------------------------------------------------

    class Started(Aggregate.Event):
        started_on: date

    class Closed(Aggregate.Event):
        actual_end: date

    class Cancelled(Aggregate.Event):
        reason: str

    def start(self, started_on: date) -> None:
        if self.status != "planned":
            raise RuleBroken(None, "project_not_planned")
        started_on = check_day("started_on", started_on)  # type: ignore[assignment]
        self._started(started_on)

    def close(self, actual_end: date) -> None:
        if self.status not in ("planned", "running"):
            raise RuleBroken(None, "project_not_running")
        actual_end = check_day("actual_end", actual_end)  # type: ignore[assignment]
        if actual_end < self.starts_on:
            raise DatesOutOfOrder("actual_end")
        self._closed(actual_end)

    def cancel(self, reason: str) -> None:
        if self.status not in ("planned", "running"):
            raise RuleBroken(None, "project_not_running")
        self._cancelled(check_text("reason", reason, max_length=TEXT_MAX))

    @event(Started)
    def _started(self, started_on: date) -> None:
        self.status = "running"

    @event(Closed)
    def _closed(self, actual_end: date) -> None:
        self.status = "closed"
        self.actual_end = actual_end

    @event(Cancelled)
    def _cancelled(self, reason: str) -> None:
        self.status = "cancelled"

    # The code, corrected (the seeds disagree on it: a correction, not an edit) ------------

    class CodeCorrected(Aggregate.Event):
        code: str
        was: str
        note: str

    def correct_code(self, code: str, note: str) -> None:
        code = check_text("code", code, max_length=CODE_MAX)
        if code == self.code:
            raise RuleBroken("code", "nothing_changed")
        self._code_corrected(code, self.code, check_text("note", note, max_length=TEXT_MAX))

    @event(CodeCorrected)
    def _code_corrected(self, code: str, was: str, note: str) -> None:
        self.code = code

    # Indicators and their progress ---------------------------------------------------------

    class IndicatorDefined(Aggregate.Event):
        key: str
        name: str
        unit: str
        baseline: str
        target: str

    class ProgressReported(Aggregate.Event):
        key: str
        period: str
        value: str
        as_of: date
        source: str

    class ProgressCorrected(Aggregate.Event):
        key: str
        period: str
        value: str
        was: str
        as_of: date
        source: str
        note: str

    def define_indicator(self, *, key: str, name: str, unit: str, baseline: Decimal | str | int = 0,
                         target: Decimal | str | int) -> None:
        self._require_open()
        check = Validation()
        key = check(check_text, "key", key, max_length=60)
        name = check(check_text, "name", name, max_length=TITLE_MAX)
        unit = check(check_text, "unit", unit, max_length=60)
        baseline_ = check(check_figure, "baseline", baseline)
        target_ = check(check_figure, "target", target)
        check.done()
        if key in self.indicators:
            raise RuleBroken("key", "indicator_exists")
        self._indicator_defined(key, name, unit, baseline_, target_)

    def report_progress(self, *, key: str, period: str, value: Decimal | str | int, as_of: date, source: str = "") -> None:
        indicator = self._indicator(key)
        if self.status == "closed":
            raise RuleBroken(None, "project_closed")
        if self.status == "cancelled":
            raise RuleBroken(None, "project_cancelled")
        check = Validation()
        period = check(check_text, "period", period, max_length=60)
        value_ = check(check_figure, "value", value)
        as_of = check(self._check_as_of, as_of)
        source = check(check_text, "source", source, max_length=NAME_MAX, required=False)
        check.done()
        if period in indicator["periods"]:
            raise RuleBroken("period", "progress_reported")  # a changed figure is a correction
        self._progress_reported(key, period, value_, as_of, source)

    def correct_progress(self, *, key: str, period: str, value: Decimal | str | int, as_of: date, note: str,
                         source: str = "") -> None:
        indicator = self._indicator(key)
        if period not in indicator["periods"]:
            raise RuleBroken("period", "no_progress_to_correct")
        check = Validation()
        value_ = check(check_figure, "value", value)
        as_of = check(self._check_as_of, as_of)
        note = check(check_text, "note", note, max_length=TEXT_MAX)
        source = check(check_text, "source", source, max_length=NAME_MAX, required=False)
        check.done()
        was = indicator["periods"][period]
        if value_ == was:
            raise RuleBroken("value", "nothing_changed")
        self._progress_corrected(key, period, value_, was, as_of, source, note)

    def _check_as_of(self, as_of: date) -> date:
        check_day("as_of", as_of)
        last = (self.actual_end or self.planned_end) + REPORTING_WINDOW
        if as_of < self.starts_on or as_of > last:
            raise InvalidField("as_of", "outside_project_period")
        return as_of

    def _indicator(self, key: str) -> dict[str, Any]:
        if key not in self.indicators:
            raise RuleBroken("key", "unknown_indicator")
        return self.indicators[key]

    @event(IndicatorDefined)
    def _indicator_defined(self, key: str, name: str, unit: str, baseline: str, target: str) -> None:
        self.indicators[key] = {"name": name, "unit": unit, "baseline": baseline, "target": target, "periods": {}}

    @event(ProgressReported)
    def _progress_reported(self, key: str, period: str, value: str, as_of: date, source: str) -> None:
        self.indicators[key]["periods"][period] = value

    @event(ProgressCorrected)
    def _progress_corrected(self, key: str, period: str, value: str, was: str, as_of: date, source: str, note: str) -> None:
        self.indicators[key]["periods"][period] = value

    # Partners added after the registration ---------------------------------------------------

    class PartnerAdded(Aggregate.Event):
        """A partner joined the project; a partner that is a centre of the network is involved in it from now on."""

        name: str
        country: str
        centre_id: UUID | None

    def add_partner(self, *, name: str, country: str = "", centre_id: UUID | None = None) -> None:
        self._require_open()
        check = Validation()
        name = check(check_text, "name", name, max_length=NAME_MAX)
        country = check(check_text, "country", country, max_length=60, required=False)
        check.done()
        if name.casefold() in self.partner_names:
            raise RuleBroken("name", "partner_exists")
        if centre_id is not None and centre_id in self.centre_ids:
            raise RuleBroken("centre_id", "centre_involved")
        self._partner_added(name, country, centre_id)

    @event(PartnerAdded)
    def _partner_added(self, name: str, country: str, centre_id: UUID | None) -> None:
        self.partner_names.add(name.casefold())
        if centre_id is not None:
            self.centre_ids.append(centre_id)

    # Links: activities and deliverables -----------------------------------------------------

    class ActivityLinked(Aggregate.Event):
        activity_id: UUID
        role: str

    class DeliverableAdded(Aggregate.Event):
        title: str
        kind: str
        link: str

    def link_activity(self, activity_id: UUID, role: str = "") -> None:
        if str(activity_id) in self.activity_ids:
            raise RuleBroken("activity_id", "activity_linked")
        self._activity_linked(activity_id, check_text("role", role, max_length=NAME_MAX, required=False))

    def add_deliverable(self, *, title: str, kind: str = "", link: str = "") -> None:
        check = Validation()
        title = check(check_text, "title", title, max_length=TITLE_MAX)
        kind = check(check_text, "kind", kind, max_length=60, required=False)
        link = check(check_link, "link", link)
        check.done()
        self._deliverable_added(title, kind, link)

    @event(ActivityLinked)
    def _activity_linked(self, activity_id: UUID, role: str) -> None:
        self.activity_ids.add(str(activity_id))

    @event(DeliverableAdded)
    def _deliverable_added(self, title: str, kind: str, link: str) -> None:
        pass

    # Reports: computed from the record, frozen when submitted ------------------------------

    class ReportSubmitted(Aggregate.Event):
        """The report as submitted: its figures travel in the event, so later corrections leave it be."""

        kind: str
        period: str
        submitted_on: date
        code: str
        title: str
        indicators: dict[str, dict[str, str]]  # key -> name, unit, baseline, target, actual
        progress: dict[str, dict[str, str]]  # key -> period -> value, as the record stood
        activity_ids: list[str]

    def submit_report(self, *, kind: str, period: str, submitted_on: date) -> None:
        kind = check_choice("kind", kind, REPORT_KINDS)
        period = check_text("period", period, max_length=60)
        check_day("submitted_on", submitted_on)
        if f"{kind}:{period}" in self.reports:
            raise RuleBroken("period", "report_submitted")
        if kind == "final" and self.status != "closed":
            raise RuleBroken("kind", "final_report_before_close")
        indicators, progress = self.figures()
        self._report_submitted(kind, period, submitted_on, self.code, self.title, indicators, progress,
                               sorted(self.activity_ids))

    @event(ReportSubmitted)
    def _report_submitted(
        self, kind: str, period: str, submitted_on: date, code: str, title: str,
        indicators: dict[str, dict[str, str]], progress: dict[str, dict[str, str]], activity_ids: list[str],
    ) -> None:
        self.reports[f"{kind}:{period}"] = submitted_on

    def figures(self) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
        """Each indicator's target and actual (its periods' latest values summed), and the values per period."""
        indicators, progress = {}, {}
        for key, ind in self.indicators.items():
            actual = sum((Decimal(v) for v in ind["periods"].values()), Decimal(0))
            indicators[key] = {
                "name": ind["name"], "unit": ind["unit"], "baseline": ind["baseline"], "target": ind["target"],
                "actual": format(actual.normalize(), "f"),
            }
            progress[key] = dict(ind["periods"])
        return indicators, progress

    def _require_open(self) -> None:
        if self.status in ("closed", "cancelled"):
            raise RuleBroken(None, f"project_{self.status}")
