"""The commands the network, plan and practice pages can send: each a form and the one application
method it calls. ``run`` gets the services (the annual meeting adopts a report computed from the
read models), the page's key (a year, a practice id, or nothing) and the parsed form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import msgspec

from domain.errors import InvalidField
from domain.practice_content import FIGURES
from projections.plans import Plans
from web import governance_forms as g
from web.context import Services
from web.forms import NoFields, ReasonForm


@dataclass(frozen=True)
class Action:
    form: type[msgspec.Struct]
    run: Callable[[Services, Any, Any], Any]


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def commas(text: str) -> list[str]:
    return [part for part in text.split(",") if part.strip()]


def centre_ids(text: str) -> list[UUID]:
    try:
        return [UUID(part.strip()) for part in commas(text)]
    except ValueError:
        raise InvalidField("order", "unknown_centre") from None


def figures(form: Any) -> dict[str, int | None]:
    return {name: getattr(form, name) for name in FIGURES}


def content(form: g.PracticeContentForm) -> dict[str, Any]:
    return dict(
        title=form.title, problem=form.problem, method=form.method, target_groups=commas(form.target_groups),
        tags=commas(form.tags), country=form.country, source_project=form.source_project, links=lines(form.links),
        results=figures(form),
    )


def _meeting(s: Services, report_year: int, form: Any) -> int:
    return s.app.network.record_annual_meeting(
        held_on=form.held_on, report_year=report_year, next_chair_id=form.next_chair_id,
        priorities=lines(form.priorities), report=Plans.report(s.db, report_year),
    )


NETWORK_ACTIONS: dict[str, Action] = {
    "rotation": Action(
        g.RotationForm,
        lambda s, _, form: s.app.network.set_rotation(
            centre_ids(form.order) + ([form.centre_id] if form.centre_id else [])
        ),
    ),
    "handover": Action(
        g.HandoverForm, lambda s, _, form: s.app.network.hand_over_chair(form.year, form.centre_id, form.handed_over_on)
    ),
    "correct": Action(
        g.HandoverCorrectionForm, lambda s, _, form: s.app.network.correct_handover(form.year, form.centre_id, form.reason)
    ),
    "meeting": Action(g.MeetingForm, lambda s, _, form: _meeting(s, form.report_year, form)),
}

PLAN_ACTIONS: dict[str, Action] = {
    "draft": Action(g.PlanDraftForm, lambda s, year, form: s.app.plans.draft_plan(year, lines(form.priorities))),
    "item": Action(
        g.PlanItemForm,
        lambda s, year, form: s.app.plans.add_plan_item(
            year, kind=form.kind, theme=form.theme, month=form.month, host_centre_id=form.host_centre_id
        ),
    ),
    "publish": Action(NoFields, lambda s, year, form: s.app.plans.publish_plan(year)),
    "change": Action(
        g.PlanItemChangeForm,
        lambda s, year, form: s.app.plans.change_plan_item(
            year, form.item_id, kind=form.kind, theme=form.theme, month=form.month,
            host_centre_id=form.host_centre_id, reason=form.reason,
        ),
    ),
    "drop": Action(g.PlanItemDropForm, lambda s, year, form: s.app.plans.drop_plan_item(year, form.item_id, form.reason)),
    "link": Action(
        g.PlanItemLinkForm, lambda s, year, form: s.app.plans.link_plan_item(year, form.item_id, form.activity_id)
    ),
    "report": Action(g.ReportAdoptionForm, _meeting),
}

PRACTICE_ACTIONS: dict[str, Action] = {
    "revise": Action(
        g.RevisionForm, lambda s, i, form: s.app.practices.revise_practice(i, note=form.note, **content(form))
    ),
    "endorse": Action(
        g.EndorsementForm, lambda s, i, form: s.app.practices.endorse_practice(i, form.centre_id, form.comment)
    ),
    "adopt": Action(
        g.AdoptionForm,
        lambda s, i, form: s.app.practices.adopt_practice(
            i, centre_id=form.centre_id, adaptation_notes=form.adaptation_notes, context=form.context,
            adopted_on=form.adopted_on,
        ),
    ),
    "outcome": Action(
        g.AdoptionOutcomeForm,
        lambda s, i, form: s.app.practices.record_adoption_outcome(i, form.centre_id, figures(form), form.note),
    ),
    "retire": Action(ReasonForm, lambda s, i, form: s.app.practices.retire_practice(i, form.reason)),
}


def share(s: Services, form: g.PracticeForm) -> tuple[UUID, int]:
    return s.app.practices.share_practice(centre_id=form.centre_id, **content(form))

