"""Template helpers that know the current user: ``user()`` and ``can(command, owner, acting)``.

Pages show a form only to those who may send it; the server checks again on every POST.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from web.policy import Subject, User, may_audit, may_read_accounts
from web.policy import can as allowed


def _user(context: Mapping[str, Any]) -> User | None:
    request = context.get("request")
    return request.scope.get("user") if request is not None else None


def _uuid(value: Any) -> UUID | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, UUID) else UUID(str(value))


def user(context: Mapping[str, Any]) -> User | None:
    return _user(context)


def can(context: Mapping[str, Any], command: str, owner: Any = None, acting: Any = None) -> bool:
    """With no owner or acting centre: whether the user may run the command for some record."""
    who = _user(context)
    if owner is None and acting is None:
        return allowed(who, command)
    return allowed(who, command, Subject(owner_centre_id=_uuid(owner), acting_centre_id=_uuid(acting)))


def reads_accounts(context: Mapping[str, Any]) -> bool:
    return may_read_accounts(_user(context))


def audits(context: Mapping[str, Any]) -> bool:
    return may_audit(_user(context))


def register(engine: Any) -> None:
    engine.register_template_callable("user", user)
    engine.register_template_callable("can", can)
    engine.register_template_callable("reads_accounts", reads_accounts)
    engine.register_template_callable("audits", audits)
