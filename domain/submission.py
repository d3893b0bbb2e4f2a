"""A form's one-time submission key, recorded with what the form's command recorded.

Saved in the same transaction as the command's own events, its id derives from the key
(and who sent it), so a second post of the same form collides with it and stores nothing:
a double click or a retried request records the command once.
"""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event


class Submission(Aggregate):
    class Recorded(Aggregate.Created):
        key: str
        command: str
        created_id: UUID | None

    @event(Recorded)
    def __init__(self, key: str, command: str, created_id: UUID | None) -> None:
        self.key = key
        self.command = command
        self.created_id = created_id  # the record the command created, when it created one

    @staticmethod
    def create_id(key: str) -> UUID:
        return uuid5(NAMESPACE_URL, "/mrezha/submissions/" + key)
