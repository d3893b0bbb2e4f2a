"""Script, HTML, SQL and template payloads typed into every text field of every form come back
escaped on every page that shows them (or in the form shown again when refused), are stored
exactly as typed, and leave every table in place."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from markupsafe import escape

from application.actor import acting_as
from projections.catalog import all_projections
from tests.security.conftest import PAYLOADS, TODAY, Site, form_of, html_responses_are_safe, route_commands
from tests.support.web import CONFIRMED

NEVER_RAW = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>", "'; DROP TABLE")
SOON = TODAY + timedelta(days=40)


# Records for the forms to be about -----------------------------------------------------------------


def setup(site: Site, command: Callable[[Any], Any]) -> Any:
    with acting_as("test-setup"):
        return command(site.store)


def a_centre(site: Site, *steps: str) -> uuid.UUID:
    """A new centre, taken through the membership and label steps named."""
    centre_id, _ = setup(site, lambda s: s.centres.register_centre(name=f"Младежки център {uuid.uuid4().hex[:8]}", city="Русе"))
    do = {
        "apply": lambda s: s.centres.apply_for_membership(centre_id, "Молба"),
        "admit": lambda s: s.centres.admit_centre(centre_id),
        "label": lambda s: s.centres.apply_for_label(centre_id, TODAY - timedelta(days=30)),
        "inspect": lambda s: s.centres.record_label_inspection(centre_id, TODAY - timedelta(days=20), ""),
        "award": lambda s: s.centres.award_label(centre_id, TODAY - timedelta(days=10), TODAY + timedelta(days=700)),
    }
    for step in steps:
        setup(site, do[step])
    return centre_id


def an_activity(site: Site, ended: bool = False, held: bool = False) -> uuid.UUID:
    day = TODAY - timedelta(days=1) if ended or held else SOON
    activity_id, _ = setup(site, lambda s: s.activities.plan_activity(
        host_centre_id=site.centres["dobrich"], title="Среща", kind="seminar", starts_on=day, ends_on=day, city="Добрич"))
    if held:
        setup(site, lambda s: s.activities.record_outcome(activity_id, participants=5, young_people=3, fewer_opportunities=1,
                                               centres_attended=1))
    return activity_id


def a_practice(site: Site, adopted_by: str = "") -> uuid.UUID:
    practice_id, _ = setup(site, lambda s: s.practices.share_practice(
        centre_id=site.centres["plovdiv"], title="Клуб", problem="Няма къде", method="Срещи",
        target_groups=["neets"], country="BG"))
    if adopted_by:
        setup(site, lambda s: s.practices.adopt_practice(practice_id, centre_id=site.centres[adopted_by], adaptation_notes="Да"))
    return practice_id


def an_account(site: Site) -> uuid.UUID:
    return site.open_account(f"target-{uuid.uuid4().hex[:8]}", "member", "dobrich")


def a_plan_item(site: Site) -> uuid.UUID:
    item_ids = set(site.store.plans.plan_of(TODAY.year).items)
    setup(site, lambda s: s.plans.add_plan_item(TODAY.year, kind="seminar", theme="Семинар", month=12))
    return uuid.UUID((set(site.store.plans.plan_of(TODAY.year).items) - item_ids).pop())


def a_project(site: Site) -> uuid.UUID:
    """A running project Dobrich takes part in, 5 young people reached reported for the period "first"."""
    project, _ = setup(site, lambda s: s.projects.register_project(
        code="BG06-101", title="Младежи в риск", funder="eea_norway", beneficiary="Община Добрич",
        centre_ids=[site.centres["dobrich"]], total_value="1000.00", currency="EUR",
        starts_on=TODAY - timedelta(days=400), planned_end=TODAY + timedelta(days=300)))
    setup(site, lambda s: s.projects.start_project(project, TODAY - timedelta(days=400)))
    setup(site, lambda s: s.projects.define_indicator(project, key="reached", name="Обхванати", unit="младежи", target=100))
    setup(site, lambda s: s.projects.report_progress(project, key="reached", period="first", value=5, as_of=TODAY))
    return project


def on_project(action: str, fixed: dict[str, str], activity: bool = False) -> Callable[[Site], tuple[str, dict[str, str], list[str]]]:
    def given(site: Site) -> tuple[str, dict[str, str], list[str]]:
        project_id = a_project(site)
        extra = {"activity_id": str(an_activity(site))} if activity else {}
        return f"/projects/{project_id}/{action}", {**fixed, **extra}, [f"/projects/{project_id}", "/projects"]

    return given


# The forms ------------------------------------------------------------------------------------------

OUTCOME = {"participants": "20", "young_people": "10", "fewer_opportunities": "2", "centres_attended": "3"}
PRACTICE = {"target_groups": "neets", "country": "BG"}
PRACTICE_TEXT = ("title", "problem", "method", "source_project")


@dataclass(frozen=True)
class Form:
    """A form: where it is sent (about a record made for it), the rest of a valid body, its text
    fields by kind, and the pages that show what it stores."""

    name: str
    command: str
    given: Callable[[Site], tuple[str, dict[str, str], list[str]]]  # (url, the rest of the body, pages)
    text: tuple[str, ...] = ()
    links: tuple[str, ...] = ()  # http(s) links: the payload follows the scheme and host
    tags: tuple[str, ...] = ()  # stored in lower case
    unseen: tuple[str, ...] = ()  # kept in the store but shown on no page
    accepted: bool = True  # False: the domain refuses the form, which comes back with the fields as typed


def centre_pages(centre_id: uuid.UUID) -> list[str]:
    return [f"/centres/{centre_id}", "/centres"]


def activity_pages(activity_id: uuid.UUID) -> list[str]:
    return [f"/activities/{activity_id}", "/calendar?when=past", "/calendar", "/centres/{dobrich}", "/"]


def practice_pages(practice_id: uuid.UUID) -> list[str]:
    return [f"/practices/{practice_id}", "/practices?sort=recent"]


Given = Callable[[Site], tuple[str, dict[str, str], list[str]]]  # (url, the rest of the body, pages)
ON = TODAY.isoformat()
LATER = (SOON + timedelta(days=3)).isoformat()


def on_centre(action: str, *steps: str, fixed: dict[str, str] | None = None) -> Given:
    def given(site: Site) -> tuple[str, dict[str, str], list[str]]:
        centre_id = a_centre(site, *steps)
        return f"/centres/{centre_id}/{action}", fixed or {}, centre_pages(centre_id)

    return given


def on_activity(action: str, fixed: dict[str, str], **state: bool) -> Given:
    def given(site: Site) -> tuple[str, dict[str, str], list[str]]:
        activity_id = an_activity(site, **state)
        return f"/activities/{activity_id}/{action}", fixed, activity_pages(activity_id)

    return given


def on_practice(action: str, fixed: dict[str, str], adopted_by: str = "") -> Given:
    def given(site: Site) -> tuple[str, dict[str, str], list[str]]:
        practice_id = a_practice(site, adopted_by)
        return f"/practices/{practice_id}/{action}", fixed, practice_pages(practice_id)

    return given


def on_plan_item(action: str, fixed: dict[str, str]) -> Given:
    def given(site: Site) -> tuple[str, dict[str, str], list[str]]:
        return f"/plans/{TODAY.year}/{action}", {**fixed, "item_id": str(a_plan_item(site))}, [f"/plans/{TODAY.year}"]

    return given


def to(url: str, fixed: dict[str, str], pages: list[str]) -> Given:
    """A form with no record of its own to be about ("{dobrich}" and the like: the demo centres' ids)."""
    return lambda site: (url, fixed, pages)


DOBRICH = "{dobrich}"
ACCOUNT = {"role": "member", "centre_id": DOBRICH, "password": "a-long-password"}
ACTIVITY = {"kind": "exchange", "format": "hybrid", "language": "bg", "host_centre_id": DOBRICH, "starts_on": SOON.isoformat(),
            "ends_on": SOON.isoformat()}
CENTRE_TEXT = ("city", "region", "address", "contact", "description")
YEAR = TODAY.year

FORMS = (
    Form("centre registration", "centre.register", to("/centres", {}, ["/centres/{new}", "/centres"]),
         text=("name", *CENTRE_TEXT), links=("website",)),
    Form("centre profile", "centre.profile", on_centre("profile"), text=CENTRE_TEXT, links=("website",)),
    Form("membership application", "centre.apply", on_centre("apply"), text=("motivation",)),
    Form("membership rejection", "centre.reject", on_centre("reject", "apply"), text=("reason",)),
    Form("suspension", "centre.suspend", on_centre("suspend", "apply", "admit"), text=("reason",)),
    Form("leaving", "centre.leave", on_centre("leave", "apply", "admit"), text=("reason",)),
    Form("staff member", "centre.staff", on_centre("staff", fixed={"role": "youth_worker"}), text=("staff_name",)),
    Form("label inspection", "centre.label-inspect", on_centre("label-inspect", "label", fixed={"on": ON}),
         text=("notes",)),
    Form("label withdrawal", "centre.label-withdraw",
         on_centre("label-withdraw", "label", "inspect", "award", fixed={"on": ON}), text=("reason",)),
    Form("activity plan", "activity.plan", to("/activities", ACTIVITY, ["/activities/{new}", "/calendar", "/"]),
         text=("title", "city", "venue", "theme", "description"), links=("online_link",)),
    Form("reschedule", "activity.reschedule", on_activity("reschedule", {"starts_on": LATER, "ends_on": LATER}),
         text=("reason",)),
    Form("cancellation", "activity.cancel", on_activity("cancel", {}), text=("reason",)),
    Form("presentation", "activity.presentation", on_activity("presentation", {}),
         text=("speaker", "organisation", "presentation_title")),
    Form("outcome", "activity.outcome", on_activity("outcome", OUTCOME, ended=True), text=("summary",),
         links=("materials_link", "stream_link")),
    Form("outcome correction", "activity.correction", on_activity("correction", {**OUTCOME, "happened_on": ON}, held=True),
         text=("reason",)),
    Form("practice sharing", "practice.share",
         to("/practices", {**PRACTICE, "centre_id": DOBRICH}, ["/practices/{new}", "/practices?sort=recent"]),
         text=PRACTICE_TEXT, tags=("tags",), links=("links",)),
    Form("practice revision", "practice.revise", on_practice("revise", PRACTICE), text=(*PRACTICE_TEXT, "note"),
         tags=("tags",), links=("links",)),
    Form("endorsement", "practice.endorse", on_practice("endorse", {"centre_id": DOBRICH}), text=("comment",)),
    Form("adoption", "practice.adopt", on_practice("adopt", {"centre_id": DOBRICH}),
         text=("adaptation_notes", "context")),
    Form("adoption outcome", "practice.outcome",
         on_practice("outcome", {"centre_id": DOBRICH, "consulted": "4"}, adopted_by="dobrich"), text=("note",)),
    Form("retirement", "practice.retire", on_practice("retire", {}), text=("reason",)),
    Form("plan item", "plan.item", to(f"/plans/{YEAR}/item", {"kind": "seminar", "month": "11"}, [f"/plans/{YEAR}"]),
         text=("theme",)),
    Form("plan item change", "plan.change", on_plan_item("change", {"kind": "training", "month": "10"}),
         text=("theme", "reason")),
    Form("plan item drop", "plan.drop", on_plan_item("drop", {}), text=("reason",)),
    Form("account", "account.open", lambda site: ("/accounts", {**ACCOUNT, "username": f"u-{uuid.uuid4().hex[:8]}"},
                                                  ["/accounts"]), text=("display_name",)),
    Form("account disabling", "account.disable", lambda site: (f"/accounts/{an_account(site)}/disable", {}, ["/accounts"]),
         text=("reason",), unseen=("reason",)),
    # Refused by the domain: the form comes back with what was typed
    Form("account with a bad user name", "account.open", to("/accounts", ACCOUNT, []), text=("username", "display_name"),
         accepted=False),
    Form("rotation", "network.rotation", to("/network/rotation", {}, []), text=("order",), unseen=("order",),
         accepted=False),
    Form("handover correction", "network.correct", to("/network/correct", {"year": str(YEAR), "centre_id": "{vratsa}"}, []),
         text=("reason",), accepted=False),
    Form("annual meeting", "network.meeting", to("/network/meeting", {
            "held_on": ON, "report_year": str(YEAR - 1), "next_chair_id": "{vratsa}"}, []),
         text=("priorities",), accepted=False),
    Form("plan draft", "plan.draft", to(f"/plans/{YEAR + 1}/draft", {}, []), text=("priorities",), accepted=False),
    # Funded projects
    Form("project registration", "project.register",
         to("/projects", {"funder": "esf", "currency": "BGN", "total_value": "199408.00", "centre_id": DOBRICH,
                          "starts_on": "2019-03-25", "planned_end": "2021-06-30"}, ["/projects/{new}", "/projects"]),
         text=("code", "title", "programme", "component", "beneficiary", "partner_name", "partner_country",
               "target_group", "objectives")),
    Form("project code", "project.code", on_project("code", {}), text=("code", "note")),
    Form("project cancellation", "project.cancel", on_project("cancel", {}), text=("reason",)),
    Form("project partner", "project.partner", on_project("partner", {"country": "Полша"}), text=("name",)),
    Form("project indicator", "project.indicator", on_project("indicator", {"baseline": "0", "target": "150"}),
         text=("key", "name", "unit")),
    Form("project progress", "project.progress", on_project("progress", {"key": "reached", "value": "7", "as_of": ON}),
         text=("period", "source")),
    Form("project correction", "project.correction",
         on_project("correction", {"key": "reached", "period": "first", "value": "7", "as_of": ON}), text=("note", "source")),
    Form("project activity", "project.activity", on_project("activity", {}, activity=True), text=("role",)),
    Form("project deliverable", "project.deliverable", on_project("deliverable", {"kind": "handbook"}), text=("title",),
         links=("link",)),
    Form("project report", "project.report", on_project("report", {"kind": "interim"}), text=("period",)),
    # Refused by the domain (a period with nothing reported; an indicator the project lacks): typed text kept
    Form("project correction of nothing reported", "project.correction",
         on_project("correction", {"value": "7", "as_of": ON, "note": "Одит"}), text=("key", "period"),
         unseen=("key", "period"), accepted=False),
    Form("project progress on no indicator", "project.progress",
         on_project("progress", {"period": "2026", "value": "7", "as_of": ON}), text=("key",), unseen=("key",),
         accepted=False),
    Form("report adoption", "plan.report", to(f"/plans/{YEAR}/report", {"held_on": ON, "next_chair_id": DOBRICH}, []),
         text=("priorities",), accepted=False),
)


NOT_FREE_TEXT = {"role", "kind", "format", "language", "country", "target_groups", "password"}  # choices, secrets
NOT_FREE_TEXT |= {"funder", "currency", "centre_is_beneficiary", "total_value", "baseline", "target", "value"}  # projects


def test_every_text_field_of_every_form_gets_the_payloads(site: Site):
    import msgspec

    covered = {(form.command, name) for form in FORMS for name in (*form.text, *form.links, *form.tags)}
    text_fields = {
        (command, f.name)
        for command in route_commands(site.client.app)
        if (struct := form_of(site.client.app, command)) is not None
        for f in msgspec.structs.fields(struct)
        if f.type is str and f.name not in NOT_FREE_TEXT
    }
    assert text_fields - covered == set(), "text fields no injection case covers"


def typed_values(form: Form, payload: str) -> dict[str, str]:
    """A payload in every text field, each one told apart by its field's name."""
    values = {name: f"{payload} {name}" for name in (*form.text, *form.tags)}
    values |= {name: f"https://example.org/{payload}/{name}" for name in form.links}
    return values


def as_stored(form: Form, name: str, value: str) -> str:
    return " ".join(value.casefold().split()) if name in form.tags else value


def strings_in(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(strings_in(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(strings_in(v) for v in value)) if value else set()
    return set()


def stored_since(site: Site, before: int) -> set[str]:
    """Every text in the events stored after notification ``before``, read back from the store."""
    notifications = site.store.recorder.select_notifications(before + 1, 1000)
    return set().union(*(strings_in(json.loads(n.state)) for n in notifications)) if notifications else set()


CREATED = (".Registered", ".Planned", ".Shared", ".Opened")
CREATING = ("/centres", "/activities", "/practices", "/accounts")  # the forms that create: 201
CREATING += ("/projects",)


def created(site: Site, before: int) -> str:
    """The id of the record a form created (the first new centre, activity, practice or account)."""
    notifications = site.store.recorder.select_notifications(before + 1, 1000)
    return next((str(n.originator_id) for n in notifications if n.topic.endswith(CREATED)), "")


def assert_shown_safely(text: str) -> None:
    for raw in NEVER_RAW:
        assert raw not in text, f"unescaped: {raw}"
    html_responses_are_safe(text)


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
@pytest.mark.parametrize("form", FORMS, ids=[form.name for form in FORMS])
def test_a_payload_in_every_text_field_comes_back_escaped_and_is_stored_as_typed(site: Site, form: Form, payload: str):
    url, fixed, pages = form.given(site)
    fixed = {k: v.format(**{k: str(c) for k, c in site.centres.items()}) for k, v in fixed.items()}
    typed = typed_values(form, payload)
    site.settle()
    before = site.stored()
    # When the form is sent with a payload in each text field
    response = site.post(url, {**fixed, **typed, **CONFIRMED}, role="secretariat", htmx=True)
    expected = 422 if not form.accepted else 201 if url in CREATING else 200
    assert response.status_code == expected, response.text[:2000]
    site.settle()
    # Then no page shows a payload unescaped
    shown = [response.text]
    for page in pages:
        page = page.format(new=created(site, before), **{k: str(c) for k, c in site.centres.items()})
        answer = site.get(page, role="secretariat")
        assert answer.status_code == 200, page
        shown.append(answer.text)
    for text in shown:
        assert_shown_safely(text)
    # and each field's value is shown, escaped, somewhere ({{7*7}} as typed, not 49)
    for name, value in typed.items():
        if name not in form.unseen and "password" not in name:
            visible = str(escape(as_stored(form, name, value)))
            assert any(visible in text for text in shown), f"{name} is shown nowhere (or not escaped)"
    # and what was stored is exactly what was typed (nothing when the domain refused it)
    if form.accepted:
        stored = stored_since(site, before)
        for name, value in typed.items():
            assert as_stored(form, name, value) in stored, name
    else:
        assert site.stored() == before


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_a_payload_as_a_user_name_comes_back_escaped_on_the_sign_in_page(site: Site, payload: str):
    response = site.post("/login", {"username": payload, "password": "whatever-it-is"})
    assert response.status_code == 401
    assert_shown_safely(response.text)
    assert str(escape(payload.strip().lower())) in response.text
    site.services.security.clear_failures("ip:testclient", f"user:{payload.strip().lower()}")


SEARCHES = ("/centres?q={}", "/practices?q={}", "/practices?tag={}", "/calendar?city={}", "/login?next=/{}",
            "/calendar?after={}", "/practices/{}", "/centres/{}")


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
@pytest.mark.parametrize("search", SEARCHES)
def test_a_payload_in_a_link_or_a_search_comes_back_escaped(site: Site, search: str, payload: str):
    from urllib.parse import quote

    response = site.get(search.format(quote(payload, safe="")), role="secretariat")
    assert response.status_code in (200, 404, 405)  # 405: a "/" in the payload makes it an action's address
    assert_shown_safely(response.text)


def test_the_tables_are_all_still_there_after_the_payloads(site: Site):
    tables = {row["name"] for row in site.db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")}
    expected = {table for projection in all_projections() for table in projection.tables}
    assert expected <= tables
    assert {"account_credentials", "web_sessions", "stored_events"} <= tables
    assert site.db.fetchone("SELECT COUNT(*) AS n FROM centres")["n"] >= 5
    assert site.get("/centres", role="secretariat").status_code == 200


@pytest.mark.parametrize("form", [form for form in FORMS if form.accepted], ids=[form.name for form in FORMS if form.accepted])
def test_a_nul_in_any_text_field_is_refused_and_nothing_stored(site: Site, form: Form):
    """A NUL would be stored in the events and then break the PostgreSQL read models (text cannot hold it)."""
    for name in (*form.text, *form.links, *form.tags):
        url, fixed, _ = form.given(site)
        fixed = {k: v.format(**{k: str(c) for k, c in site.centres.items()}) for k, v in fixed.items()}
        valid = {field: value.replace("{", "").replace("}", "") for field, value in typed_values(form, "Текст").items()}
        site.settle()
        before = site.stored()
        response = site.post(url, {**fixed, **valid, name: valid[name][:12] + "\x00" + valid[name][12:], **CONFIRMED},
                             role="secretariat", htmx=True)
        assert response.status_code == 422, f"{name}: {response.status_code}"
        assert site.stored() == before, name
