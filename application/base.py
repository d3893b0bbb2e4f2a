"""What every family of commands shares: load an aggregate, let it decide, save, answer the notification id."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Protocol, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Repository
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Recording

from application.actor import current_actor
from domain.account import Account
from domain.centre import Centre
from domain.errors import DomainError, InvalidFields, NotFound, NotPermitted, RuleBroken, UnknownCentre
from domain.network import NETWORK_ID, Network

A = TypeVar("A", bound=Aggregate)


class PasswordStore(Protocol):
    """Password hashes and sessions, kept beside the event store and never in an event."""

    def set_password(self, account_id: UUID, password: str) -> None: ...

    def check_password(self, account_id: UUID, password: str) -> bool: ...

    def close_sessions_of(self, account_id: UUID) -> None: ...


class Store(Protocol):
    """What the families use of the application (``application.app.MrezhaApplication``)."""

    @property
    def repository(self) -> Repository[UUID]: ...

    clock: Callable[[], date]
    passwords: PasswordStore | None

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]: ...

    def last_notification_id(self) -> int: ...


class Commands:
    """The base of every family: it holds the application and the steps each command repeats."""

    def __init__(self, app: Store) -> None:
        self.app = app

    def today(self) -> date:
        """The date commands judge "past" and "ended" by (the application's clock)."""
        return self.app.clock()

    def _get(self, aggregate_id: UUID, of_type: type[A]) -> A | None:
        """The aggregate as recorded, or None when there is none of that type."""
        try:
            aggregate: object = self.app.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return aggregate if isinstance(aggregate, of_type) else None

    def _tell(self, aggregate_id: UUID, of_type: type[A], action: Callable[[A], object]) -> None:
        """Load one aggregate and let it decide, saving nothing: a command's checks (none when it is gone)."""
        aggregate = self._get(aggregate_id, of_type)
        if aggregate is not None:
            action(aggregate)

    def _exists(self, aggregate_id: UUID) -> bool:
        return aggregate_id in self.app.repository

    def _save(self, *aggregates: Aggregate) -> int:
        """Saves what the aggregates recorded, in one transaction: the last notification id."""
        recordings = self.app.save(*aggregates)
        return recordings[-1].notification.id if recordings else self.app.last_notification_id()

    def _change(self, aggregate_id: UUID, of_type: type[A], action: Callable[[A], object]) -> int:
        """Load one aggregate, let it decide, save what it recorded: the notification id."""
        aggregate = self._get(aggregate_id, of_type)
        if aggregate is None:
            raise NotFound(None)
        action(aggregate)
        return self._save(aggregate)

    @staticmethod
    def _all_at_once(*checks: Callable[[], object]) -> None:
        """Runs every check and reports all their failing fields together, so that a form hears of all its
        mistakes in one answer."""
        errors: list[DomainError] = []
        for check in checks:
            try:
                check()
            except InvalidFields as error:
                errors.extend(error.errors)
            except DomainError as error:
                errors.append(error)
        if errors:
            raise errors[0] if len(errors) == 1 else InvalidFields(errors)

    def _standing_of(self, centre_id: UUID | None, field: str) -> None:
        """``_member_in_good_standing``, for a centre that was named (None: unreadable in its form)."""
        if centre_id is not None:
            self._member_in_good_standing(centre_id, field)

    def _member_in_good_standing(self, centre_id: UUID, field: str) -> None:
        """Hosts, participants, chairs and practice owners are members in good standing."""
        centre = self._get(centre_id, Centre)
        if centre is None:
            raise UnknownCentre(field)
        if not centre.is_member_in_good_standing:
            raise RuleBroken(field, "centre_not_member")

    # Rights, checked again here behind web/policy.py ---------------------------------------------

    def _acting_account(self) -> Account | None:
        """The account acting, when a signed-in person acts (None for the system, the CLI, a set-up)."""
        return self._get(Account.create_id(current_actor()["user"] or "-"), Account)

    def _secretariat_only(self) -> None:
        account = self._acting_account()
        if account is not None and account.role != "secretariat":
            raise NotPermitted(None)

    def _chair_rights(self, *, today: bool = True, years: tuple[int, ...] = ()) -> None:
        """Chair rights: a coordinator of a centre in good standing that chairs the network today
        (``today``) or chaired one of ``years`` (a year's plan); the secretariat may always act."""
        account = self._acting_account()
        if account is None or account.role == "secretariat":
            return
        if account.role != "coordinator" or account.centre_id is None:
            raise NotPermitted(None)
        centre = self._get(account.centre_id, Centre)
        network = self._get(NETWORK_ID, Network)
        if centre is None or not centre.is_member_in_good_standing or network is None:
            raise NotPermitted(None)
        chairs = {network.chair_of(year) for year in years}
        if today:
            chairs.add(network.current_chair(self.today()))
        if account.centre_id not in chairs:
            raise NotPermitted(None)
