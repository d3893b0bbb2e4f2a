"""A blank form rendered once: ``{% call kept_form(key) %}…the form…{% endcall %}``.

Planning answers every success with the plan form again, blank, and its dozen fields drawn through the
macros were the largest part of that answer's time. A blank form is the same markup for everyone who
reads it in the same language with the same choices, except for two values of each answer: the session's
CSRF token and the form's one-time submission key. So the form is drawn once per (language, ``key``) with a
placeholder for each, kept, and each answer puts its own token and a fresh key in. ``key`` must hold
everything else the block shows that can differ between users or answers (the centres offered, say);
``None`` draws the block as it is (a form with errors or typed values: never kept). A day's page (``?as_of=``)
is never kept either: its links carry the day.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Mapping
from contextvars import ContextVar
from typing import Any
from uuid import uuid4

from litestar.template.base import csrf_token as litestar_csrf_token
from markupsafe import Markup, escape

# Placeholders no template writes and no escaping changes; each answer replaces them.
_TOKEN = "\x1ecsrf-token\x1e"
_KEY = "\x1esubmission-key\x1e"
_KEPT_MAX = 256  # forms kept at once: the languages times the choices offered (a user's centre, the secretariat's)

_drawing_kept: ContextVar[bool] = ContextVar("drawing_kept", default=False)
_kept: dict[tuple[Hashable, ...], str] = {}
_lock = threading.Lock()


def kept_form(context: Mapping[str, Any], key: Any, caller: Callable[[], str]) -> Markup:
    """The block ``caller`` draws, kept per language and ``key``, with this answer's token and a fresh key."""
    if key is None or context.get("as_of_shown") or _drawing_kept.get():
        return Markup(caller())
    full_key = (context["current_locale"](), _frozen(key))
    html = _kept.get(full_key)
    if html is None:
        drawing = _drawing_kept.set(True)
        try:
            html = str(caller())
        finally:
            _drawing_kept.reset(drawing)
        with _lock:
            if len(_kept) >= _KEPT_MAX:
                _kept.clear()
            _kept[full_key] = html
    token = str(escape(litestar_csrf_token(context)))
    first, *rest = html.replace(_TOKEN, token).split(_KEY)  # each form of the block its own key
    return Markup(first + "".join(uuid4().hex + part for part in rest))


def _frozen(key: Any) -> Hashable:
    """The key with its lists as tuples (the choices a template holds are lists)."""
    return tuple(_frozen(part) for part in key) if isinstance(key, (list, tuple)) else key


def csrf_token(context: Mapping[str, Any]) -> str:
    """The session's CSRF token; its placeholder while a kept form is drawn."""
    return _TOKEN if _drawing_kept.get() else litestar_csrf_token(context)


def new_submission_key() -> str:
    """A new one-time submission key; its placeholder while a kept form is drawn."""
    return _KEY if _drawing_kept.get() else uuid4().hex


def register(engine: Any) -> None:
    engine.register_template_callable("kept_form", kept_form)
    engine.register_template_callable("csrf_token", csrf_token)
