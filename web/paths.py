"""Ids in URLs: a malformed one is simply not found."""

from __future__ import annotations

from uuid import UUID

from litestar.exceptions import NotFoundException


def uuid_or_404(raw: str) -> UUID:
    try:
        return UUID(raw)
    except ValueError:
        raise NotFoundException() from None

