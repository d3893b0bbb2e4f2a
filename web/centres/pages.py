"""What the centre pages show: the directory, and one centre's profile with its staff, its activities,
its Quality Label and its history."""

from __future__ import annotations

from typing import Any

from litestar.exceptions import NotFoundException

from domain.centre import LABEL_STATES, STAFF_ROLES
from projections.projects import ProjectRegister
from projections.calendar import Calendar
from projections.centres import CentresDirectory
from projections.timeline import Timeline
from web.commands import Outcome
from web.context import Services
from web.feeds.routes import subscription
from infra.feed_tokens import centre_scope


def directory_context(services: Services, q: str = "", outcome: Outcome | None = None) -> dict[str, Any]:
    outcome = outcome or Outcome(ok=True)
    centres = CentresDirectory.search(services.db, q)
    return {
        "q": q,
        "centres": centres,
        "counts": Calendar.activity_counts(services.db, [c["id"] for c in centres]),
        "errors": outcome.errors,
        "values": outcome.values,
        "created": str(outcome.result[0]) if outcome.ok and outcome.result else None,
        "pending": outcome.pending,
    }


def public_directory_context(services: Services, q: str = "") -> dict[str, Any]:
    """What a visitor sees: the member centres, each with its city, its Quality Label and how many
    activities it hosted and joined; no staff, no contacts."""
    centres = CentresDirectory.search(services.db, q, members_only=True)
    return {
        "q": q,
        "centres": centres,
        "counts": Calendar.activity_counts(services.db, [c["id"] for c in centres]),
        "public": True,
    }


def public_profile_context(services: Services, centre_id: str) -> dict[str, Any]:
    """A centre's public face: who it is and what it did; only centres that have been members have one."""
    centre = CentresDirectory.get(services.db, centre_id)
    if centre is None or centre["membership"] not in ("admitted", "suspended", "left"):
        raise NotFoundException()
    return {
        "centre": centre,
        "hosted": Calendar.hosted_by(services.db, centre_id),
        "attended": Calendar.attended_by(services.db, centre_id),
        "projects": ProjectRegister.search(services.db, centre=centre_id),
    }


def profile_context(services: Services, centre_id: str, outcome: Outcome | None = None, action: str = "") -> dict[str, Any]:
    centre = CentresDirectory.get(services.db, centre_id)
    if centre is None:
        raise NotFoundException()
    timeline = Timeline.of(services.db, centre_id)
    outcome = outcome or Outcome(ok=True)
    return {
        "centre": centre,
        "staff": CentresDirectory.staff(services.db, centre_id),
        "roles": STAFF_ROLES,
        "label_states": LABEL_STATES,
        "hosted": Calendar.hosted_by(services.db, centre_id),
        "attended": Calendar.attended_by(services.db, centre_id),
        "projects": ProjectRegister.search(services.db, centre=centre_id),
        "timeline": timeline,
        "label_history": [e for e in timeline if e["event"].startswith("centre.label_")],
        "failed": "" if outcome.ok else action,
        "done": action if outcome.ok else "",
        "errors": outcome.errors,
        "values": outcome.values,
        "pending": outcome.pending,
        # called by the page only for those who may manage it: the URL is a credential
        "centre_subscription": lambda: subscription(services, centre_scope(centre_id)),
    }
