"""``mrezha web``: serve the app with uvicorn on MREZHA_HOST:MREZHA_PORT."""

from __future__ import annotations

import socket
import sys

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
    uvicorn.run(
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
    return 0
