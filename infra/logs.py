"""One log line format for every process: readable text by default, one JSON object a line with
``MREZHA_LOG_FORMAT=json`` (for a log collector). Security events go to the ``mrezha.security``
logger with what happened in ``event`` and who and where beside it."""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from pythonjsonlogger.json import JsonFormatter

TEXT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"

security_log = logging.getLogger("mrezha.security")


def configure_logging(process: str, log_format: str | None = None) -> None:
    """Every record of the process (uvicorn's and the libraries' too) through one handler on stderr."""
    log_format = (log_format or os.environ.get("MREZHA_LOG_FORMAT", "text")).strip().lower()
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(
            JsonFormatter(FIELDS, rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
                          static_fields={"process": process})
        )
    else:
        handler.setFormatter(_TextWithExtras(TEXT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    for noisy in ("httpx", "nats", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def security_event(event: str, **details: Any) -> None:
    """A failed sign-in, a refusal, a failed CSRF check: one line a security review can search for."""
    security_log.warning(event, extra={"event": event, **details})


_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class _TextWithExtras(logging.Formatter):
    """The text format, with the record's extra fields appended as key=value."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        line = super().formatMessage(record)
        extras = {k: v for k, v in vars(record).items() if k not in _STANDARD and k != "event"}
        return line + "".join(f" {key}={value}" for key, value in extras.items())
