"""The practices' forms: sharing, revising, endorsing, adopting and an adoption's outcome. Lists travel
as text: ticked boxes and tags comma-separated, links one per line."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import msgspec

from domain.practice_content import FIGURES
from web.forms import commas, lines

LISTS = ("target_groups",)


def joined(data: Any) -> Any:
    """Ticked boxes come as a list (or one string); forms take them comma-separated."""
    if not isinstance(data, dict):
        return data
    return {
        key: ",".join(v for v in value if isinstance(v, str)) if key in LISTS and isinstance(value, list) else value
        for key, value in data.items()
    }


def figures(form: Any) -> dict[str, int | None]:
    """The result figures a form carries."""
    return {name: getattr(form, name) for name in FIGURES}


class PracticeContentForm(msgspec.Struct, kw_only=True):
    title: str = ""
    problem: str = ""
    method: str = ""
    target_groups: str = ""  # the ticked boxes, comma-separated by ``joined``
    tags: str = ""  # comma-separated
    country: str = ""
    source_project: str = ""
    links: str = ""  # one per line
    reached: int | None = None
    trained: int | None = None
    consulted: int | None = None
    reactivated: int | None = None
    target: int | None = None

    def content(self) -> dict[str, Any]:
        """The practice's content as the application's commands take it."""
        return dict(
            title=self.title, problem=self.problem, method=self.method, target_groups=commas(self.target_groups),
            tags=commas(self.tags), country=self.country, source_project=self.source_project,
            links=lines(self.links), results=figures(self),
        )


class PracticeForm(PracticeContentForm, kw_only=True):
    centre_id: UUID


class RevisionForm(PracticeContentForm, kw_only=True):
    note: str = ""


class EndorsementForm(msgspec.Struct, kw_only=True):
    centre_id: UUID
    comment: str = ""


class AdoptionForm(msgspec.Struct, kw_only=True):
    centre_id: UUID
    adaptation_notes: str = ""
    context: str = ""
    adopted_on: date | None = None


class AdoptionOutcomeForm(msgspec.Struct, kw_only=True):
    centre_id: UUID
    reached: int | None = None
    trained: int | None = None
    consulted: int | None = None
    reactivated: int | None = None
    target: int | None = None
    note: str = ""
