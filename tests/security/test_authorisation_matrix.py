"""Every route that changes something, run by every role: the roles in EXPECTED are let through
(the domain may still say no: 422), every other role is refused (403, or sent to sign in) with
nothing stored and nothing published. The routes come from the app itself, so a new route or
action without an entry here fails the test, and so does an entry no route runs."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest

from web.policy import POLICY
from tests.security.conftest import ROLES, TODAY, Site, form_of, route_commands, unsafe_handlers
from tests.support.accounts import PASSWORD

PUBLIC_UNSAFE = {"/login", "/logout"}  # anyone may sign in and out

SECRETARIAT = {"secretariat"}
OWNER = {"secretariat", "coordinator"}  # the coordinator of the record's (or the acting) centre
MEMBERS_OF_THE_CENTRE = {"secretariat", "coordinator", "member"}
GOVERNANCE = {"secretariat", "chair"}
EVERYONE_SIGNED_IN = set(ROLES) - {"anonymous"}

EXPECTED: dict[str, set[str]] = {
    "centre.register": SECRETARIAT,
    **dict.fromkeys(
        ["centre.profile", "centre.apply", "centre.leave", "centre.rejoin", "centre.staff", "centre.staff-remove",
         "centre.label-apply"],
        OWNER,
    ),
    **dict.fromkeys(["centre.admit", "centre.reject", "centre.suspend", "centre.reinstate"], GOVERNANCE),
    **dict.fromkeys(
        ["centre.label-inspect", "centre.label-award", "centre.label-renew", "centre.label-withdraw"], SECRETARIAT
    ),
    "activity.plan": OWNER,
    **dict.fromkeys(
        ["activity.reschedule", "activity.cancel", "activity.co-organiser", "activity.co-organiser-remove",
         "activity.presentation", "activity.presentation-remove", "activity.outcome", "activity.correction"],
        OWNER,
    ),
    "activity.join": MEMBERS_OF_THE_CENTRE,
    "activity.withdraw": MEMBERS_OF_THE_CENTRE,
    "account.own-password": EVERYONE_SIGNED_IN,
    # Subscription URLs: a centre's by its coordinator (or the secretariat), each user's own by the user
    "centre.feed-rotate": OWNER,
    "centre.feed-revoke": OWNER,
    "account.own-feed-rotate": EVERYONE_SIGNED_IN,
    "account.own-feed-revoke": EVERYONE_SIGNED_IN,
    **dict.fromkeys(
        ["account.open", "account.role", "account.disable", "account.enable", "account.reset-password"], SECRETARIAT
    ),
    "network.rotation": GOVERNANCE,
    "network.handover": GOVERNANCE,
    "network.correct": SECRETARIAT,
    "network.meeting": GOVERNANCE,
    **{f"plan.{action}": GOVERNANCE for action in ("draft", "item", "publish", "change", "drop", "link", "report")},
    "plan.unlink": GOVERNANCE,
    "practice.share": OWNER,
    "practice.revise": OWNER,
    "practice.retire": OWNER,
    "practice.endorse": OWNER,
    "practice.adopt": OWNER,
    "practice.outcome": OWNER,
}


# The app's own routes ------------------------------------------------------------------------


def test_every_unsafe_route_names_its_command_or_is_a_public_one(site: Site):
    unnamed = {
        path for path, handler in unsafe_handlers(site.client.app)
        if "action" not in handler.opt and path not in PUBLIC_UNSAFE
    }
    assert unnamed == set(), "unsafe routes that name no command (add opt={'action': Action(...)})"
    public = {path for path, handler in unsafe_handlers(site.client.app) if handler.opt.get("public")}
    assert public == PUBLIC_UNSAFE


def test_every_command_a_route_runs_has_an_entry_in_the_matrix(site: Site):
    missing = set(route_commands(site.client.app)) - set(EXPECTED)
    assert missing == set(), "commands without an entry in EXPECTED"


def test_the_matrix_names_no_command_that_no_route_runs(site: Site):
    assert set(EXPECTED) - set(route_commands(site.client.app)) == set()


def test_the_policy_has_a_rule_for_every_command_and_none_for_commands_no_route_runs(site: Site):
    assert set(POLICY) == set(route_commands(site.client.app))


def test_a_command_on_a_record_is_sent_to_the_record_s_address_and_the_command_s_name(site: Site):
    """/centres/{id}/label-award runs centre.label-award: the pages' forms post to these addresses."""
    misplaced = {
        command: path for command, path in route_commands(site.client.app).items()
        if "}/" in path and not path.endswith("/" + command.partition(".")[2])
    }
    assert misplaced == {}


