"""The practice library: search and filters, sharing, and each practice with its versions, endorsements,
adoptions and transfer path, and the commands on it."""

from __future__ import annotations

import re
from typing import Any

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.plugins.htmx import HTMXRequest, HTMXTemplate
from litestar.response import Redirect, Template

from domain.practice_content import COUNTRIES, FIGURES, TARGET_GROUPS
from projections.network import NetworkGovernance
from projections.practice_queries import SORTS, PracticeFilter
from projections.practices import PracticeLibrary
from web.auth import current_user
from web.commands import Outcome, answer, run_command
from web.context import Services
from web.controllers.centres import Form
from web.governance_actions import PRACTICE_ACTIONS, share
from web.governance_forms import PracticeForm
from web.governance_labels import country_label
from web.paths import known_or_404, uuid_or_404
from web.policy import Subject

LISTS = ("target_groups",)


def joined(data: Any) -> Any:
    """Ticked boxes come as a list (or one string); forms take them comma-separated."""
    if not isinstance(data, dict):
        return data
    return {
        key: ",".join(v for v in value if isinstance(v, str)) if key in LISTS and isinstance(value, list) else value
        for key, value in data.items()
    }


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
        "country_options": sorted(((code, country_label(code)) for code in COUNTRIES), key=lambda pair: pair[1]),
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


def library_context(services: Services, flt: PracticeFilter, outcome: Outcome | None = None) -> dict[str, Any]:
    outcome = outcome or Outcome(ok=True)
    db = services.db
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
        **form_options(services),
    }


def practice_context(
    services: Services, practice_id: str, outcome: Outcome | None = None, action: str = "", version: str = ""
) -> dict[str, Any]:
    db = services.db
    practice = PracticeLibrary.get(db, practice_id)
    if practice is None:
        raise NotFoundException()
    outcome = outcome or Outcome(ok=True)
    versions = PracticeLibrary.versions(db, practice_id)
    shown = next((v for v in versions if str(v["version"]) == version), None)
    adoptions = PracticeLibrary.adoptions(db, practice_id)
    return {
        "practice": practice,
        "current": content_values(practice),
        "shown": shown or practice,
        "old_version": shown is not None and shown["version"] != practice["version"],
        "versions": list(reversed(versions)),
        "endorsements": PracticeLibrary.endorsements(db, practice_id),
        "adoptions": adoptions,
        "path": PracticeLibrary.transfer_path(practice, adoptions),
        "adopters": [(a["centre_id"], a["centre_name"]) for a in adoptions],
        "today": services.app.today().isoformat(),
        "failed": "" if outcome.ok else action,
        "done": action if outcome.ok else "",
        "errors": outcome.errors,
        "values": outcome.values,
        "pending": outcome.pending,
        **form_options(services),
    }


class PracticesController(Controller):
    path = "/practices"

    @get("/", sync_to_thread=True, opt={"public": True})
    def library(
        self,
        request: HTMXRequest,
        services: NamedDependency[Services],
        q: FromQuery[str] = "",
        tag: FromQuery[str] = "",
        group: FromQuery[str] = "",
        country: FromQuery[str] = "",
        centre: FromQuery[str] = "",
        sort: FromQuery[str] = "adoptions",
    ) -> Template:
        context = library_context(services, practice_filter(q, tag, group, country, centre, sort))
        if request.htmx and request.htmx.target == "practice-results":
            return HTMXTemplate(template_name="practices/_results.html", context=context)
        return Template(template_name="practices/index.html", context=context)

    @post("/", sync_to_thread=True, opt={"command": "practice.share"})
    def share(self, request: HTMXRequest, services: NamedDependency[Services], data: Form) -> Template | Redirect:
        outcome = run_command(
            services, joined(data), PracticeForm, lambda form: share(services, form),
            user=current_user(request), command="practice.share",
            subject=lambda form: Subject(acting_centre_id=form.centre_id),
        )
        if outcome.ok and not request.htmx:
            return Redirect(path=f"/practices/{outcome.result[0]}", status_code=303)
        context = library_context(services, PracticeFilter(sort="recent"), outcome)
        name = "practices/_panel.html" if request.htmx else "practices/index.html"
        return HTMXTemplate(template_name=name, context=context, status_code=201 if outcome.ok else 422)

    @get("/{practice_id:str}", sync_to_thread=True, opt={"public": True})
    def practice(
        self, practice_id: FromPath[str], services: NamedDependency[Services], version: FromQuery[str] = ""
    ) -> Template:
        uuid_or_404(practice_id)
        context = practice_context(services, practice_id, version=version[:6])
        return Template(template_name="practices/details.html", context=context)

    @post("/{practice_id:str}/{action:str}", sync_to_thread=True, opt={"command_prefix": "practice"})
    def act(
        self,
        request: HTMXRequest,
        practice_id: FromPath[str],
        action: FromPath[str],
        services: NamedDependency[Services],
        data: Form,
    ) -> Template | Redirect:
        uuid = uuid_or_404(practice_id)
        command = known_or_404(PRACTICE_ACTIONS, action)
        owner = services.app.practices.practice_owner(uuid)
        outcome = run_command(
            services, joined(data), command.form, lambda form: command.run(services, uuid, form),
            user=current_user(request), command=f"practice.{action}",
            subject=lambda form: Subject(owner_centre_id=owner, acting_centre_id=getattr(form, "centre_id", None)),
        )
        return answer(
            request, outcome, done=f"/practices/{practice_id}", page="practices/details.html",
            panel="practices/_practice_panel.html", context=lambda: practice_context(services, practice_id, outcome, action),
        )
