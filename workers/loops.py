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


async def woken_or_stopped(woken: asyncio.Event, stop: asyncio.Event, seconds: float) -> None:
    """Wait until woken, asked to stop, or the seconds (a safety poll) are over."""
    waiting = [asyncio.ensure_future(woken.wait()), asyncio.ensure_future(stop.wait())]
    try:
        await asyncio.wait(waiting, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in waiting:
            task.cancel()


async def close_quietly(nc: Any) -> None:
    try:
        await nc.close()
    except Exception:
        pass
