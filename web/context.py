"""What every handler is handed: the application, the read models, the settings (set by the app's lifespan)."""

from __future__ import annotations

from dataclasses import dataclass, field

from infra.as_of import AsOfModels
from infra.feed_tokens import FeedTokens
from infra.security import Security
from infra.settings import Settings
from application.app import MrezhaApplication
from projections.base import Projection
from projections.sql import Database
from web.wakeups import Wakeups


@dataclass(frozen=True)
class Services:
    settings: Settings
    app: MrezhaApplication
    db: Database
    projections: tuple[Projection, ...]
    security: Security
    feed_tokens: FeedTokens
    wakeups: Wakeups = field(default_factory=lambda: Wakeups(None))
    as_of: AsOfModels | None = None  # the scratch read models of ?as_of= pages (web.as_of)
