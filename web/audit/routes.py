"""``/audit/key``: the checkpoints' public key, for anyone who checks a proof or a checkpoint;
``/audit/{year}``: the year's report, replayed into scratch read models, for the auditor and the
secretariat."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.response import Response, Template

from audit.note import raw_public, verifier_key
from infra.audit_log import load_key, origin_of
from audit.note import NoteError, open_note
from infra.audit_log import latest_checkpoint
from infra.audit_report import bar_chart, last_result, run_year
from infra.sql import SQLiteDatabase
from projections.calendar_queries import CalendarQueries
from web.i18n import gettext as _
from web.messages import N_
from web.auth import current_user
from web.context import Services
from web.policy import may_audit


def _verifier(services: Services) -> str:
    settings = services.settings
    return verifier_key(origin_of(settings), raw_public(load_key(settings.data_dir)))


def year_page_context(services: Services, year: int) -> dict[str, object]:
    """Replays the store into a scratch database (never the live read models) and reads the report."""
    with tempfile.TemporaryDirectory(prefix="mrezha-audit-") as directory:
        scratch = SQLiteDatabase(Path(directory) / "scratch.sqlite")
        try:
            digest, differences = run_year(services.app, services.db, scratch, _verifier(services),
                                           services.projections, year, Path(directory) / "out")
        except LookupError:
            return {"year": year, "report": None}
        finally:
            scratch.close()
        content = json.loads((Path(directory) / "out" / "report.json").read_text(encoding="utf-8"))
    charts = [bar_chart(_(title), content["activities"][key]) for title, key in (
        (N_("Activities by kind"), "by_kind"), (N_("Activities by month"), "by_month"),
        (N_("Activities by centre"), "by_centre"))]
    plan_chart = bar_chart(_("Planned and held by kind"), content["plan"]["by_kind"], "planned", "held")
    return {"year": year, "report": content, "digest": digest, "differences": differences, "charts": charts,
            "plan_chart": plan_chart}


def index_context(services: Services) -> dict[str, object]:
    """The audit's last result (kept by `mrezha audit report` and the year pages) and the latest checkpoint."""
    signed = latest_checkpoint(services.db)
    checkpoint = None
    if signed is not None:
        try:
            checkpoint = open_note(signed, _verifier(services))
        except NoteError:
            checkpoint = None
    return {"result": last_result(services.db), "checkpoint": checkpoint, "years": CalendarQueries.years(services.db),
            "root_hash": checkpoint.root.hex() if checkpoint else "", "signed": signed}


class AuditController(Controller):
    path = "/audit"

    @get("/", sync_to_thread=True)
    def index(self, request: Request, services: NamedDependency[Services]) -> Template:
        if not may_audit(current_user(request)):
            raise PermissionDeniedException()
        return Template(template_name="audit/index.html", context=index_context(services))

    @get("/key", sync_to_thread=True, opt={"public": True})
    def key(self, services: NamedDependency[Services]) -> Response[str]:
        """The C2SP verifier key (``name+keyid+base64(0x01‖key)``) of the signed checkpoints."""
        return Response(_verifier(services) + "\n", media_type="text/plain; charset=utf-8")

    @get("/{year:str}", sync_to_thread=True)
    def year(self, request: Request, services: NamedDependency[Services], year: FromPath[str]) -> Template:
        if not may_audit(current_user(request)):
            raise PermissionDeniedException()
        if not (year.isdigit() and len(year) == 4):
            raise NotFoundException()
        return Template(template_name="audit/year.html", context=year_page_context(services, int(year)))
