"""The web process's composition root: ``create_app(settings)`` wires everything once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from urllib.parse import urlencode, urlsplit

from litestar import Litestar, Request, Response
from litestar.exceptions import NotAuthorizedException
from litestar.exceptions import MethodNotAllowedException
from litestar.response import Redirect
from litestar.config.allowed_hosts import AllowedHostsConfig
from litestar.config.csrf import CSRFConfig
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.di import Provide
from litestar.exceptions import HTTPException
from litestar.middleware import DefineMiddleware
from litestar.plugins.htmx import ClientRedirect, HTMXDetails, HTMXPlugin, HTMXRequest
from litestar.response import Template
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from infra.feed_tokens import FeedTokens
from infra.security import Security
from infra.settings import Settings
from infra.sql import open_database
from application.app import MrezhaApplication
from infra.store import store_environment
from projections.base import ensure_tables
from projections.catalog import all_projections
from web import i18n, template_auth
from web.commands import submission_field
from web.forms import LIMITS as FORM_LIMITS
from web.audit.routes import AuditController
from web.context import Services
from web.auth import AuthenticationMiddleware, access_guard, csrf_cookie
from web.accounts.routes import AccountsController, SessionController
from web.activities.routes import ActivitiesController
from web.centres.routes import CentresController
from web.activities.exports import ExportsController
from web.api.routes import ApiController
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.router import Router
from web.feeds.routes import FeedsController
from web.operations import OpsController, bus_delay, pipeline_monitor
from web.home import HealthController, HomeController
from web.confirmation import confirming
from web.dates import FILTERS
from web.labels import TEMPLATE_GLOBALS
from web.network.routes import NetworkController
from web.plans.routes import PlansController
from web.practices.routes import PracticesController
from web.wakeups import Wakeups, bus_wakeups
from web.live.feed import live_feed
from web.options import options
from web.live.routes import LiveController
from infra.bus_auth import url_for
from web.errors import add_request_id, http_error_page
from web.projects.routes import ProjectsController
from web.security import add_security_headers
from web.static_files import StaticFileSystem
from web.text import FILTERS as TEXT_FILTERS
from infra.as_of import AsOfModels
from web import as_of, kept_forms

HERE = Path(__file__).parent
MAX_BODY = 256 * 1024


class PageEnvironment(Environment):
    """Jinja's environment, reading a row's field (``activity.title``: the read models' rows are dicts) as a key
    at once. Jinja tries the attribute first and reads the key only after the ``AttributeError``; a page of
    twenty rows raised some three hundred of them (~1 µs each). A dict's own attributes (``values.get``) still
    come first, as in Jinja."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute in obj and attribute not in _DICT_ATTRIBUTES:
            return obj[attribute]
        return super().getattr(obj, attribute)


_DICT_ATTRIBUTES = frozenset(dir(dict))


def template_environment() -> Environment:
    env = PageEnvironment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n", as_of.DayLinks],  # DayLinks: a day's page keeps the day in its links
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates are read once: no stat() of each template file on every render
    )
    env.filters.update(FILTERS)
    env.filters.update(TEXT_FILTERS)
    i18n.install(env)
    env.globals.update(
        current_locale=i18n.current_locale.get,
        locales=i18n.LOCALES,
        **TEMPLATE_GLOBALS,
        bus_delay=bus_delay,
        submission_field=submission_field,
        limits=FORM_LIMITS,
    )
    env.globals["options"] = options  # web.options: the calendar's long list of centres, rendered once
    env.globals.update(as_of.TEMPLATE_GLOBALS)
    env.filters["day_link"] = as_of.day_link
    return env


def template_engine() -> JinjaTemplateEngine:
    engine = JinjaTemplateEngine.from_environment(template_environment())
    template_auth.register(engine)
    kept_forms.register(engine)  # blank forms drawn once, this answer's CSRF token and key put in
    engine.register_template_callable("confirming", confirming)  # a form asking its question (web.confirmation)
    return engine


