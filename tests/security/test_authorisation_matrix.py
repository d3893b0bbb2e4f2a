"""Every route that changes something, run by every role: the roles in EXPECTED are let through and
the store grows (each request finds its record in the state its command changes; the few the domain
must refuse here, and the commands kept beside the store, are listed), every other role is refused
(403, or sent to sign in) with nothing stored and nothing published. The routes come from the app itself, so a new route or
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
from tests.support.web import CONFIRMED

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
    # Funded projects: Dobrich's coordinator registers one Dobrich takes part in, and changes it; the secretariat too
    **dict.fromkeys(["project.register", "project.start", "project.close", "project.cancel", "project.code",
                     "project.partner", "project.indicator", "project.progress", "project.correction",
                     "project.activity", "project.deliverable", "project.report"], OWNER),
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
    # the public directory: the member centres and each one's public page (staff and contacts for the signed-in)
    "/centres", "/centres/{centre_id:str}",
    # the live pages' streams, as public as their pages
    "/live/calendar", "/live/activities/{activity_id:str}", "/live/centres/{centre_id:str}", "/live/network",
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

    def an_activity(self, host: str, dobrich_joined: bool = False, on: date | None = None) -> uuid.UUID:
        """A seminar (two months ahead unless ``on``), with a talk, Plovdiv as co-organiser (or Dobrich among those joined)."""
        soon = on or TODAY + timedelta(days=60)
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

    def a_project(self, started: bool = True) -> uuid.UUID:
        """A project Dobrich takes part in, over this year, with 5 young people reached reported ("first")."""
        project, _ = self.store(lambda s: s.projects.register_project(
            code=f"BG-{uuid.uuid4().hex[:6]}", title="Младежи в риск", funder="eea_norway", beneficiary="Община Добрич",
            centre_ids=[self.site.centres["dobrich"]], total_value="1000.00", currency="EUR",
            starts_on=TODAY - timedelta(days=400), planned_end=TODAY + timedelta(days=300)))
        if started:
            self.store(lambda s: s.projects.start_project(project, TODAY - timedelta(days=400)))
            self.store(lambda s: s.projects.define_indicator(project, key="reached", name="Обхванати", unit="младежи",
                                                             target=100))
            self.store(lambda s: s.projects.report_progress(project, key="reached", period="first", value=5, as_of=TODAY))
        return project

    def dobrich_in_good_standing(self) -> None:
        centre = self.site.store.repository.get(self.site.centres["dobrich"])
        steps = {"suspended": lambda s: s.centres.reinstate_centre(centre.id), "left": lambda s: s.centres.rejoin_centre(centre.id)}
        if centre.membership in steps:
            self.store(steps[centre.membership])

    def dobrich_label(self, state: str) -> None:
        """Dobrich's Quality Label moved along its life (applied, inspected, awarded, withdrawn, applied...) to ``state``."""
        dobrich = self.site.centres["dobrich"]
        steps = {
            "none": lambda s: s.centres.apply_for_label(dobrich, TODAY),
            "withdrawn": lambda s: s.centres.apply_for_label(dobrich, TODAY),
            "applied": lambda s: s.centres.record_label_inspection(dobrich, TODAY, "Проверка"),
            "inspected": lambda s: s.centres.award_label(dobrich, TODAY, TODAY + timedelta(days=30)),
            "awarded": lambda s: s.centres.withdraw_label(dobrich, TODAY, "Изтекъл"),
        }
        for _ in range(len(steps)):
            now = self.site.store.repository.get(dobrich).label
            if now == state:
                return
            self.store(steps[now])
        raise AssertionError(f"Dobrich's label never reached {state}")

    def an_applicant(self) -> uuid.UUID:
        """A centre just registered that applied for membership."""
        centre, _ = self.store(lambda s: s.centres.register_centre(name=f"Център {uuid.uuid4().hex[:8]}", city="Русе"))
        self.store(lambda s: s.centres.apply_for_membership(centre, "Искаме"))
        return centre

    def a_plan_item(self) -> uuid.UUID:
        """A new item in this year's plan (one each command uses it up: dropped, linked)."""
        before = set(self.site.store.plans.plan_of(TODAY.year).items)
        self.store(lambda s: s.plans.add_plan_item(TODAY.year, kind="seminar", theme=f"Тема {uuid.uuid4().hex[:6]}",
                                                   month=12, host_centre_id=self.site.centres["dobrich"]))
        [item] = set(self.site.store.plans.plan_of(TODAY.year).items) - before
        return uuid.UUID(item)

    def request(self, command: str, fresh: bool = True, role: str = "") -> tuple[str, dict[str, str]]:
        """The URL and form body of a request for the command by the role, about a record made for it
        (or, when not ``fresh``, the one made for the command before: refusals use nothing up)."""
        if not fresh and command in self.made:
            return self.made[command]
        self.made[command] = self.new_request(command, role)
        return self.made[command]

    def new_request(self, command: str, role: str = "") -> tuple[str, dict[str, str]]:
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
        if prefix == "project" and action != "register":
            record = self.a_project(started=action != "start")
        linkable = str(self.an_activity("dobrich")) if command == "project.activity" else ""
        # Each permitted request finds its record in the state its command changes, so that it really stores
        past = TODAY - timedelta(days=3)
        if prefix == "activity" and action in ("outcome", "correction"):
            record = self.an_activity("dobrich", on=past)
            if action == "correction":
                self.store(lambda s: s.activities.record_outcome(record, participants=15, young_people=8,
                                                                fewer_opportunities=1, centres_attended=2))
        if command in ("centre.admit", "centre.reject"):
            record = self.an_applicant()
        if command == "centre.apply" and role == "secretariat":  # a centre only registered: the secretariat applies for it
            record, _ = self.store(lambda s: s.centres.register_centre(name=f"Център {uuid.uuid4().hex[:8]}", city="Русе"))
        label_before = {"label-apply": "withdrawn", "label-inspect": "applied", "label-award": "inspected",
                        "label-renew": "awarded", "label-withdraw": "awarded"}
        if prefix == "centre" and action in label_before:
            self.dobrich_label(label_before[action])
        plan_item = self.a_plan_item() if command in ("plan.change", "plan.drop", "plan.link", "plan.unlink") else self.plan_item
        linked = ""
        if command == "plan.unlink":  # an item linked to an activity, to be unlinked
            linked = self.an_activity("dobrich", on=TODAY)
            self.store(lambda s: s.plans.link_plan_item(TODAY.year, plan_item, linked))
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
            "plan.change": {"item_id": str(plan_item), "kind": "seminar", "theme": f"Семинар {unique}",
                            "month": "12", "host_centre_id": dobrich, "reason": "Промяна"},
            "plan.drop": {"item_id": str(plan_item), "reason": "Отпада"},
            "plan.link": {"item_id": str(plan_item), "activity_id": str(self.an_activity("dobrich", on=TODAY))},
            "plan.unlink": {"item_id": str(plan_item), "activity_id": str(linked)},
            "plan.report": {"held_on": today, "next_chair_id": dobrich, "priorities": "Обмяна на опит"},
            "practice.share": {**practice, "centre_id": dobrich},
            "practice.revise": {**practice, "note": f"Допълнено {unique}"},
            "practice.retire": {"reason": "Заменена"},
            "practice.endorse": {"centre_id": dobrich, "comment": "Работи и при нас"},
            "practice.adopt": {"centre_id": dobrich, "adaptation_notes": "По-малки групи", "context": "Добрич"},
            "practice.outcome": {"centre_id": dobrich, "consulted": "12", "note": "Първи месец"},
            "project.register": {"code": f"BG-{unique}", "title": "Младежки център", "funder": "esf",
                                 "beneficiary": "Община Добрич", "centre_id": dobrich, "total_value": "1000",
                                 "currency": "EUR", "starts_on": today, "planned_end": soon},
            "project.start": {"started_on": today},
            "project.close": {"actual_end": today},
            "project.cancel": {"reason": "Няма финансиране"},
            "project.code": {"code": f"BG-{unique}", "note": "Поправка"},
            "project.partner": {"name": f"Партньор {unique}", "country": "Полша"},
            "project.indicator": {"key": f"k{unique}", "name": "Обучени", "unit": "младежи", "target": "10"},
            "project.progress": {"key": "reached", "period": f"p{unique}", "value": "5", "as_of": today},
            "project.correction": {"key": "reached", "period": "first", "value": "7", "as_of": today, "note": "Поправка"},
            "project.activity": {"activity_id": linkable, "role": "информационно събитие"},
            "project.deliverable": {"title": "Наръчник", "link": "https://example.org/handbook"},
            "project.report": {"kind": "interim", "period": f"r{unique}"},
        }
        url = route_commands(self.site.client.app)[command]
        for param in ("centre_id", "activity_id", "practice_id", "account_id", "year"):
            url = url.replace(f"{{{param}:str}}", str(record))
        url = url.replace("{project_id:str}", str(record))
        # Last, as the records above need Dobrich in good standing (the next request restores it)
        if command == "centre.reinstate":
            self.store(lambda s: s.centres.suspend_centre(c["dobrich"], "Неплатен членски внос"))
        if command == "centre.rejoin":
            self.store(lambda s: s.centres.record_centre_leaving(c["dobrich"], "Преструктуриране"))
        self.site.settle()
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


