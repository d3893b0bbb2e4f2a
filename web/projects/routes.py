"""Funded projects: the register with filters and euro totals, one project's page, its frozen reports
as printable HTML, and CSV exports of projects and of indicator progress; and the commands on projects.

Each command is one route: its ``Action`` (the command's name and its form) in the route's ``opt``, and
the one application method it calls in its body. The secretariat and the coordinators of the centres
involved in a project may change it (``web.policy``; the application checks again)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from projections.projects import ProjectRegister
from web.auth import current_user
from web.commands import Action, action_of, answer, answer_created, run_command
from web.context import Services
from web.forms import Form, ReasonForm
from web.paths import uuid_or_404
from web.policy import Subject
from web.projects.forms import (
    ActivityLinkForm, CloseForm, CodeForm, CorrectionForm, DeliverableForm, IndicatorForm, PartnerForm, ProgressForm,
    RegisterForm, ReportForm, StartForm,
)
from web.projects.pages import (
    bg_date, csv_text, money, project_context, project_subject, register_context, register_filter,
)

PROJECT_COLUMNS = ["id", "code", "title", "funder", "programme", "component", "beneficiary", "total_value", "currency",
                   "starts_on", "planned_end", "actual_end", "status"]
PROGRESS_COLUMNS = ["project_id", "key", "period", "seq", "value", "as_of", "source", "is_correction", "note",
                    "recorded_at"]


class ProjectsController(Controller):
    path = "/projects"

    @get("/", sync_to_thread=True, opt={"public": True})
    def register(
        self, request: Request[Any, Any, Any], services: NamedDependency[Services], funder: FromQuery[str] = "",
        status: FromQuery[str] = "", centre: FromQuery[str] = "", year: FromQuery[str] = "", programme: FromQuery[str] = "",
    ) -> Template:
        context = register_context(services, register_filter(funder, status, centre, year, programme), current_user(request))
        return Template(template_name="projects/index.html", context=context)

    @get("/projects.csv", sync_to_thread=True, opt={"public": True})
    def projects_csv(self, services: NamedDependency[Services]) -> Response[str]:
        rows = ProjectRegister.search(services.db)
        return Response(csv_text(rows, PROJECT_COLUMNS), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="projects.csv"'})

    @get("/progress.csv", sync_to_thread=True, opt={"public": True})
    def progress_csv(self, services: NamedDependency[Services]) -> Response[str]:
        rows = services.db.fetchall("SELECT * FROM project_progress ORDER BY project_id, key, period, seq")
        return Response(csv_text(rows, PROGRESS_COLUMNS), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="project-progress.csv"'})

    @get("/{project_id:str}", sync_to_thread=True, opt={"public": True})
    def project(self, request: Request[Any, Any, Any], project_id: FromPath[str],
                services: NamedDependency[Services]) -> Template:
        uuid_or_404(project_id)
        context = project_context(services, project_id, current_user(request))
        return Template(template_name="projects/details.html", context=context)

    @get("/{project_id:str}/reports/{kind:str}/{period:str}", sync_to_thread=True, opt={"public": True})
    def report(self, project_id: FromPath[str], kind: FromPath[str], period: FromPath[str],
               services: NamedDependency[Services]) -> Template:
        """The report as it was submitted: its figures come from the submission event, not the live record."""
        uuid_or_404(project_id)
        project = ProjectRegister.get(services.db, project_id)
        report = next((r for r in ProjectRegister.reports(services.db, project_id)
                       if (r["kind"], r["period"]) == (kind, period)), None)
        if project is None or report is None:
            raise NotFoundException()
        return Template(template_name="projects/report.html",
                        context={"project": project, "report": report, "money": money, "bg_date": bg_date})

    # The commands ------------------------------------------------------------------------------

    @post("/", sync_to_thread=True, opt={"action": Action("project.register", RegisterForm)})
    def register_project(self, request: HTMXRequest, services: NamedDependency[Services], data: Form) -> Template | Redirect:
        outcome = run_command(
            request, services, data, lambda form: services.app.projects.register_project(**form.facts()),
            subject=lambda form: Subject(acting_centre_id=form.centre_id),
        )
        return answer_created(
            request, outcome, done=lambda: f"/projects/{outcome.result[0]}", page="projects/index.html",
            panel="projects/_panel.html",
            context=lambda: register_context(services, register_filter("", "", "", ""), current_user(request), outcome),
        )

    @post("/{project_id:str}/start", sync_to_thread=True, opt={"action": Action("project.start", StartForm)})
    def start(self, request: HTMXRequest, project_id: FromPath[str], services: NamedDependency[Services],
              data: Form) -> Template | Redirect:
        return on_project(request, services, project_id, data,
                          lambda uuid, form: services.app.projects.start_project(uuid, form.started_on))

    @post("/{project_id:str}/close", sync_to_thread=True, opt={"action": Action("project.close", CloseForm)})
    def close(self, request: HTMXRequest, project_id: FromPath[str], services: NamedDependency[Services],
              data: Form) -> Template | Redirect:
        return on_project(request, services, project_id, data,
                          lambda uuid, form: services.app.projects.close_project(uuid, form.actual_end))

    @post("/{project_id:str}/cancel", sync_to_thread=True, opt={"action": Action("project.cancel", ReasonForm)})
    def cancel(self, request: HTMXRequest, project_id: FromPath[str], services: NamedDependency[Services],
               data: Form) -> Template | Redirect:
        return on_project(request, services, project_id, data,
                          lambda uuid, form: services.app.projects.cancel_project(uuid, form.reason))

    @post("/{project_id:str}/code", sync_to_thread=True, opt={"action": Action("project.code", CodeForm)})
    def correct_code(self, request: HTMXRequest, project_id: FromPath[str], services: NamedDependency[Services],
                     data: Form) -> Template | Redirect:
        return on_project(request, services, project_id, data,
                          lambda uuid, form: services.app.projects.correct_project_code(uuid, form.code, form.note))

    @post("/{project_id:str}/partner", sync_to_thread=True, opt={"action": Action("project.partner", PartnerForm)})
    def add_partner(self, request: HTMXRequest, project_id: FromPath[str], services: NamedDependency[Services],
                    data: Form) -> Template | Redirect:
        return on_project(request, services, project_id, data, lambda uuid, form: services.app.projects.add_partner(
            uuid, name=form.name, country=form.country, centre_id=form.centre_id))

    @post("/{project_id:str}/indicator", sync_to_thread=True,
          opt={"action": Action("project.indicator", IndicatorForm)})
    def define_indicator(self, request: HTMXRequest, project_id: FromPath[str], services: NamedDependency[Services],
                         data: Form) -> Template | Redirect:
        return on_project(request, services, project_id, data, lambda uuid, form: services.app.projects.define_indicator(
            uuid, key=form.key, name=form.name, unit=form.unit, baseline=form.baseline, target=form.target))

    @post("/{project_id:str}/progress", sync_to_thread=True, opt={"action": Action("project.progress", ProgressForm)})
    def report_progress(self, request: HTMXRequest, project_id: FromPath[str], services: NamedDependency[Services],
                        data: Form) -> Template | Redirect:
        return on_project(request, services, project_id, data, lambda uuid, form: services.app.projects.report_progress(
            uuid, key=form.key, period=form.period, value=form.value, as_of=form.as_of, source=form.source))

    @post("/{project_id:str}/correction", sync_to_thread=True,
          opt={"action": Action("project.correction", CorrectionForm)})
    def correct_progress(self, request: HTMXRequest, project_id: FromPath[str], services: NamedDependency[Services],
                         data: Form) -> Template | Redirect:
        return on_project(request, services, project_id, data, lambda uuid, form: services.app.projects.correct_progress(
            uuid, key=form.key, period=form.period, value=form.value, as_of=form.as_of, note=form.note,
            source=form.source))

    @post("/{project_id:str}/activity", sync_to_thread=True,
          opt={"action": Action("project.activity", ActivityLinkForm)})
    def link_activity(self, request: HTMXRequest, project_id: FromPath[str], services: NamedDependency[Services],
                      data: Form) -> Template | Redirect:
        return on_project(request, services, project_id, data,
                          lambda uuid, form: services.app.projects.link_activity(uuid, form.activity_id, form.role))

    @post("/{project_id:str}/deliverable", sync_to_thread=True,
          opt={"action": Action("project.deliverable", DeliverableForm)})
    def add_deliverable(self, request: HTMXRequest, project_id: FromPath[str], services: NamedDependency[Services],
                        data: Form) -> Template | Redirect:
        return on_project(request, services, project_id, data, lambda uuid, form: services.app.projects.add_deliverable(
            uuid, title=form.title, kind=form.kind, link=form.link))

    @post("/{project_id:str}/report", sync_to_thread=True, opt={"action": Action("project.report", ReportForm)})
    def submit_report(self, request: HTMXRequest, project_id: FromPath[str], services: NamedDependency[Services],
                      data: Form) -> Template | Redirect:
        return on_project(request, services, project_id, data, lambda uuid, form: services.app.projects.submit_report(
            uuid, kind=form.kind, period=form.period))


def on_project(
    request: HTMXRequest, services: Services, project_id: str, data: Form, call: Callable[[UUID, Any], Any]
) -> Template | Redirect:
    """Runs the route's command on one project (``call`` gets its id and the parsed form) and answers with
    the project's page; the centres involved in the project decide who may."""
    uuid = uuid_or_404(project_id)
    if ProjectRegister.get(services.db, project_id) is None:
        raise NotFoundException()
    subject = project_subject(services, project_id)
    outcome = run_command(request, services, data, lambda form: call(uuid, form), subject=lambda form: subject)
    form_id = action_of(request).form_id
    return answer(
        request, outcome, done=f"/projects/{project_id}", page="projects/details.html",
        panel="projects/_project_panel.html",
        context=lambda: project_context(services, project_id, current_user(request), outcome, form_id),
    )
