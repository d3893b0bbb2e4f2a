"""Domain errors: a rule was broken, nothing was recorded.

Each error names the field it concerns (when there is one) and a stable code.
The web layer turns the code into a translated sentence; the domain stays
language-free.
"""

from __future__ import annotations


class DomainError(Exception):
    """A command was refused because it would break a rule of the network."""

    code = "invalid"

    def __init__(self, field: str | None = None, code: str | None = None, **details: object) -> None:
        self.field = field
        if code is not None:
            self.code = code
        self.details = details
        super().__init__(f"{field or 'command'}: {self.code} {details or ''}".strip())


class InvalidField(DomainError):
    """A field's value is missing, too long or malformed."""


class DuplicateCentreName(DomainError):
    code = "duplicate_centre_name"


class UnknownCentre(DomainError):
    code = "unknown_centre"


class DatesOutOfOrder(DomainError):
    code = "end_before_start"


class NotFound(DomainError):
    code = "not_found"


class InvalidFields(DomainError):
    """Several fields are wrong at once; ``errors`` holds one error per field."""

    code = "invalid_fields"

    def __init__(self, errors: list[DomainError]) -> None:
        self.errors = errors
        super().__init__(None)


class RuleBroken(DomainError):
    """A command is not allowed in the aggregate's present state (``code`` says which rule)."""


class NotPermitted(DomainError):
    """The signed-in account acting may not run this command (checked again behind the web's policy)."""

    code = "not_permitted"
