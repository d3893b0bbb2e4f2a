"""The read models each live page shows: its stream's position is the least of theirs.

A page reads its position before its rows and renders it into its stream's URL (``since``): a fact
projected in between is sent again, never missed."""

from __future__ import annotations

from projections.sql import Database
from web.live.feed import position_of

CALENDAR = ("calendar", "centres")
ACTIVITY = ("calendar", "centres", "timeline")
CENTRE = ("centres", "calendar", "timeline", "projects")
NETWORK = ("network", "centres", "plans")


def since(db: Database, reads: tuple[str, ...]) -> int:
    return position_of(db, reads)
