"""Commands on funded projects: registered, started, closed, cancelled; indicators, progress and
its corrections; activities and deliverables linked; reports submitted with their figures frozen.

A beneficiary or partner centre must be a member in good standing; an outside beneficiary
(Община Пловдив) is named by text.

Who may change a project is checked here, behind the web's policy: the secretariat, and the
coordinators of the centres involved in it (the beneficiary's and the partners'). A coordinator
registers only a project their own centre takes part in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from application.base import Commands
from domain.activity import Activity
from domain.errors import NotFound, NotPermitted
from domain.project import Project


class Projects(Commands):
    def register_project(self, *, beneficiary_centre_id: UUID | None = None, centre_ids: list[UUID] | None = None,
                         **facts: Any) -> tuple[UUID, int]:
        involved = [*([beneficiary_centre_id] if beneficiary_centre_id else []), *(centre_ids or [])]
        self._project_rights(involved)
        for centre_id in involved:
            self._member_in_good_standing(centre_id, "beneficiary_centre_id")
        project = Project.register(beneficiary_centre_id=beneficiary_centre_id, centre_ids=centre_ids, **facts)
        return project.id, self._save(project)

    def start_project(self, project_id: UUID, started_on: date) -> int:
        return self._on_project(project_id, lambda p: p.start(started_on))

    def close_project(self, project_id: UUID, actual_end: date) -> int:
        return self._on_project(project_id, lambda p: p.close(actual_end))

    def cancel_project(self, project_id: UUID, reason: str) -> int:
        return self._on_project(project_id, lambda p: p.cancel(reason))

    def correct_project_code(self, project_id: UUID, code: str, note: str) -> int:
        return self._on_project(project_id, lambda p: p.correct_code(code, note))

    def define_indicator(self, project_id: UUID, *, key: str, name: str, unit: str,
                         baseline: Decimal | str | int = 0, target: Decimal | str | int) -> int:
        return self._on_project(project_id, lambda p: p.define_indicator(
            key=key, name=name, unit=unit, baseline=baseline, target=target))

    def report_progress(self, project_id: UUID, *, key: str, period: str, value: Decimal | str | int,
                        as_of: date, source: str = "") -> int:
        return self._on_project(project_id, lambda p: p.report_progress(
            key=key, period=period, value=value, as_of=as_of, source=source))

    def correct_progress(self, project_id: UUID, *, key: str, period: str, value: Decimal | str | int,
                         as_of: date, note: str, source: str = "") -> int:
        return self._on_project(project_id, lambda p: p.correct_progress(
            key=key, period=period, value=value, as_of=as_of, note=note, source=source))

    def link_activity(self, project_id: UUID, activity_id: UUID, role: str = "") -> int:
        def link(project: Project) -> None:
            if self._get(activity_id, Activity) is None:
                raise NotFound("activity_id")
            project.link_activity(activity_id, role)

        return self._on_project(project_id, link)

    def add_deliverable(self, project_id: UUID, *, title: str, kind: str = "", link: str = "") -> int:
        return self._on_project(project_id, lambda p: p.add_deliverable(title=title, kind=kind, link=link))

    def submit_report(self, project_id: UUID, *, kind: str, period: str) -> int:
        """The report's figures are computed from the record now and travel in the event: frozen as submitted."""
        today = self.today()
        return self._on_project(project_id, lambda p: p.submit_report(
            kind=kind, period=period, submitted_on=today))

    def add_partner(self, project_id: UUID, *, name: str, country: str = "", centre_id: UUID | None = None) -> int:
        """A partner joins; a partner centre of the network must be a member in good standing."""
        def add(project: Project) -> None:
            if centre_id is not None:
                self._member_in_good_standing(centre_id, "centre_id")
            project.add_partner(name=name, country=country, centre_id=centre_id)

        return self._on_project(project_id, add)

    # Rights -------------------------------------------------------------------------------------------

    def _on_project(self, project_id: UUID, action: Callable[[Project], object]) -> int:
        """Load the project, check the acting account may change it, let it decide, save."""
        project = self._get(project_id, Project)
        if project is None:
            raise NotFound(None)
        self._project_rights(project.centre_ids)
        action(project)
        return self._save(project)

    def _project_rights(self, centre_ids: Iterable[UUID]) -> None:
        """The secretariat, or a coordinator of a centre involved in the project (the system and set-ups act freely)."""
        account = self._acting_account()
        if account is None or account.role == "secretariat":
            return
        if account.role != "coordinator" or account.centre_id is None or account.centre_id not in set(centre_ids):
            raise NotPermitted(None)