@pytest.mark.parametrize("role", ["anonymous", "secretariat"])
@pytest.mark.parametrize("url", ["/centres/{dobrich}/promote", "/activities/{activity}/delete", "/network/dissolve",
                                 "/plans/2026/burn", "/practices/{practice}/steal", "/accounts/{account}/root"])
def test_a_command_no_route_runs_is_not_found_and_nothing_is_stored(site: Site, role: str, url: str):
    first = {table: site.db.fetchone(f"SELECT id FROM {table}")["id"] for table in ("calendar_activities", "practices", "accounts")}
    ids = {"dobrich": site.centres["dobrich"], "activity": first["calendar_activities"], "practice": first["practices"],
           "account": first["accounts"]}
    before = site.stored()
    response = site.post(url.format(**ids), {"reason": "Защо не"}, role=role, htmx=True)
    assert response.status_code == 404
    assert site.stored() == before


# Pages -------------------------------------------------------------------------------------------------

# What an anonymous visitor may see: the public calendar and activities, the practice library, the network
# and its plans, signing in, the language switch, and what machines read (health, metrics, the event contract, the audit log's public key).
PUBLIC_PAGES = {
    "/", "/calendar", "/calendar.ics", "/activities/{activity_id:str}", "/practices", "/practices/{practice_id:str}",
    "/network", "/login", "/lang/{code:str}", "/static/{file_path:path}",
    "/healthz", "/readyz", "/metrics", "/events", "/events/{file:str}", "/audit/key",
    # a calendar program's subscription: the secret token in the URL is the authorisation
    "/feeds/{token:str}/calendar.ics",
    # the open-data API and its OpenAPI document
    *(f"/api/v1/{name}" for name in ("centres", "activities", "outcomes", "practices", "chairs", "plans")),
    "/schema", "/schema/openapi.json", "/schema/{path:str}",
    # funded projects are public money, published by their funders: the register, pages, reports and CSVs
    "/projects", "/projects/{project_id:str}", "/projects/{project_id:str}/reports/{kind:str}/{period:str}",
    "/projects/projects.csv", "/projects/progress.csv",
}


def get_handlers(app: Any) -> list[tuple[str, Any]]:
    return [
        (route.path, handler) for route in app.routes for handler in getattr(route, "route_handlers", [])
        if "GET" in handler.http_methods
    ]


def test_only_the_public_pages_are_open_to_anonymous_visitors(site: Site):
    public = {path for path, handler in get_handlers(site.client.app) if handler.opt.get("public")}
    assert public == PUBLIC_PAGES


def test_every_other_page_sends_an_anonymous_visitor_to_sign_in(site: Site):
    ids = {"centre_id": site.centres["dobrich"], "path": "openapi.json", "year": date.today().year}
    for path, handler in get_handlers(site.client.app):
        if path in PUBLIC_PAGES:
            continue
        url = path
        for name, value in ids.items():
            url = url.replace(f"{{{name}:str}}", str(value))
        response = site.get(url)
        assert response.status_code == 303 and response.headers["location"].startswith("/login?next="), path
        signed_in = site.get(url, role="member")  # and it is there for those signed in
        assert not signed_in.headers.get("location", "").startswith("/login"), path


