"""Chair rights are checked again in the application layer, behind the web's policy: whoever signs in
and calls a command directly (another entry point, a forgotten route) meets the same rule."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from application.actor import acting_as
from application.app import MrezhaApplication
from tests.support.accounts import a_member, an_account
from domain.errors import NotPermitted
from infra.security import Security
from infra.settings import Settings
from infra.sql import open_database
from infra.store import store_environment

TODAY = date.today()


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    return sqlite_url


@pytest.fixture
def app(settings: Settings):
    application, db = MrezhaApplication(env=store_environment(settings)), open_database(settings)
    security = Security(db)
    security.create_tables()
    application.passwords = security
    yield application
    application.close()
    db.close()


@pytest.fixture
def network(app: MrezhaApplication) -> dict[str, UUID]:
    """Vratsa chairs this year, Dobrich chaired last year; each has a coordinator and a member."""
    centres = {name: a_member(app, name) for name in ("Враца", "Добрич", "Перник")}
    with acting_as("test-setup"):
        app.network.hand_over_chair(TODAY.year - 1, centres["Добрич"], date(TODAY.year - 1, 1, 15))
        app.network.hand_over_chair(TODAY.year, centres["Враца"], date(TODAY.year, 1, 1))
        app.plans.draft_plan(TODAY.year - 1, ["Обмен"])
        app.plans.draft_plan(TODAY.year, ["Обмен"])
    an_account(app, "vratsa-coordinator", "coordinator", centres["Враца"])
    an_account(app, "vratsa-member", "member", centres["Враца"])
    an_account(app, "secretariat", "secretariat", None)
    return centres


def test_a_member_of_the_chair_centre_is_refused_by_the_application(app, network):
    with acting_as("vratsa-member", str(network["Враца"])), pytest.raises(NotPermitted):
        app.centres.suspend_centre(network["Перник"], "Неплатен членски внос")
    with acting_as("vratsa-member", str(network["Враца"])), pytest.raises(NotPermitted):
        app.network.set_rotation([network["Перник"], network["Враца"]])


def test_a_suspended_chair_centre_s_coordinator_is_refused_by_the_application(app, network):
    with acting_as("test-setup"):
        app.centres.suspend_centre(network["Враца"], "Неплатен членски внос")
    with acting_as("vratsa-coordinator", str(network["Враца"])), pytest.raises(NotPermitted):
        app.centres.suspend_centre(network["Перник"], "Неплатен членски внос")


def test_this_year_s_chair_may_not_touch_last_year_s_plan_in_the_application(app, network):
    with acting_as("vratsa-coordinator", str(network["Враца"])):
        app.plans.add_plan_item(TODAY.year, kind="seminar", theme="Семинар", month=11, host_centre_id=None)
        with pytest.raises(NotPermitted):
            app.plans.add_plan_item(TODAY.year - 1, kind="seminar", theme="Семинар", month=11, host_centre_id=None)
        app.centres.suspend_centre(network["Перник"], "Неплатен членски внос")  # its rights today
    with acting_as("secretariat"):
        app.plans.add_plan_item(TODAY.year - 1, kind="seminar", theme="Допълнен", month=12, host_centre_id=None)
