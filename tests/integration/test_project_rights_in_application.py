"""Who may change a funded project is checked again in the application layer, behind the web's policy:
the secretariat and the coordinators of the centres involved (beneficiary and partners). Whoever signs in
and calls a command directly meets the same rule, and a refused command stores nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any
from uuid import UUID

import pytest

from application.actor import acting_as
from application.app import MrezhaApplication
from tests.support.accounts import a_member, an_account
from domain.errors import NotPermitted
from infra.security import Security
from infra.sql import SQLiteDatabase
from tests.support.commands import refused, sqlite_application

TODAY = date.today()


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MrezhaApplication]:
    tmp_path = tmp_path_factory.mktemp("project-rights")
    application = sqlite_application(tmp_path / "store.sqlite", TODAY)
    passwords_db = SQLiteDatabase(tmp_path / "passwords.sqlite")
    application.passwords = Security(passwords_db)
    application.passwords.create_tables()
    yield application
    application.close()
    passwords_db.close()


@pytest.fixture(scope="module")
def people(app: MrezhaApplication) -> dict[str, Any]:
    """Plovdiv and Vratsa, each with a coordinator and a member; a secretariat and an auditor."""
    centres = {name: a_member(app, name) for name in ("Пловдив", "Враца")}
    for name, centre_id in centres.items():
        an_account(app, f"coordinator-{centre_id.hex[:6]}", "coordinator", centre_id)
        an_account(app, f"member-{centre_id.hex[:6]}", "member", centre_id)
    an_account(app, "the-secretariat", "secretariat")
    an_account(app, "the-auditor", "auditor")
    return centres


@pytest.fixture
def world(app: MrezhaApplication, people: dict[str, UUID]) -> dict[str, Any]:
    """Plovdiv takes part in the Centre for Social Innovation, running, with 80 consulted reported; Vratsa
    takes part in nothing."""
    centres = people
    with acting_as("test-setup"):
        project, _ = app.projects.register_project(
            code="BG05M9OP001-4.003-0020-C01", title="Център за социални иновации", funder="esf",
            beneficiary="Община Пловдив", centre_ids=[centres["Пловдив"]], total_value="199408.00", currency="BGN",
            starts_on=date(2019, 3, 25), planned_end=date(2021, 6, 30))
        app.projects.start_project(project, date(2019, 3, 25))
        app.projects.define_indicator(project, key="consulted", name="Консултирани NEETs", unit="души", target=150)
        app.projects.report_progress(project, key="consulted", period="2020", value=80, as_of=date(2020, 12, 31))
        seminar, _ = app.activities.plan_activity(
            host_centre_id=centres["Пловдив"], title="Конференция", kind="conference", starts_on=date(2030, 6, 23),
            ends_on=date(2030, 6, 23), city="Пловдив")
    return {"project": project, "seminar": seminar, **centres,
            "plovdiv": f"coordinator-{centres['Пловдив'].hex[:6]}", "vratsa": f"coordinator-{centres['Враца'].hex[:6]}",
            "plovdiv_member": f"member-{centres['Пловдив'].hex[:6]}"}


def commands(app: MrezhaApplication, w: dict[str, Any]) -> dict[str, Callable[[], object]]:
    """Every command on the project, each one the domain would accept."""
    p, projects = w["project"], app.projects
    return {
        "close": lambda: projects.close_project(p, date(2021, 6, 30)),
        "cancel": lambda: projects.cancel_project(p, "Няма финансиране"),
        "code": lambda: projects.correct_project_code(p, "BG05M9OP001-4.002-0020-C01", "Съобщението"),
        "partner": lambda: projects.add_partner(p, name="„БД Център“ ООД", country="Полша"),
        "indicator": lambda: projects.define_indicator(p, key="reactivated", name="Реактивирани", unit="души", target=150),
        "progress": lambda: projects.report_progress(p, key="consulted", period="2021", value=6, as_of=date(2021, 6, 1)),
        "correction": lambda: projects.correct_progress(p, key="consulted", period="2020", value=86,
                                                        as_of=date(2021, 1, 15), note="Одит"),
        "activity": lambda: projects.link_activity(p, w["seminar"], "информационно събитие"),
        "deliverable": lambda: projects.add_deliverable(p, title="Наръчник"),
        "report": lambda: projects.submit_report(p, kind="interim", period="2020"),
    }


def registration(w: dict[str, Any], centre: str) -> Callable[[MrezhaApplication], object]:
    return lambda app: app.projects.register_project(
        code="BG06-101", title="Международен младежки център", funder="eea_norway", beneficiary="Община",
        centre_ids=[w[centre]], total_value="1395380", currency="EUR", starts_on=date(2015, 1, 1),
        planned_end=date(2017, 4, 30))


COMMANDS = ("close", "cancel", "code", "partner", "indicator", "progress", "correction", "activity", "deliverable",
            "report")


@pytest.mark.parametrize("who", ["vratsa", "plovdiv_member", "the-auditor"])
@pytest.mark.parametrize("command", COMMANDS)
def test_only_the_secretariat_and_the_coordinators_involved_change_a_project(app, world, command, who):
    user = world.get(who, who)
    with acting_as(user):
        assert isinstance(refused(app, commands(app, world)[command]), NotPermitted)


@pytest.mark.parametrize("who", ["plovdiv", "the-secretariat"])
@pytest.mark.parametrize("command", COMMANDS)
def test_the_coordinator_of_a_centre_involved_and_the_secretariat_may(app, world, command, who):
    before = app.last_notification_id()
    with acting_as(world.get(who, who)):
        commands(app, world)[command]()
    assert app.last_notification_id() > before


def test_a_coordinator_registers_only_a_project_their_own_centre_takes_part_in(app, world):
    with acting_as(world["vratsa"]):
        assert isinstance(refused(app, lambda: registration(world, "Пловдив")(app)), NotPermitted)
        registration(world, "Враца")(app)
    with acting_as(world["plovdiv_member"]):
        assert isinstance(refused(app, lambda: registration(world, "Пловдив")(app)), NotPermitted)


def test_a_partner_centre_s_coordinator_may_change_the_project_once_it_is_added(app, world):
    with acting_as(world["vratsa"]):
        assert isinstance(refused(app, commands(app, world)["deliverable"]), NotPermitted)
    with acting_as(world["plovdiv"]):
        app.projects.add_partner(world["project"], name="Младежки център Враца", country="България",
                                 centre_id=world["Враца"])
    with acting_as(world["vratsa"]):
        commands(app, world)["deliverable"]()