def test_the_accounts_are_for_the_secretariat_to_manage_and_the_auditor_to_read(site: Site):
    for role in ("member", "coordinator", "chair"):
        assert site.get("/accounts", role=role).status_code == 403, role
    managed = site.get("/accounts", role="secretariat")
    assert managed.status_code == 200 and "action-form" in managed.text
    read = site.get("/accounts", role="auditor")
    assert read.status_code == 200 and "action-form" not in read.text
    assert "dobrich" in read.text  # the accounts themselves are listed


# Records every command can be about -------------------------------------------------------------


@dataclass
class Records:
    """Dobrich's records (or Dobrich acting on another's), fresh for each case where a command uses
    them up, and a well-formed form body for each command."""

    site: Site
    plan_item: uuid.UUID
    target_account: uuid.UUID
    made: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)

    def store(self, command: Any) -> Any:
        from application.actor import acting_as

        with acting_as("test-setup"):
            return command(self.site.store)

    def an_activity(self, host: str, dobrich_joined: bool = False) -> uuid.UUID:
        """A seminar two months ahead, with a talk, Plovdiv as co-organiser (or Dobrich among those joined)."""
        soon = TODAY + timedelta(days=60)
        centres = self.site.centres
        activity, _ = self.store(lambda s: s.activities.plan_activity(
            host_centre_id=centres[host], title="Среща на младежите", kind="seminar",
            starts_on=soon, ends_on=soon, city="Добрич"))
        self.store(lambda s: s.activities.add_presentation(activity, "Петя Петрова", "МЦ Добрич", "Доброволчеството"))
        if host == "dobrich":
            self.store(lambda s: s.activities.add_co_organiser(activity, centres["plovdiv"]))
        if dobrich_joined:
            self.store(lambda s: s.activities.join_activity(activity, centres["dobrich"], 4))
        return activity

    def a_practice(self, centre: str) -> uuid.UUID:
        practice, _ = self.store(lambda s: s.practices.share_practice(
            centre_id=self.site.centres[centre], title="Клуб", problem="Няма къде", method="Срещи",
            target_groups=["neets"], country="BG"))
        return practice

    def dobrich_in_good_standing(self) -> None:
        centre = self.site.store.repository.get(self.site.centres["dobrich"])
        steps = {"suspended": lambda s: s.centres.reinstate_centre(centre.id), "left": lambda s: s.centres.rejoin_centre(centre.id)}
        if centre.membership in steps:
            self.store(steps[centre.membership])

    def request(self, command: str, fresh: bool = True) -> tuple[str, dict[str, str]]:
        """The URL and form body of a request for the command, about a record made for it
        (or, when not ``fresh``, the one made for the command before: refusals use nothing up)."""
        if not fresh and command in self.made:
            return self.made[command]
        self.made[command] = self.new_request(command)
        return self.made[command]

    def new_request(self, command: str) -> tuple[str, dict[str, str]]:
        self.dobrich_in_good_standing()
        c = self.site.centres
        dobrich, vratsa, plovdiv = str(c["dobrich"]), str(c["vratsa"]), str(c["plovdiv"])
        prefix, _, action = command.partition(".")
        record: Any = {"centre": c["dobrich"], "network": None, "plan": TODAY.year, "account": self.target_account}.get(prefix)
        if prefix == "activity" and action != "plan":
            record = (
                self.an_activity("stara_zagora", dobrich_joined=action == "withdraw") if action in ("join", "withdraw")
                else self.an_activity("dobrich")
            )
        if prefix == "practice" and action != "share":
            record = self.a_practice("dobrich" if action in ("revise", "retire") else "plovdiv")
            if action == "outcome":
                self.store(lambda s: s.practices.adopt_practice(record, centre_id=c["dobrich"], adaptation_notes="Да",
                                                      context="", adopted_on=None))
        staff = presentation = ""
        if command == "centre.staff-remove":
            self.store(lambda s: s.centres.add_staff_member(c["dobrich"], "Георги Георгиев", "youth_worker"))
            staff = list(self.site.store.repository.get(c["dobrich"]).staff)[-1]
        if command == "activity.presentation-remove":
            presentation = self.site.store.repository.get(record).presentations[0]
        self.site.settle()
        year, today = TODAY.year, TODAY.isoformat()
        soon = (TODAY + timedelta(days=90)).isoformat()
        unique = uuid.uuid4().hex[:8]
        outcome = {"participants": "20", "young_people": "10", "fewer_opportunities": "2", "centres_attended": "3"}
        practice = {"title": "Клуб по интереси", "problem": "Младежите нямат къде да се събират.",
                    "method": "Седмични срещи с младежки работник.", "target_groups": "neets", "country": "BG"}
        bodies: dict[str, dict[str, str]] = {
            "centre.register": {"name": f"Младежки център {unique}", "city": "Русе"},
            "centre.profile": {"city": "Добрич", "description": f"Описание {unique}"},
            "centre.apply": {"motivation": "Искаме да работим заедно"},
            "centre.admit": {}, "centre.reinstate": {}, "centre.rejoin": {},
            "centre.reject": {"reason": "Непълни документи"},
            "centre.suspend": {"reason": "Неплатен членски внос"},
            "centre.leave": {"reason": "Преструктуриране"},
            "centre.staff": {"staff_name": "Мария Петрова", "role": "youth_worker"},
            "centre.staff-remove": {"staff_id": staff},
            "centre.label-apply": {"on": today},
            "centre.label-inspect": {"on": today, "notes": "Проверка на място"},
            "centre.label-award": {"on": today, "valid_until": soon},
            "centre.label-renew": {"on": today, "valid_until": soon},
            "centre.label-withdraw": {"on": today, "reason": "Не отговаря на стандартите"},
            "activity.plan": {"title": "Обмен", "kind": "exchange", "format": "live", "host_centre_id": dobrich,
                              "starts_on": soon, "ends_on": soon, "city": "Добрич"},
            "activity.reschedule": {"starts_on": soon, "ends_on": soon, "reason": "Залата е заета"},
            "activity.cancel": {"reason": "Няма достатъчно записани"},
            "activity.join": {"centre_id": dobrich, "expected_participants": "6"},
            "activity.withdraw": {"centre_id": dobrich},
            "activity.co-organiser": {"centre_id": str(c["pernik"])},
            "activity.co-organiser-remove": {"centre_id": plovdiv},
            "activity.presentation": {"speaker": "Иван Иванов", "organisation": "МЦ Добрич",
                                      "presentation_title": "Младежката работа"},
            "activity.presentation-remove": {"presentation_id": presentation},
            "activity.outcome": {**outcome, "summary": "Проведено"},
            "activity.correction": {**outcome, "happened_on": today, "reason": "Преброени отново"},
            "centre.feed-rotate": {}, "centre.feed-revoke": {}, "account.own-feed-rotate": {}, "account.own-feed-revoke": {},
            "account.own-password": {"current_password": "not-the-password", "new_password": "another-long-password",
                                     "repeat_password": "another-long-password"},
            "account.open": {"username": f"new-{unique}", "display_name": "Нов", "role": "member",
                             "centre_id": dobrich, "password": PASSWORD},
            "account.role": {"role": "member", "centre_id": str(c["pernik"])},
            "account.disable": {"reason": "Напуснал"},
            "account.enable": {},
            "account.reset-password": {"password": "another-long-password"},
            # Governance: where a command would move the chair, a request the domain refuses (the roles depend on it)
            "network.rotation": {"order": ",".join(str(c[k]) for k in ("vratsa", "stara_zagora", "dobrich", "pernik", "plovdiv"))},
            "network.handover": {"year": str(year), "centre_id": dobrich, "handed_over_on": today},
            "network.correct": {"year": str(year), "centre_id": vratsa, "reason": "Грешка при въвеждането"},
            "network.meeting": {"held_on": today, "report_year": str(year - 1), "next_chair_id": vratsa,
                                "priorities": "Обмяна на опит"},
            "plan.draft": {"priorities": "Обмяна на опит"},
            "plan.item": {"kind": "seminar", "theme": f"Семинар {unique}", "month": "12", "host_centre_id": dobrich},
            "plan.publish": {},
            "plan.change": {"item_id": str(self.plan_item), "kind": "seminar", "theme": f"Семинар {unique}",
                            "month": "12", "host_centre_id": dobrich, "reason": "Промяна"},
            "plan.drop": {"item_id": str(self.plan_item), "reason": "Отпада"},
            "plan.link": {"item_id": str(self.plan_item), "activity_id": str(self.an_activity("dobrich"))},
            "plan.unlink": {"item_id": str(self.plan_item), "activity_id": str(self.an_activity("dobrich"))},
            "plan.report": {"held_on": today, "next_chair_id": dobrich, "priorities": "Обмяна на опит"},
            "practice.share": {**practice, "centre_id": dobrich},
            "practice.revise": {**practice, "note": f"Допълнено {unique}"},
            "practice.retire": {"reason": "Заменена"},
            "practice.endorse": {"centre_id": dobrich, "comment": "Работи и при нас"},
            "practice.adopt": {"centre_id": dobrich, "adaptation_notes": "По-малки групи", "context": "Добрич"},
            "practice.outcome": {"centre_id": dobrich, "consulted": "12", "note": "Първи месец"},
        }
        url = route_commands(self.site.client.app)[command]
        for param in ("centre_id", "activity_id", "practice_id", "account_id", "year"):
            url = url.replace(f"{{{param}:str}}", str(record))
        return url, bodies[command]


