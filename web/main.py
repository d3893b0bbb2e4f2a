"""``mrezha web``: serve the app with uvicorn on MREZHA_HOST:MREZHA_PORT."""

from __future__ import annotations

import asyncio
import socket
import sys
from types import FrameType

import uvicorn

from infra.settings import Settings
from web.app import create_app


def serve(settings: Settings) -> int:
    try:
        with socket.socket(socket.AF_INET6 if ":" in settings.host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((settings.host, settings.port))
    except OSError as error:
        print(f"mrezha: cannot listen on {settings.host}:{settings.port}: {error.strerror} "
              "(set MREZHA_PORT to a free port)", file=sys.stderr)
        return 2
    config = uvicorn.Config(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level="warning",
        access_log=False,
        log_config=None,  # the process's own logging (infra.logs), one format everywhere
        # X-Forwarded-For/-Proto believed from the trusted proxies only: the client's address (throttling)
        # and the scheme (Secure cookies) are then the ones the proxy saw
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=list(settings.trusted_proxies) or None,
        timeout_graceful_shutdown=5,
    )
    server = QuietServer(config)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    return 0 if server.started else 3  # uvicorn's own "could not start"


class QuietServer(uvicorn.Server):
    """uvicorn's server, waking once a second instead of ten times to refresh its Date header and
    see whether it should stop (an idle site costs almost nothing); a signal to stop is seen at once."""

    _loop: asyncio.AbstractEventLoop | None = None
    _stop: asyncio.Event | None = None

    async def main_loop(self) -> None:
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        counter = 0
        while not await self.on_tick(counter):  # the Date header is refreshed when the counter is a multiple of 10
            counter = (counter + 10) % 864000
            try:
                await asyncio.wait_for(self._stop.wait(), timeout=1.0)
            except asyncio.TimeoutError:
                pass

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
