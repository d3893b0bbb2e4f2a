"""A good practice or innovative service (добра практика) that travels from centre to centre.

A centre shares it; it is revised (every version kept, each revision naming the
fields it changed); other centres endorse it with a comment and adopt it with
their adaptation notes, later reporting the figures their adoption reached; it
may be retired. A centre never endorses or adopts its own practice. Whether a
centre is a member in good standing is checked by the application.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.checks import Validation, check_text
from domain.errors import DomainError, InvalidFields, RuleBroken
from domain.network import check_date
from domain.practice_content import CONTENT, NOTE_MAX, TEXT_MAX, checked_content, checked_results

class Practice(Aggregate):
    """A practice, shared by a centre of the network."""

    class Shared(Aggregate.Created):
        centre_id: UUID
        title: str
        problem: str
        method: str
        target_groups: list[str]
        tags: list[str]
        country: str
        source_project: str
        links: list[str]
        results: dict[str, int]

    @event(Shared)
    def __init__(
        self,
        centre_id: UUID,
        title: str,
        problem: str,
        method: str,
        target_groups: list[str],
        tags: list[str],
        country: str,
        source_project: str,
        links: list[str],
        results: dict[str, int],
    ) -> None:
        self.centre_id = centre_id
        self.content = dict(
            title=title, problem=problem, method=method, target_groups=target_groups, tags=tags,
            country=country, source_project=source_project, links=links, results=results,
        )
        self.revision = 1
        self.retired = False
        self.endorsed_by: set[str] = set()
        self.adopted_by: dict[str, dict[str, int]] = {}

    @classmethod
    def share(cls, *, centre_id: UUID, **content: Any) -> Practice:
        return cls(centre_id=centre_id, **checked_content(**content))

    # Revisions -------------------------------------------------------------------------

    class Revised(Aggregate.Event):
        version: int
        changed: list[str]
        note: str
        title: str
        problem: str
        method: str
        target_groups: list[str]
        tags: list[str]
        country: str
        source_project: str
        links: list[str]
        results: dict[str, int]

    def revise(self, *, note: str = "", **content: Any) -> None:
        self._require_active()
        check = Validation()
        note = check(check_text, "note", note, max_length=NOTE_MAX, required=False)
        try:
            fields = checked_content(**content)
        except InvalidFields as error:
            check.errors.extend(error.errors)
        except DomainError as error:
            check.errors.append(error)
        check.done()
        changed = [name for name in CONTENT if fields[name] != self.content[name]]
        if not changed:
            raise RuleBroken(None, "nothing_changed")
        self._revised(version=self.revision + 1, changed=changed, note=note, **fields)

    @event(Revised)
    def _revised(
        self,
        version: int,
        changed: list[str],
        note: str,
        title: str,
        problem: str,
        method: str,
        target_groups: list[str],
        tags: list[str],
        country: str,
        source_project: str,
        links: list[str],
        results: dict[str, int],
    ) -> None:
        self.revision = version
        self.content = dict(
            title=title, problem=problem, method=method, target_groups=target_groups, tags=tags,
            country=country, source_project=source_project, links=links, results=results,
        )

    # Endorsements and adoptions ---------------------------------------------------------

    class Endorsed(Aggregate.Event):
        centre_id: UUID
        comment: str

    class Adopted(Aggregate.Event):
        centre_id: UUID
        adopted_on: date
        adaptation_notes: str
        context: str

    class AdoptionOutcomeRecorded(Aggregate.Event):
        centre_id: UUID
        results: dict[str, int]
        note: str

    def endorse(self, centre_id: UUID, comment: str) -> None:
        self._require_active()
        self._require_other_centre(centre_id)
        if str(centre_id) in self.endorsed_by:
            raise RuleBroken("centre_id", "already_endorsed")
        self._endorsed(centre_id, check_text("comment", comment, max_length=NOTE_MAX))

    def adopt(self, *, centre_id: UUID, adopted_on: date, adaptation_notes: str, context: str = "", today: date) -> None:
        self._require_active()
        self._require_other_centre(centre_id)
        if str(centre_id) in self.adopted_by:
            raise RuleBroken("centre_id", "already_adopted")
        check = Validation()
        adopted_on = check(check_date, "adopted_on", adopted_on, today)
        adaptation_notes = check(check_text, "adaptation_notes", adaptation_notes, max_length=NOTE_MAX)
        context = check(check_text, "context", context, max_length=TEXT_MAX, required=False)
        check.done()
        self._adopted(centre_id, adopted_on, adaptation_notes, context)

    def record_adoption_outcome(self, centre_id: UUID, results: Mapping[str, int | None], note: str = "") -> None:
        if str(centre_id) not in self.adopted_by:
            raise RuleBroken("centre_id", "not_adopted")
        check = Validation()
        figures = check(checked_results, results, required=True)
        note = check(check_text, "note", note, max_length=NOTE_MAX, required=False)
        check.done()
        if figures == self.adopted_by[str(centre_id)]:
            raise RuleBroken(None, "nothing_changed")
        self._outcome_recorded(centre_id, figures, note)

    def _require_other_centre(self, centre_id: UUID) -> None:
        if centre_id == self.centre_id:
            raise RuleBroken("centre_id", "own_practice")

    @event(Endorsed)
    def _endorsed(self, centre_id: UUID, comment: str) -> None:
        self.endorsed_by.add(str(centre_id))

    @event(Adopted)
    def _adopted(self, centre_id: UUID, adopted_on: date, adaptation_notes: str, context: str) -> None:
        self.adopted_by[str(centre_id)] = {}

    @event(AdoptionOutcomeRecorded)
    def _outcome_recorded(self, centre_id: UUID, results: dict[str, int], note: str) -> None:
        self.adopted_by[str(centre_id)] = dict(results)

    # Retirement --------------------------------------------------------------------------

    class Retired(Aggregate.Event):
        reason: str

    def retire(self, reason: str) -> None:
        self._require_active()
        self._retired(check_text("reason", reason, max_length=NOTE_MAX))

    @event(Retired)
    def _retired(self, reason: str) -> None:
        self.retired = True

    def _require_active(self) -> None:
        if self.retired:
            raise RuleBroken(None, "practice_retired")
