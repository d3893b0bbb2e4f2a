"""The web process's composition root: ``create_app(settings)`` wires everything once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from urllib.parse import urlencode

from litestar import Litestar, Request, Response
from litestar.exceptions import NotAuthorizedException
from litestar.response import Redirect
from litestar.config.csrf import CSRFConfig
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import HTTPException
from litestar.middleware import DefineMiddleware
from litestar.plugins.htmx import ClientRedirect, HTMXDetails, HTMXPlugin, HTMXRequest
from litestar.response import Template
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from infra.security import Security
from infra.settings import Settings
from infra.sql import open_database
from application.app import MrezhaApplication
from infra.store import store_environment
from projections.base import ensure_tables
from projections.catalog import all_projections
from web import i18n, template_auth
from web.context import Services
from web.auth import AuthenticationMiddleware, access_guard
from web.accounts.routes import AccountsController, SessionController
from web.activities.routes import ActivitiesController
from web.centres.routes import CentresController
from web.activities.exports import ExportsController
from web.operations import OpsController, bus_delay, pipeline_monitor
from web.home import HealthController, HomeController
from web.labels import TEMPLATE_GLOBALS
from web.network.routes import NetworkController
from web.plans.routes import PlansController
from web.practices.routes import PracticesController
from web.projects.routes import ProjectsController
from web.security import add_security_headers
from web.static_files import StaticFileSystem

HERE = Path(__file__).parent
MAX_BODY = 256 * 1024


def template_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]  # added at run time by jinja2.ext.i18n
    env.globals.update(
        current_locale=i18n.current_locale.get,
        locales=i18n.LOCALES,
        **TEMPLATE_GLOBALS,
        bus_delay=bus_delay,
    )
    return env


def template_engine() -> JinjaTemplateEngine:
    engine = JinjaTemplateEngine.from_environment(template_environment())
    template_auth.register(engine)
    return engine


def create_app(settings: Settings) -> Litestar:
    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        env = store_environment(settings)  # first: it makes the PostgreSQL schema the read models use too
        db = open_database(settings)
        security = Security(db)
        security.create_tables()
        application = MrezhaApplication(env=env, passwords=security)
        projections = all_projections()
        for projection in projections:
            ensure_tables(db, projection)
        app.state.services = Services(
            settings=settings,
            app=application,
            db=db,
            projections=projections,
            security=security,
        )
        try:
            yield
        finally:
            db.close()
            application.close()

    def services(state: State) -> Services:
        return state.services

    return Litestar(
        route_handlers=[
            HomeController,
            HealthController,
            OpsController,
            CentresController,
            ActivitiesController,
            ExportsController,
            NetworkController,
            PlansController,
            PracticesController,
            ProjectsController,
            SessionController,
            AccountsController,
            create_static_files_router(
                path="/static", directories=[HERE / "static"], name="static", opt={"public": True},
                file_system=StaticFileSystem(),
            ),
        ],
        lifespan=[lifespan, pipeline_monitor],
        dependencies={"services": Provide(services, sync_to_thread=False)},
        plugins=[HTMXPlugin()],
        request_class=HTMXRequest,
        template_config=TemplateConfig(engine=template_engine()),
        csrf_config=CSRFConfig(secret=settings.secret_key, cookie_httponly=True, cookie_samesite="strict"),
        middleware=[
            i18n.LocaleMiddleware(),
            # every method: an OPTIONS request meets the guard too, which needs to know who asks
            DefineMiddleware(AuthenticationMiddleware, exclude_http_methods=[]),
        ],
        guards=[access_guard],
        before_send=[add_security_headers],  # every response, the router's and the CSRF check's too
        exception_handlers={
            NotAuthorizedException: sign_in_first,
            HTTPException: http_error_page,
            500: http_error_page,
        },
        request_max_body_size=MAX_BODY,
        openapi_config=None,  # no schema viewers: they would load scripts from a CDN
        debug=False,
    )


def sign_in_first(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Anonymous visitors of a private page are sent to sign in, and back afterwards: htmx is told to
    load the sign-in page (``HX-Redirect``), a plain form post or link is redirected."""
    target = "/login?" + urlencode({"next": request.url.path})
    if HTMXDetails(request):
        response = ClientRedirect(target)
        response.status_code = 401  # ClientRedirect says 200; htmx 2 follows HX-Redirect on any status it gets
        return response
    return Redirect(path=target, status_code=303)


def http_error_page(request: Request[Any, Any, Any], exc: Exception) -> Template:
    """4xx and 5xx (an unexpected error too) as a page that looks like the rest (a fragment when htmx asked)."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    template = "_error.html" if HTMXDetails(request) else "error.html"
    return Template(template_name=template, context={"status": status}, status_code=status)
