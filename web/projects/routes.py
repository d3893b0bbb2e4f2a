"""Funded projects: the register with filters and euro totals, one project's page, its frozen reports
as printable HTML, and CSV exports of projects and of indicator progress. Read pages only for now:
projects are recorded through the application (the demo, the CLI); their forms come next."""

from __future__ import annotations

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from projections.projects import ProjectRegister
from web.context import Services
from web.paths import uuid_or_404
from web.projects.pages import bg_date, csv_text, money, project_context, register_context, register_filter

PROJECT_COLUMNS = ["id", "code", "title", "funder", "programme", "component", "beneficiary", "total_value", "currency",
                   "starts_on", "planned_end", "actual_end", "status"]
PROGRESS_COLUMNS = ["project_id", "key", "period", "seq", "value", "as_of", "source", "is_correction", "note",
                    "recorded_at"]


class ProjectsController(Controller):
    path = "/projects"

    @get("/", sync_to_thread=True, opt={"public": True})
    def register(
        self, services: NamedDependency[Services], funder: FromQuery[str] = "", status: FromQuery[str] = "",
        centre: FromQuery[str] = "", year: FromQuery[str] = "",
    ) -> Template:
        context = register_context(services, register_filter(funder, status, centre, year))
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
    def project(self, project_id: FromPath[str], services: NamedDependency[Services]) -> Template:
        uuid_or_404(project_id)
        return Template(template_name="projects/details.html", context=project_context(services, project_id))

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
