"""Who may run which command: one rule per command, checked on the server for every request.

Roles: *coordinator* changes their own centre's records and the activities it
hosts; *member* reads and joins activities for their centre; *chair* is derived
(the coordinators of the centre that chairs the network this year, while it is in good standing;
a year's plan belongs to that year's chair); *secretariat*
admits members and manages accounts (and may act for any centre); *auditor*
reads everything and changes nothing. Anonymous visitors change nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class User:
    account_id: UUID
    username: str
    display_name: str
    role: str
    centre_id: UUID | None
    is_chair: bool = False  # the user's centre chairs the network today
    in_good_standing: bool = False  # the user's centre is an admitted member, not suspended nor gone


@dataclass(frozen=True)
class Subject:
    """What a command touches: the centre that owns the record, and the centre acted for."""

    owner_centre_id: UUID | None = None
    acting_centre_id: UUID | None = None
    centre_ids: frozenset[UUID] = frozenset()  # a record several centres share (a funded project's)


Rule = Callable[[User, Subject], bool]


def secretariat(user: User, subject: Subject) -> bool:
    return user.role == "secretariat"


def chair(user: User, subject: Subject) -> bool:
    """The coordinators of the centre chairing the network today, while it is in good standing."""
    return user.is_chair and user.in_good_standing and user.role == "coordinator"


def year_chair(user: User, subject: Subject) -> bool:
    """A year's plan: the coordinators of that year's chair (``owner_centre_id``), in good standing."""
    return (
        user.role == "coordinator" and user.in_good_standing and user.centre_id is not None
        and user.centre_id == subject.owner_centre_id
    )


def owner_coordinator(user: User, subject: Subject) -> bool:
    return user.role == "coordinator" and user.centre_id is not None and user.centre_id == subject.owner_centre_id


def acting_for_own_centre(user: User, subject: Subject) -> bool:
    return user.role in ("coordinator", "member") and user.centre_id is not None and (
        user.centre_id == subject.acting_centre_id
    )


def coordinator_for_own_centre(user: User, subject: Subject) -> bool:
    return user.role == "coordinator" and user.centre_id is not None and user.centre_id == subject.acting_centre_id


def involved_coordinator(user: User, subject: Subject) -> bool:
    """A funded project: the coordinators of the centres involved in it (the beneficiary's and the partners')."""
    return user.role == "coordinator" and user.centre_id is not None and user.centre_id in subject.centre_ids


@dataclass(frozen=True)
class Permission:
    rules: tuple[Rule, ...]
    roles: frozenset[str]  # roles that may ever pass; others are refused before the form is read

    def allows(self, user: User, subject: Subject) -> bool:
        return any(rule(user, subject) for rule in self.rules)

    def possible_for(self, user: User) -> bool:
        return user.role in self.roles or (chair in self.rules and chair(user, Subject()))


def allow(*rules: Rule) -> Permission:
    roles = set()
    for rule in rules:
        roles |= {
            secretariat: {"secretariat"},
            chair: set(),
            year_chair: {"coordinator"},
            owner_coordinator: {"coordinator"},
            acting_for_own_centre: {"coordinator", "member"},
            coordinator_for_own_centre: {"coordinator"},
        }[rule]
    return Permission(rules, frozenset(roles))


CENTRE_OWNER = allow(secretariat, owner_coordinator)
MEMBERSHIP_DECISION = allow(secretariat, chair)
LABEL_FACT = allow(secretariat)
HOST = allow(secretariat, owner_coordinator)
GOVERNANCE = allow(secretariat, chair)
PLAN = allow(secretariat, year_chair)  # the subject's owner: the chair of the plan's year
PROJECT = Permission((secretariat, involved_coordinator), frozenset({"secretariat", "coordinator"}))
PROJECT_ACTIONS = ("start", "close", "cancel", "code", "partner", "indicator", "progress", "correction", "activity",
                   "deliverable", "report")

POLICY: dict[str, Permission] = {
    "centre.register": allow(secretariat),
    "centre.profile": CENTRE_OWNER,
    "centre.apply": CENTRE_OWNER,
    "centre.admit": MEMBERSHIP_DECISION,
    "centre.reject": MEMBERSHIP_DECISION,
    "centre.suspend": MEMBERSHIP_DECISION,
    "centre.reinstate": MEMBERSHIP_DECISION,
    "centre.leave": CENTRE_OWNER,
    "centre.rejoin": CENTRE_OWNER,
    "centre.staff": CENTRE_OWNER,
    "centre.staff-remove": CENTRE_OWNER,
    "centre.label-apply": CENTRE_OWNER,
    "centre.label-inspect": LABEL_FACT,
    "centre.label-award": LABEL_FACT,
    "centre.label-renew": LABEL_FACT,
    "centre.label-withdraw": LABEL_FACT,
    "activity.plan": allow(secretariat, coordinator_for_own_centre),
    "activity.reschedule": HOST,
    "activity.cancel": HOST,
    "activity.co-organiser": HOST,
    "activity.co-organiser-remove": HOST,
    "activity.presentation": HOST,
    "activity.presentation-remove": HOST,
    "activity.outcome": HOST,
    "activity.correction": HOST,
    "activity.join": allow(secretariat, acting_for_own_centre),
    "activity.withdraw": allow(secretariat, acting_for_own_centre),
    "account.own-password": Permission((lambda user, subject: True,), frozenset({"coordinator", "member", "secretariat", "auditor"})),
    # A subscription URL is a credential: the centre's own coordinator (or the secretariat) shows, rotates,
    # revokes the centre's; each signed-in user their own "my activities" one.
    "centre.feed-rotate": CENTRE_OWNER,
    "centre.feed-revoke": CENTRE_OWNER,
    "account.own-feed-rotate": Permission((lambda user, subject: True,), frozenset({"coordinator", "member", "secretariat", "auditor"})),
    "account.own-feed-revoke": Permission((lambda user, subject: True,), frozenset({"coordinator", "member", "secretariat", "auditor"})),
    "account.open": allow(secretariat),
    "account.role": allow(secretariat),
    "account.disable": allow(secretariat),
    "account.enable": allow(secretariat),
    "account.reset-password": allow(secretariat),
    # Governance: the secretariat and this year's chair; a handover is corrected by the secretariat only.
    "network.rotation": GOVERNANCE,
    "network.handover": GOVERNANCE,
    "network.correct": allow(secretariat),
    "network.meeting": GOVERNANCE,
    # A year's plan belongs to that year's chair: the outgoing chair keeps its own after next year's handover.
    **{f"plan.{action}": PLAN for action in ("draft", "item", "publish", "change", "drop", "link", "report")},
    "plan.unlink": PLAN,
    # Practices: a centre's coordinator shares, endorses and adopts for their centre, revises and retires its own.
    "practice.share": allow(secretariat, coordinator_for_own_centre),
    "practice.revise": allow(secretariat, owner_coordinator),
    "practice.retire": allow(secretariat, owner_coordinator),
    "practice.endorse": allow(secretariat, coordinator_for_own_centre),
    "practice.adopt": allow(secretariat, coordinator_for_own_centre),
    "practice.outcome": allow(secretariat, coordinator_for_own_centre),
    # Funded projects: a coordinator registers one their own centre takes part in; the secretariat and the
    # coordinators of the centres involved (beneficiary and partners) change it.
    "project.register": allow(secretariat, coordinator_for_own_centre),
    **{f"project.{action}": PROJECT for action in PROJECT_ACTIONS},
}


def may_read_accounts(user: User | None) -> bool:
    """The account list: managed by the secretariat, read by the auditor (who reads everything)."""
    return user is not None and user.role in ("secretariat", "auditor")


def may_audit(user: User | None) -> bool:
    """The year's audit: for the auditor and the secretariat."""
    return user is not None and user.role in ("secretariat", "auditor")


def can(user: User | None, command: str, subject: Subject | None = None) -> bool:
    permission = POLICY.get(command)
    if user is None or permission is None:
        return False
    if subject is None:
        return permission.possible_for(user)
    return permission.allows(user, subject)
