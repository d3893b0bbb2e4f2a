"""Running one command from a form: parse, authorise, call, wait until projected.

Domain errors come back as field messages; a refusal is a 403 and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.plugins.htmx import HTMXRequest, HTMXTemplate
from litestar.response import Redirect, Template

from domain.errors import DomainError, NotFound
from application.actor import acting_as
from web.consistency import wait_until_projected
from web.context import Services
from web.forms import parse_form, typed_values
from web.messages import field_errors
from web.policy import Subject, User, can


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
    services: Services,
    data: Any,
    form_type: type[msgspec.Struct],
    call: Callable[[Any], Any],
    *,
    user: User | None,
    command: str,
    subject: Callable[[Any], Subject] = lambda form: Subject(),
) -> Outcome:
    """``call`` gets the parsed form and returns a notification id, or (id, notification id)."""
    try:
        form = parse_form(data, form_type)
        if not can(user, command, subject(form)):
            raise PermissionDeniedException()
        assert user is not None
        with acting_as(user.username, str(user.centre_id or "")):
            result = call(form)
    except NotFound:
        return Outcome(ok=False, not_found=True)
    except DomainError as error:
        return Outcome(
            ok=False, errors=field_errors(error, form_type.__struct_fields__), values=typed_values(data)
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
    """How every action form is answered: 404 when its subject is gone; after success,
    a redirect to ``done`` for a plain form post (so a reload does not post again); else
    the panel (htmx) or the whole page, with the outcome shown, 422 when it failed."""
    if outcome.not_found:
        raise NotFoundException()
    if outcome.ok and not request.htmx:
        return Redirect(path=done, status_code=303)
    return HTMXTemplate(
        template_name=panel if request.htmx else page, context=context(), status_code=200 if outcome.ok else 422
    )
