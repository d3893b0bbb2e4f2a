"""What the practice pages show: the library with its search and filters, and one practice with its
versions, endorsements, adoptions and transfer path."""

from __future__ import annotations

import re
from typing import Any

from litestar.exceptions import NotFoundException

from domain.practice_content import COUNTRIES, FIGURES, TARGET_GROUPS
from projections.network import NetworkGovernance
from projections.practice_queries import SORTS, PracticeFilter
from projections.practices import PracticeLibrary
from web.commands import Outcome
from web.context import Services
from web.forms import centres_to_act_for
from web.labels import label


def practice_filter(q: str, tag: str, group: str, country: str, centre: str, sort: str) -> PracticeFilter:
    """Unknown filter values are dropped rather than refused: a filter link never breaks."""
    return PracticeFilter(
        q=q.replace("\x00", "")[:200],
        tag=tag.replace("\x00", "")[:40],
        group=group if group in TARGET_GROUPS else "",
        country=country if country in COUNTRIES else "",
        centre_id=centre if re.fullmatch(r"[0-9a-f-]{36}", centre) else "",
        sort=sort if sort in SORTS else "adoptions",
    )


def form_options(services: Services) -> dict[str, Any]:
    return {
        "member_options": [(c["id"], c["name"]) for c in NetworkGovernance.members(services.db)],
        "group_options": list(TARGET_GROUPS),
        "country_options": sorted(((code, label("country", code)) for code in COUNTRIES), key=lambda pair: pair[1]),
        "figures": FIGURES,
    }


def content_values(practice: dict[str, Any]) -> dict[str, str]:
    """A practice's content as its form shows it, to revise from."""
    values = {name: practice[name] for name in ("title", "problem", "method", "country", "source_project")}
    values.update(
        target_groups=",".join(practice["target_groups"]), tags=", ".join(practice["tags"]),
        links="\n".join(practice["links"]),
        **{name: str(practice["results"].get(name, "")) for name in FIGURES},
    )
    return values


def practice_value(key: str, value: Any) -> str:
    """A field of a practice's version as one line of text."""
    if value in (None, "", [], {}):
        return "—"
    if key == "target_groups":
        return ", ".join(label("target_group", v) for v in value)
    if key in ("tags", "links"):
        return ", ".join(value)
    if key == "country":
        return label("country", value)
    if key == "results":
        return ", ".join(f"{label('figure', k)}: {v}" for k, v in value.items())
    return str(value)


def library_context(
    services: Services, flt: PracticeFilter, outcome: Outcome | None = None, user: Any = None
) -> dict[str, Any]:
    outcome = outcome or Outcome(ok=True)
    db = services.db
    options = form_options(services)
    return {
        "filter": flt,
        "practices": PracticeLibrary.search(db, flt),
        "tags": PracticeLibrary.tags(db),
        "countries": PracticeLibrary.countries(db),
        "centres": PracticeLibrary.sharing_centres(db),
        "created": str(outcome.result[0]) if outcome.ok and outcome.result else None,
        "errors": outcome.errors,
        "values": outcome.values,
        "pending": outcome.pending,
        **options,
        "share_options": centres_to_act_for(options["member_options"], user),  # who may share it: as whom
    }


def practice_context(
    services: Services, practice_id: str, outcome: Outcome | None = None, action: str = "", version: str = "",
    user: Any = None,
) -> dict[str, Any]:
    db = services.db
    practice = PracticeLibrary.get(db, practice_id)
    if practice is None:
        raise NotFoundException()
    outcome = outcome or Outcome(ok=True)
    versions = PracticeLibrary.versions(db, practice_id)
    shown = next((v for v in versions if str(v["version"]) == version), None)
    adoptions = PracticeLibrary.adoptions(db, practice_id)
    endorsements = PracticeLibrary.endorsements(db, practice_id)
    others = [(str(c["id"]), c["name"]) for c in NetworkGovernance.members(db) if str(c["id"]) != str(practice["centre_id"])]
    return {
        "practice": practice,
        "current": content_values(practice),
        "shown": shown or practice,
        "old_version": shown is not None and shown["version"] != practice["version"],
        "versions": list(reversed(versions)),
        "endorsements": endorsements,
        "adoptions": adoptions,
        "path": PracticeLibrary.transfer_path(practice, adoptions),
        "adopters": [(a["centre_id"], a["centre_name"]) for a in adoptions],
        "practice_value": practice_value,
        "today": services.app.today().isoformat(),
        "failed": "" if outcome.ok else action,
        "done": action if outcome.ok else "",
        "errors": outcome.errors,
        "values": outcome.values,
        "pending": outcome.pending,
        **form_options(services),
        # the centres this user may still endorse it or adopt it for: never its own, never twice
        "endorse_options": centres_to_act_for(
            [(c, n) for c, n in others if c not in {str(e["centre_id"]) for e in endorsements}], user
        ),
        "adopt_options": centres_to_act_for([(c, n) for c, n in others if c not in {str(a["centre_id"]) for a in adoptions}], user),
    }
