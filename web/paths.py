"""Ids and names in URLs: a malformed or unknown one is simply not found."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar
from uuid import UUID

from litestar.exceptions import NotFoundException


def uuid_or_404(raw: str) -> UUID:
    try:
        return UUID(raw)
    except ValueError:
        raise NotFoundException() from None


T = TypeVar("T")


def known_or_404(table: Mapping[str, T], name: str) -> T:
    """The entry a URL names (an action of a page), or 404."""
    entry = table.get(name)
    if entry is None:
        raise NotFoundException()
    return entry
