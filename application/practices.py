"""Commands on practices: shared, revised, endorsed, adopted, retired.

The centres that share, endorse or adopt a practice must be members in good standing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import UUID

from application.base import Commands
from domain.practice import Practice


class Practices(Commands):
    def share_practice(self, *, centre_id: UUID, **content: Any) -> tuple[UUID, int]:
        self._member_in_good_standing(centre_id, "centre_id")
        practice = Practice.share(centre_id=centre_id, **content)
        return practice.id, self._save(practice)

    def revise_practice(self, practice_id: UUID, *, note: str = "", **content: Any) -> int:
        return self._change(practice_id, Practice, lambda p: p.revise(note=note, **content))

    def endorse_practice(self, practice_id: UUID, centre_id: UUID, comment: str) -> int:
        self._member_in_good_standing(centre_id, "centre_id")
        return self._change(practice_id, Practice, lambda p: p.endorse(centre_id, comment))

    def adopt_practice(
        self, practice_id: UUID, *, centre_id: UUID, adaptation_notes: str, context: str = "",
        adopted_on: date | None = None,
    ) -> int:
        self._member_in_good_standing(centre_id, "centre_id")
        today = self.today()
        return self._change(
            practice_id,
            Practice,
            lambda p: p.adopt(
                centre_id=centre_id, adopted_on=adopted_on or today, adaptation_notes=adaptation_notes,
                context=context, today=today,
            ),
        )

    def record_adoption_outcome(
        self, practice_id: UUID, centre_id: UUID, results: Mapping[str, int | None], note: str = ""
    ) -> int:
        return self._change(practice_id, Practice, lambda p: p.record_adoption_outcome(centre_id, results, note))

    def retire_practice(self, practice_id: UUID, reason: str) -> int:
        return self._change(practice_id, Practice, lambda p: p.retire(reason))
