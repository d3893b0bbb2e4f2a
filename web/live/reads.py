"""The read models each live page shows: its stream's position is the least of theirs.

A page reads its position before its rows and renders it into its stream's URL (``since``): a fact
projected in between is sent again, never missed."""

from __future__ import annotations

from projections.sql import Database
from projections.base import positions
from web.live.feed import position_of

CALENDAR = ("calendar", "centres")
ACTIVITY = ("calendar", "centres", "timeline")
CENTRE = ("centres", "calendar", "timeline", "projects")
PUBLIC_CENTRE = ("centres", "calendar", "projects")  # a visitor's: no history
NETWORK = ("network", "centres", "plans")


def since(db: Database, reads: tuple[str, ...]) -> int:
    return position_of(db, reads)


def positions_at(db: Database, reads: tuple[str, ...]) -> tuple[int, ...]:
    """Each read model's position, in the order named: what a part kept rendered is kept under
    (``web.fragments``); the page's ``since`` is the least of them."""
    at = positions(db, list(reads))
    return tuple(at[name] for name in reads)
