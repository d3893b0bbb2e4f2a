"""Translations: Bulgarian by default, English beside it, chosen per request.

Catalogs are ``.po`` files compiled in memory at start (no build step). The
locale of the current request lives in a context variable that the locale
middleware sets, so templates and handlers translate with plain ``_()``.
"""

from __future__ import annotations

import gettext as stdlib_gettext
from contextvars import ContextVar
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from babel.messages.pofile import read_po
from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

LOCALES = ("bg", "en")
DEFAULT_LOCALE = "bg"
COOKIE = "lang"
_LOCALES_DIR = Path(__file__).parent / "locales"

current_locale: ContextVar[str] = ContextVar("current_locale", default=DEFAULT_LOCALE)


def _load(locale: str) -> stdlib_gettext.NullTranslations:
    path = _LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return stdlib_gettext.NullTranslations()
    with path.open("rb") as file:
        catalog = read_po(file, locale=locale)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return stdlib_gettext.GNUTranslations(buffer)


_TRANSLATIONS = {locale: _load(locale) for locale in LOCALES}


def gettext(message: str) -> str:
    return _TRANSLATIONS[current_locale.get()].gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _TRANSLATIONS[current_locale.get()].ngettext(singular, plural, n)


_ = gettext


KEPT_MESSAGES = 5_000  # the templates' messages, in every language, fit many times over


def install(env: Environment) -> None:
    """``_()`` and ``gettext()`` in templates as jinja's newstyle gettext has them (escaped, formatted
    with their variables), but a message without variables is translated and made markup once per
    language, not on every render: a page asks for some sixty."""
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
    newstyle = env.globals["gettext"]
    kept: dict[tuple[str, str], Markup] = {}

    @pass_context
    def kept_gettext(context: Context, message: str, /, **variables: object) -> object:
        if variables or not context.eval_ctx.autoescape:
            return newstyle(context, message, **variables)
        key = (current_locale.get(), message)
        made = kept.get(key)
        if made is None:
            made = Markup(gettext(message)) % {}  # exactly what the newstyle gettext makes of it
            if len(kept) < KEPT_MESSAGES:
                kept[key] = made
        return made

    env.globals.update(gettext=kept_gettext, _=kept_gettext)


def choose_locale(cookie_value: str | None) -> str:
    return cookie_value if cookie_value in LOCALES else DEFAULT_LOCALE


class LocaleMiddleware(ASGIMiddleware):
    """Sets the request's locale from the ``lang`` cookie before anything renders."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        token = current_locale.set(choose_locale(ASGIConnection(scope).cookies.get(COOKIE)))
        try:
            await next_app(scope, receive, send)
        finally:
            current_locale.reset(token)
