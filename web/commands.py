"""How a page runs a command: the one ``Action`` type a route declares, and the one way its form runs:
parse, authorise, call, wait until projected, answer.

Domain errors come back as field messages; a refusal is a 403 and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec
from litestar import Request
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.plugins.htmx import HTMXRequest, HTMXTemplate
from litestar.response import Redirect, Template

from application.actor import acting_as
from domain.errors import DomainError, NotFound, NotPermitted
from web.auth import current_user
from web.consistency import wait_until_projected
from web.context import Services
from web.forms import parse_form, typed_values
from web.messages import field_errors
from web.policy import Subject, can


@dataclass(frozen=True)
class Action:
    """A command a route runs, declared in the route's ``opt={"action": ...}``: its name (the key of its
    rule in ``web.policy.POLICY``, which the access guard checks before the handler runs) and the form
    its body is parsed into (None: the handler reads its few fields itself)."""

    name: str
    form: type[msgspec.Struct] | None = None

    @property
    def form_id(self) -> str:
        """Which form of its page sent it: the name without its feature ("cancel", "label-award")."""
        return self.name.partition(".")[2]


def action_of(request: Request[Any, Any, Any]) -> Action:
    """The action of the route that took the request: the one the access guard checked."""
    return request.route_handler.opt["action"]


@dataclass
class Outcome:
    """What happened to a submitted form: the result, or the errors to show beside its fields."""

    ok: bool
    result: Any = None
    errors: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)
    pending: bool = False
    not_found: bool = False


def run_command(
    request: Request[Any, Any, Any],
    services: Services,
    data: Any,
    call: Callable[[Any], Any],
    *,
    subject: Callable[[Any], Subject] = lambda form: Subject(),
) -> Outcome:
    """Runs the route's action: ``call`` gets the parsed form and returns a notification id, or
    (id, notification id); the answer waits, bounded, until the read models have projected it."""
    action, user = action_of(request), current_user(request)
    assert action.form is not None, f"{action.name} reads its fields itself"
    try:
        form = parse_form(data, action.form)
        if not can(user, action.name, subject(form)):
            raise PermissionDeniedException()
        assert user is not None
        with acting_as(user.username, str(user.centre_id or "")):
            result = call(form)
    except NotFound:
        return Outcome(ok=False, not_found=True)
    except NotPermitted:
        raise PermissionDeniedException() from None  # the application layer's own check said no
    except DomainError as error:
        return Outcome(
            ok=False, errors=field_errors(error, action.form.__struct_fields__), values=typed_values(data)
        )
    notification_id = result[-1] if isinstance(result, tuple) else result
    projected = wait_until_projected(
        services.db, services.projections, notification_id, services.settings.projection_wait_seconds
    )
    return Outcome(ok=True, result=result, pending=not projected)


def answer(
    request: HTMXRequest,
    outcome: Outcome,
    *,
    done: str,
    page: str,
    panel: str,
    context: Callable[[], dict[str, Any]],
) -> Template | Redirect:
    """How every form about a record is answered: 404 when its record is gone; otherwise as
    ``answer_created`` says, 200 on success."""
    if outcome.not_found:
        raise NotFoundException()
    return answer_created(request, outcome, done=lambda: done, page=page, panel=panel, context=context, ok=200)


def answer_created(
    request: HTMXRequest,
    outcome: Outcome,
    *,
    done: Callable[[], str],
    page: str,
    panel: str,
    context: Callable[[], dict[str, Any]],
    ok: int = 201,
) -> Template | Redirect:
    """How every form is answered: after success, a redirect to ``done()`` for a plain form post (so a
    reload does not post again); else the panel (htmx) or the whole page with the outcome shown,
    ``ok`` (201: created) on success, 422 when it failed."""
    if outcome.ok and not request.htmx:
        return Redirect(path=done(), status_code=303)
    return HTMXTemplate(
        template_name=panel if request.htmx else page, context=context(), status_code=ok if outcome.ok else 422
    )
