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
