"""Small helpers the long-running loops share."""

from __future__ import annotations

import asyncio
from typing import Any


async def sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    """Sleep, but wake at once when asked to stop."""
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except asyncio.TimeoutError:
        pass


async def close_quietly(nc: Any) -> None:
    try:
        await nc.close()
    except Exception:
        pass