# Permitted commands whose effect is kept beside the event store, never in an event: subscription tokens
# and password hashes (own-password is sent with a wrong current password: a right one would end the
# role's session that the rest of the module uses)
BESIDE_THE_STORE = {"centre.feed-rotate", "centre.feed-revoke", "account.own-feed-rotate", "account.own-feed-revoke",
                    "account.own-password"}
# Permitted roles whose request the domain refuses (422), because storing it would change what the other
# cases depend on: who chairs the network this year (the chair role), this year's published plan and its
# report; and a coordinator may apply only for its own centre, which is a member already.
REFUSED_BY_THE_DOMAIN = {
    ("centre.apply", "coordinator"),
    *((command, role) for command in ("network.handover", "network.meeting", "plan.draft", "plan.publish", "plan.report")
      for role in GOVERNANCE),
    ("network.correct", "secretariat"), ("network.rotation", "secretariat"),
}


def test_the_matrix_asks_every_role():
    assert sorted(ORDER) == sorted(ROLES)


@pytest.mark.parametrize(("command", "role"), CASES)
def test_only_the_expected_roles_may_run_each_command(site: Site, records: Records, command: str, role: str):
    url, data = records.request(command, fresh=role in EXPECTED[command], role=role)
    site.services.security.clear_failures("ip:testclient")  # own-password's wrong current passwords count
    before = site.relayed()
    response = site.post(url, {**data, **CONFIRMED}, role=role, htmx=True)  # any question answered yes
    if role in EXPECTED[command]:
        if command in BESIDE_THE_STORE:  # let through; what it changes is kept beside the store
            assert response.status_code in (200, 201, 303, 422), f"{role} {command}: {response.status_code}"
            assert site.stored() == before
        elif (command, role) in REFUSED_BY_THE_DOMAIN:  # let through by the access check, refused by the rules
            assert response.status_code == 422, f"{role} {command}: {response.status_code}"
            assert site.stored() == before
        else:  # let through, and done: the store grew
            assert response.status_code in (200, 201, 303), f"{role} {command}: {response.status_code}"
            assert site.stored() > before, f"{role} {command}: answered {response.status_code} and stored nothing"
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


PROJECT_COMMANDS = sorted(command for command in EXPECTED if command.startswith("project."))


@pytest.mark.parametrize("role", ["coordinator", "secretariat"])
@pytest.mark.parametrize("command", PROJECT_COMMANDS)
def test_a_project_command_let_through_is_recorded(site: Site, records: Records, command: str, role: str):
    """The project cases above pass the access check and the domain: what they send is stored."""
    url, data = records.request(command)
    before = site.stored()
    response = site.post(url, data, role=role, htmx=True)
    assert response.status_code in (200, 201), f"{role} {command}: {response.status_code} {response.text[:500]}"
    assert site.stored() > before
