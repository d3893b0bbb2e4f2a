"""The application: one eventsourcing ``Application`` per process, its commands in families.

``app.centres``, ``app.activities``, ``app.network``, ``app.plans``, ``app.practices`` and
``app.accounts`` each hold one method per command: load, let the aggregate decide, save,
return the notification id of the last event stored, so that a caller can wait until that
id is projected. The notification log is the outbox the relay follows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from uuid import UUID

from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Recording, Transcoding

from domain.network import SOFIA

from application.accounts import Accounts
from application.activities import Activities
from application.base import PasswordStore
from application.centres import Centres
from application.network import NetworkCommands
from application.plans import Plans
from application.practices import Practices
from application.submissions import Submissions, forget_saved, with_submission
from application.projects import Projects


def today_in_sofia() -> date:
    """The network's date: Sofia's, whatever the server's zone (from 22:00 UTC, or 21:00 in summer, a day ahead)."""
    return datetime.now(SOFIA).date()


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class MrezhaApplication(Application[UUID]):
    """Records the network's facts. Commands return the notification id they stored."""

    name = "mrezha"
    env = {"MAPPER_TOPIC": "application.actor:MetadataMapper"}

    def __init__(self, env: Mapping[str, str] | None = None, passwords: PasswordStore | None = None) -> None:
        super().__init__(env)
        self.passwords = passwords
        self.clock: Callable[[], date] = today_in_sofia  # the date commands judge "past" by; tests fix it
        self.centres = Centres(self)
        self.activities = Activities(self)
        self.network = NetworkCommands(self)
        self.plans = Plans(self)
        self.practices = Practices(self)
        self.accounts = Accounts(self)
        self.submissions = Submissions(self)
        self.projects = Projects(self)
        # called after every save that stored something (the web says "stored" on the bus with it)
        self.after_save: list[Callable[[], None]] = []

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """Stores the aggregates' events, with the form's submission key when a form sent the command."""
        try:
            recordings = super().save(*with_submission(objs), **kwargs)
        except IntegrityError:
            forget_saved()
            raise
        if recordings:
            for announce in self.after_save:
                announce()
        return recordings

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def today(self) -> date:
        return self.clock()

    def last_notification_id(self) -> int:
        return self.recorder.max_notification_id() or 0