def create_app(settings: Settings) -> Litestar:
    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        env = store_environment(settings)  # first: it makes the PostgreSQL schema the read models use too
        db = open_database(settings)
        security = Security(
            db, session_idle=timedelta(minutes=settings.session_idle_minutes),
            session_max=timedelta(hours=settings.session_max_hours),
        )
        security.create_tables()
        feed_tokens = FeedTokens(db, settings.secret_key)
        feed_tokens.create_tables()
        application = MrezhaApplication(env=env, passwords=security)
        wakeups = Wakeups(url_for(settings.nats_url, settings.data_dir, "monitor") if settings.nats_url else None)
        application.after_save.append(wakeups.stored)  # the relay publishes at once
        projections = all_projections()
        for projection in projections:
            ensure_tables(db, projection)
        app.state.services = Services(
            settings=settings,
            app=application,
            db=db,
            projections=projections,
            security=security,
            feed_tokens=feed_tokens,
            wakeups=wakeups,
            as_of=AsOfModels.started(application, all_projections(), settings),
        )
        try:
            yield
        finally:
            app.state.services.as_of.close()
            db.close()
            application.close()

    return Litestar(
        route_handlers=[
            HomeController,
            HealthController,
            OpsController,
            CentresController,
            ActivitiesController,
            ExportsController,
            FeedsController,
            ApiController,
            NetworkController,
            PlansController,
            PracticesController,
            ProjectsController,
            SessionController,
            AccountsController,
            AuditController,
            LiveController,
            create_static_files_router(
                path="/static", directories=[HERE / "static"], name="static", opt={"public": True},
                file_system=StaticFileSystem(),
            ),
        ],
        lifespan=[lifespan, pipeline_monitor, bus_wakeups, live_feed],
        dependencies={"services": Provide(as_of.services)},  # the live read models, or a day's (?as_of=)
        plugins=[HTMXPlugin()],
        request_class=HTMXRequest,
        template_config=TemplateConfig(engine=template_engine()),
        csrf_config=CSRFConfig(
            secret=settings.secret_key, cookie_name=csrf_cookie(settings), cookie_httponly=True,
            cookie_samesite="strict", cookie_secure=settings.is_https,
        ),
        allowed_hosts=allowed_hosts(settings),
        middleware=[
            i18n.LocaleMiddleware(),
            # every method: an OPTIONS request meets the guard too, which needs to know who asks
            DefineMiddleware(AuthenticationMiddleware, exclude_http_methods=[]),
            as_of.AsOfMiddleware(),  # ?as_of=DAY: a 400 when bad; links keep it, commands are left out
        ],
        guards=[access_guard],
        before_send=[add_security_headers, add_request_id],  # every response, the router's and the CSRF check's too
        exception_handlers={
            NotAuthorizedException: sign_in_first,
            MethodNotAllowedException: back_to_the_form,
            HTTPException: http_error_page,
            500: http_error_page,
            as_of.BadAsOf: as_of.as_of_problem,
            as_of.AsOfPreparing: as_of.as_of_problem,
        },
        request_max_body_size=MAX_BODY,
        openapi_config=openapi_config(),
        include_in_schema=False,  # the pages are not the API; ApiController opts back in
        logging_config=None,  # the process logs as every other does (infra.logs)
        debug=False,
    )


def openapi_config() -> OpenAPIConfig:
    """The open-data API's OpenAPI document, generated from its msgspec types, at /schema/openapi.json
    (and /schema). Only the JSON: the schema viewers would load scripts from a CDN."""
    return OpenAPIConfig(
        title="Mrezha open data",
        version="1",
        description="The public facts of the National Network of Youth Centres: centres, activities, outcomes, "
        "good practices, the chair timeline and the annual plans as published. Licence: CC BY 4.0.",
        render_plugins=[JsonRenderPlugin()],
        openapi_router=Router("/schema", route_handlers=[], include_in_schema=False, opt={"public": True}),
    )

def allowed_hosts(settings: Settings) -> AllowedHostsConfig | None:
    """With a public URL, requests for any other host are refused (the public host and this machine's
    own loopback names, for local checks such as /healthz)."""
    if not settings.public_url:
        return None
    host = urlsplit(settings.public_url).hostname or ""
    return AllowedHostsConfig(allowed_hosts=[host, "127.0.0.1", "localhost", "[::1]", "::1"])


def sign_in_first(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Anonymous visitors of a private page are sent to sign in, and back afterwards: htmx is told to
    load the sign-in page (``HX-Redirect``), a plain form post or link is redirected."""
    target = "/login?" + urlencode({"next": come_back_to(request)})
    if HTMXDetails(request):
        response = ClientRedirect(target)
        response.status_code = 401  # ClientRedirect says 200; htmx 2 follows HX-Redirect on any status it gets
        return response
    return Redirect(path=target, status_code=303)


def come_back_to(request: Request[Any, Any, Any]) -> str:
    """Where to return after signing in: the page asked for; for a form sent after the session ended,
    the page the form was on (htmx's ``HX-Current-URL``, else the ``Referer``), never the form's POST URL
    (a GET there would be a 405). Only a path of this site: anything else returns to the start."""
    if request.method in ("GET", "HEAD"):
        return request.url.path
    sent_from = request.headers.get("hx-current-url") or request.headers.get("referer") or ""
    parts = urlsplit(sent_from)
    if parts.netloc and parts.netloc != request.headers.get("host", request.url.netloc):
        return "/"
    path = parts.path or "/"
    return path + (f"?{parts.query}" if parts.query else "") if path.startswith("/") and not path.startswith("//") else "/"


def back_to_the_form(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A 405: a command's URL opened as a page (a bookmark, a sign-in that came back to it) is sent to the
    page its form is on; anything else is answered as every error is."""
    path = request.url.path.rstrip("/")
    if request.method == "GET" and "/" in path.strip("/") and not HTMXDetails(request):
        return Redirect(path=path.rsplit("/", 1)[0], status_code=303)
    return http_error_page(request, exc)
