"""Commands on funded projects: registered, started, closed, cancelled; indicators, progress and
its corrections; activities and deliverables linked; reports submitted with their figures frozen.

A beneficiary or partner centre must be a member in good standing; an outside beneficiary
(Община Пловдив) is named by text.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from application.base import Commands
from domain.activity import Activity
from domain.errors import NotFound
from domain.project import Project


class Projects(Commands):
    def register_project(self, *, beneficiary_centre_id: UUID | None = None, centre_ids: list[UUID] | None = None,
                         **facts: Any) -> tuple[UUID, int]:
        for centre_id in [*([beneficiary_centre_id] if beneficiary_centre_id else []), *(centre_ids or [])]:
            self._member_in_good_standing(centre_id, "beneficiary_centre_id")
        project = Project.register(beneficiary_centre_id=beneficiary_centre_id, centre_ids=centre_ids, **facts)
        return project.id, self._save(project)

    def start_project(self, project_id: UUID, started_on: date) -> int:
        return self._change(project_id, Project, lambda p: p.start(started_on))

    def close_project(self, project_id: UUID, actual_end: date) -> int:
        return self._change(project_id, Project, lambda p: p.close(actual_end))

    def cancel_project(self, project_id: UUID, reason: str) -> int:
        return self._change(project_id, Project, lambda p: p.cancel(reason))

    def correct_project_code(self, project_id: UUID, code: str, note: str) -> int:
        return self._change(project_id, Project, lambda p: p.correct_code(code, note))

    def define_indicator(self, project_id: UUID, *, key: str, name: str, unit: str,
                         baseline: Decimal | str | int = 0, target: Decimal | str | int) -> int:
        return self._change(project_id, Project, lambda p: p.define_indicator(
            key=key, name=name, unit=unit, baseline=baseline, target=target))

    def report_progress(self, project_id: UUID, *, key: str, period: str, value: Decimal | str | int,
                        as_of: date, source: str = "") -> int:
        return self._change(project_id, Project, lambda p: p.report_progress(
            key=key, period=period, value=value, as_of=as_of, source=source))

    def correct_progress(self, project_id: UUID, *, key: str, period: str, value: Decimal | str | int,
                         as_of: date, note: str, source: str = "") -> int:
        return self._change(project_id, Project, lambda p: p.correct_progress(
            key=key, period=period, value=value, as_of=as_of, note=note, source=source))

    def link_activity(self, project_id: UUID, activity_id: UUID, role: str = "") -> int:
        if self._get(activity_id, Activity) is None:
            raise NotFound("activity_id")
        return self._change(project_id, Project, lambda p: p.link_activity(activity_id, role))

    def add_deliverable(self, project_id: UUID, *, title: str, kind: str = "", link: str = "") -> int:
        return self._change(project_id, Project, lambda p: p.add_deliverable(title=title, kind=kind, link=link))

    def submit_report(self, project_id: UUID, *, kind: str, period: str) -> int:
        """The report's figures are computed from the record now and travel in the event: frozen as submitted."""
        today = self.today()
        return self._change(project_id, Project, lambda p: p.submit_report(
            kind=kind, period=period, submitted_on=today))