@pytest.fixture(scope="module")
def records(site: Site) -> Records:
    target = site.open_account("target-account", "member", "plovdiv")
    return Records(site=site, plan_item=uuid.UUID(next(iter(site.store.plans.plan_of(TODAY.year).items))),
                   target_account=target)


@pytest.mark.parametrize("command", sorted(set(EXPECTED) - {"account.own-password", "centre.feed-rotate", "centre.feed-revoke",
                                                             "account.own-feed-rotate", "account.own-feed-revoke"}))
def test_every_request_of_the_matrix_is_well_formed(records: Records, command: str):
    """So a 422 to a role let through is the domain's answer: the access rule was checked and passed."""
    from web.forms import parse_form

    _, data = records.request(command)
    parse_form(data, form_of(records.site.client.app, command))


# The matrix --------------------------------------------------------------------------------------

ORDER = ("anonymous", "member", "coordinator", "other_coordinator", "chair", "auditor", "secretariat")
CASES = [(command, role) for command in sorted(EXPECTED) for role in ORDER]


def test_the_matrix_asks_every_role():
    assert sorted(ORDER) == sorted(ROLES)


@pytest.mark.parametrize(("command", "role"), CASES)
def test_only_the_expected_roles_may_run_each_command(site: Site, records: Records, command: str, role: str):
    url, data = records.request(command, fresh=role in EXPECTED[command])
    site.services.security.clear_failures("ip:testclient")  # own-password's wrong current passwords count
    before = site.relayed()
    response = site.post(url, data, role=role, htmx=True)
    if role in EXPECTED[command]:
        # Let through: the domain's rules may still refuse, but never the access check
        assert response.status_code in (200, 201, 303, 422), f"{role} {command}: {response.status_code}"
        return
    if role == "anonymous":
        assert response.status_code == 401
        # back, after signing in, to the page the form was on (here: none named), never to the POST URL (a 405)
        assert response.headers["HX-Redirect"] == "/login?next=%2F"
        plain = site.post(url, data, role=role, htmx=False)  # a form sent without htmx
        assert plain.status_code == 303 and plain.headers["location"].startswith("/login?next=")
    else:
        assert response.status_code == 403, f"{role} {command}: {response.status_code}"
    # Nothing stored, nothing published
    assert site.stored() == before
    assert site.relayed() == before
