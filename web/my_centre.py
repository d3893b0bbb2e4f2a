"""The signed-in home page of a centre's people, "My centre": what is coming and what is waiting for them.

Each part is a bounded, indexed query (``projections.my_centre``); the parts a user cannot act on are
left out (applications for the chair and the secretariat, practices to endorse for coordinators)."""

from __future__ import annotations

from typing import Any

from projections.centres import CentresDirectory
from projections.my_centre import MyCentre
from projections.network import NetworkGovernance
from web.context import Services
from web.policy import Subject, User, can


def my_centre_context(services: Services, user: User) -> dict[str, Any]:
    db, today, centre_id = services.db, services.app.today(), str(user.centre_id)
    handover = MyCentre.coming_handover(db)
    chair = NetworkGovernance.current_chair(db, today)
    next_in_line = None
    if handover is None:  # none recorded yet: who the rotation brings next
        next_in_line = NetworkGovernance.next_in_rotation(
            NetworkGovernance.rotation(db), chair["centre_id"] if chair else None
        )
    own = Subject(owner_centre_id=user.centre_id, acting_centre_id=user.centre_id)
    return {
        "centre": CentresDirectory.get(db, centre_id),
        "next_activities": MyCentre.next_activities(db, centre_id, today),
        "outcomes_due": MyCentre.outcomes_due(db, centre_id, today) if can(user, "activity.outcome", own) else [],
        "applications": MyCentre.applications(db) if can(user, "centre.admit", Subject()) and user.is_chair else [],
        "decides_applications": can(user, "centre.admit", Subject()) and user.is_chair,
        "handover": handover,
        "chair": chair,
        "next_in_line": next_in_line,
        "practices_to_endorse": (
            MyCentre.practices_to_endorse(db, centre_id) if can(user, "practice.endorse", own) else []
        ),
        "endorses": can(user, "practice.endorse", own),
        "reports_outcomes": can(user, "activity.outcome", own),
    }
