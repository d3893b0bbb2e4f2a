"""How a page runs a command: the one ``Action`` type a route declares, and the one way its form runs:
parse, authorise, call, wait until projected, answer.

Domain errors come back as field messages; a refusal is a 403, answered inside the form with what was
typed, and nothing is stored. A command that loses a race for its record is run once more on the record
as it now stands; if it loses again, the form says so (409), with what was typed. Every form carries a
one-time submission key, stored with the command's events: a form posted twice records its command once
and is answered as the first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec
from litestar import Request
from litestar.exceptions import NotFoundException
from litestar.plugins.htmx import HTMXRequest, HTMXTemplate
from litestar.response import Redirect, Template

import re

from markupsafe import Markup

from eventsourcing.persistence import IntegrityError

from application.actor import acting_as
from application.submissions import submitting
from domain.errors import DomainError, InvalidFields, NotFound, NotPermitted, RuleBroken
from infra.catch_up import catch_up
from infra.logs import security_event
from web.auth import current_user
from web.confirmation import ask, confirmed
from web.consistency import wait_until_projected
from web.context import Services
from web.errors import request_id
from web.forms import command_fields, fields_as_far_as_read, parse_form, typed_values
from web.kept_forms import new_submission_key
from web.messages import field_errors
from web.policy import Subject, can


log = logging.getLogger("mrezha.web")


@dataclass(frozen=True)
class Action:
    """A command a route runs, declared in the route's ``opt={"action": ...}``: its name (the key of its
    rule in ``web.policy.POLICY``, which the access guard checks before the handler runs) and the form
    its body is parsed into (None: the handler reads its few fields itself)."""

    name: str
    form: type[msgspec.Struct] | None = None
    confirm: bool = False  # hard to take back: asked first (web.confirmation)

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
    conflict: bool = False  # lost a race for its record twice: answered 409
    repeated: bool = False  # the same submission came again: answered as the first, nothing stored
    refused: bool = False  # the user may not do this (with these values): answered 403, in the form
    confirming: bool = False  # nothing done yet: the form asks its question first (web.confirmation)

    @property
    def failed_status(self) -> int:
        return 200 if self.confirming else 409 if self.conflict else 403 if self.refused else 422


SUBMISSION_FIELD = "_submission"
_KEY = re.compile(r"[0-9a-f]{32}")


def submission_field() -> Markup:
    """The hidden field every command form carries: a key made anew each time the form is drawn."""
    return Markup(f'<input type="hidden" name="{SUBMISSION_FIELD}" value="{new_submission_key()}">')


def submission_key(data: Any, username: str) -> str | None:
    """The form's one-time key, scoped to who sent it (so nobody can spend another person's key);
    None when the post carries no well-formed key (a script's post: run as it comes)."""
    raw = data.get(SUBMISSION_FIELD) if hasattr(data, "get") else None
    return f"{username}/{raw}" if isinstance(raw, str) and _KEY.fullmatch(raw) else None


def run_command(
    request: Request[Any, Any, Any],
    services: Services,
    data: Any,
    call: Callable[[Any], Any],
    *,
    subject: Callable[[Any], Subject] = lambda form: Subject(),
    check: Callable[[dict[str, Any]], Any] | None = None,
) -> Outcome:
    """Runs the route's action: ``call`` gets the parsed form and returns a notification id, or
    (id, notification id); the answer waits, bounded, until the read models have projected it.
    ``check`` (the command's checks, nothing saved) runs on the rest of a form some of whose fields
    could not be read, so that every mistake is reported in one answer."""
    action, user = action_of(request), current_user(request)
    assert action.form is not None, f"{action.name} reads its fields itself"
    key = submission_key(data, user.username) if user is not None else None
    try:
        form = parse_form(data, action.form) if check is None else parse_checked(data, action.form, check)
        if not can(user, action.name, subject(form)):
            return refused(request, action, data, subject(form))
        assert user is not None
        if key is not None and (first := _answer_of_first(services, key)) is not None:
            return first
        if action.confirm and not confirmed(data):
            if check is not None:
                check(command_fields(form))  # a form with mistakes hears of them, not the question
            return asked(request, data)
        with acting_as(user.username, str(user.centre_id or "")):
            result = _run_once_more_on_conflict(services, call, form, key, action.name)
    except NotFound:
        return Outcome(ok=False, not_found=True)
    except NotPermitted:
        return refused(request, action, data, None)  # the application layer's own check said no
    except _Repeated as repeated:
        return repeated.outcome
    except _Conflict as conflict:
        errors = field_errors(RuleBroken(None, "changed_meanwhile"))
        if conflict.error is not None:  # and why the record as it now stands refuses it
            errors = {**field_errors(conflict.error, action.form.__struct_fields__), **errors}
        return Outcome(ok=False, conflict=True, errors=errors, values=typed_values(data))
    except DomainError as error:
        if key is not None and (first := _answer_of_first(services, key)) is not None:
            return first  # a concurrent copy of this form won: this one found the rule already applied
        return Outcome(
            ok=False, errors=field_errors(error, action.form.__struct_fields__), values=typed_values(data)
        )
    return _projected(services, result)


def asked(request: Request[Any, Any, Any], data: Any) -> Outcome:
    """Nothing done: the form comes back asking its question, with what was typed and its one-time key."""
    raw = data.get(SUBMISSION_FIELD)
    ask(request, typed_values(data), raw if isinstance(raw, str) and _KEY.fullmatch(raw) else "")
    return Outcome(ok=False, confirming=True, values=typed_values(data))


def refused(request: Request[Any, Any, Any], action: Action, data: Any, subject: Subject | None) -> Outcome:
    """A refusal answered inside the form (403), with what was typed: the centre field the user may not act
    for is marked, otherwise the form says it. Logged as a security event, as every refusal is."""
    user = current_user(request)
    security_event(
        "refused", request_id=request_id(request.scope), method=request.method, path=request.url.path,
        user=getattr(user, "username", "-"), address=request.client.host if request.client else "-",
    )
    assert action.form is not None
    acting = str(subject.acting_centre_id) if subject is not None and subject.acting_centre_id else None
    # would the user be let through acting for their own centre? then the centre chosen is what is wrong
    owner_allows = subject is not None and user is not None and can(
        user, action.name, Subject(subject.owner_centre_id, user.centre_id)
    )
    fields = [name for name in action.form.__struct_fields__ if name.endswith("centre_id")]
    centre_field = next((name for name in fields if acting and data.get(name) == acting), None)
    if centre_field is not None and owner_allows:
        errors = field_errors(RuleBroken(centre_field, "not_your_centre"), action.form.__struct_fields__)
    else:
        errors = field_errors(NotPermitted(None))
    return Outcome(ok=False, refused=True, errors=errors, values=typed_values(data))


def parse_checked(data: Any, form_type: type[msgspec.Struct], check: Callable[[dict[str, Any]], Any]) -> Any:
    """``parse_form``, and when a field cannot be read, the command's own checks on the others too."""
    try:
        return parse_form(data, form_type)
    except DomainError as unreadable:
        errors: list[DomainError] = list(getattr(unreadable, "errors", None) or [unreadable])
        known = {error.field for error in errors}
        try:
            check(fields_as_far_as_read(data, form_type))
        except DomainError as error:
            errors += [one for one in getattr(error, "errors", None) or [error] if one.field not in known]
        raise errors[0] if len(errors) == 1 else InvalidFields(errors) from None


class _Repeated(Exception):
    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome


class _Conflict(Exception):
    def __init__(self, error: DomainError | None = None) -> None:
        self.error = error


def _run_once_more_on_conflict(
    services: Services, call: Callable[[Any], Any], form: Any, key: str | None, command: str
) -> Any:
    """The command, run a second time on the fresh record when another writer got there first."""
    for attempt in (1, 2):
        try:
            if key is None:
                return call(form)
            with submitting(key, command):
                return call(form)
        except IntegrityError:
            if key is not None and (first := _answer_of_first(services, key)) is not None:
                raise _Repeated(first) from None
            if attempt == 2:
                raise _Conflict() from None
        except DomainError as error:
            if attempt == 2:
                raise _Conflict(error) from None  # the fresh record no longer allows it
            raise
    raise AssertionError("unreachable")


def _answer_of_first(services: Services, key: str) -> Outcome | None:
    """How the first post of this submission was answered, when it was stored."""
    first = services.app.submissions.recorded(key)
    if first is None:
        return None
    notification_id = services.app.last_notification_id()
    result = (first.created_id, notification_id) if first.created_id is not None else notification_id
    outcome = _projected(services, result)
    outcome.repeated = True
    return outcome


def _projected(services: Services, result: Any) -> Outcome:
    """The command's outcome once the read models show it: projected here when they are a few events
    behind (``infra.catch_up``), else waited for, bounded (pending when the time ran out)."""
    notification_id = result[-1] if isinstance(result, tuple) else result
    projected = _caught_up(services, notification_id) or wait_until_projected(
        services.db, services.projections, notification_id, services.settings.projection_wait_seconds,
        services.wakeups.projected,
    )
    return Outcome(ok=True, result=result, pending=not projected)


def _caught_up(services: Services, notification_id: int) -> bool:
    """The read models brought up to the command here; False when that is the projector's to do. The command
    is stored whatever happens here: a failure (a read model locked too long, a handler's bug) is logged and
    the answer waits for the projector, which will meet the same events."""
    try:
        return catch_up(services.db, services.projections, services.app, notification_id)
    except Exception:
        log.exception("could not project notification %d here; waiting for the projector", notification_id)
        return False


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
        template_name=panel if request.htmx else page,
        context=context(),
        status_code=ok if outcome.ok else outcome.failed_status,
    )
