"""Commands straight through the application, for tests of the rules: a real SQLite store,
centres in any membership state, and refusals that must store nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from domain.errors import DomainError
from application.app import MrezhaApplication

MEMBERSHIP_STEPS = {
    "apply": lambda app, c: app.centres.apply_for_membership(c, "Искаме да работим заедно"),
    "admit": lambda app, c: app.centres.admit_centre(c),
    "reject": lambda app, c: app.centres.reject_centre(c, "Непълни документи"),
    "suspend": lambda app, c: app.centres.suspend_centre(c, "Неплатен членски внос"),
    "reinstate": lambda app, c: app.centres.reinstate_centre(c),
    "leave": lambda app, c: app.centres.record_centre_leaving(c, ""),
    "rejoin": lambda app, c: app.centres.rejoin_centre(c),
}
REACHED_BY = {  # the steps from a registration to each membership state
    "registered": [], "applied": ["apply"], "admitted": ["apply", "admit"], "rejected": ["apply", "reject"],
    "suspended": ["apply", "admit", "suspend"], "left": ["apply", "admit", "leave"],
}

LABEL_STEPS = {
    "apply": lambda app, c: app.centres.apply_for_label(c, date(2025, 1, 10)),
    "inspect": lambda app, c: app.centres.record_label_inspection(c, date(2025, 3, 1), "Проверка на място"),
    "award": lambda app, c: app.centres.award_label(c, date(2025, 6, 1), date(2028, 6, 1)),
    "renew": lambda app, c: app.centres.renew_label(c, date(2028, 5, 1), date(2031, 6, 1)),
    "withdraw": lambda app, c: app.centres.withdraw_label(c, date(2026, 1, 15), "Не отговаря на стандартите"),
}
LABEL_REACHED_BY = {  # the steps to each Quality Label state
    "none": [], "applied": ["apply"], "inspected": ["apply", "inspect"], "awarded": ["apply", "inspect", "award"],
    "withdrawn": ["apply", "inspect", "award", "withdraw"],
}


def sqlite_application(path: Path, today: date) -> MrezhaApplication:
    """The application on its own SQLite file, its "today" fixed."""
    app = MrezhaApplication(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)})
    app.clock = lambda: today
    return app


def a_centre(app: MrezhaApplication, membership: str = "admitted", label: str = "none", city: str = "Перник") -> UUID:
    """A newly registered centre, taken to the membership and Quality Label states asked for."""
    centre_id, _ = app.centres.register_centre(name=f"Младежки център {uuid4().hex[:8]}", city=city)
    for step in REACHED_BY[membership]:
        MEMBERSHIP_STEPS[step](app, centre_id)
    for step in LABEL_REACHED_BY[label]:
        LABEL_STEPS[step](app, centre_id)
    return centre_id


def refused(app: MrezhaApplication, command: Callable[[], object]) -> DomainError:
    """The error that refused the command; it must have stored nothing."""
    before = app.last_notification_id()
    with pytest.raises(DomainError) as caught:
        command()
    assert app.last_notification_id() == before, "a refused command stored an event"
    return caught.value


def refusal(app: MrezhaApplication, command: Callable[[], object]) -> tuple[str | None, str]:
    """The refused command's (field, code); it must have stored nothing."""
    error = refused(app, command)
    return error.field, error.code
