"""Who may do what on the embedded nats-server: one user per part, passwords made once.

The passwords are made at random the first time and kept in
``$MREZHA_DATA_DIR/nats-credentials.json`` (mode 0600), beside the secret key. The
embedded server's configuration names the users and what each may do:

- ``relay`` publishes on both streams' subjects (``internal.mrezha.>`` and ``mrezha.>``,
  the audit checkpoints ``mrezha.audit.checkpoint`` included) and owns the streams
  (creates them, changes their replicas, reads their last messages, and deletes and makes
  anew one that was purged); it hears "stored";
- ``projector`` only consumes the internal stream ``MREZHA_INTERNAL``: it reads it and
  makes, reads, acks and deletes its own durable consumer; it publishes nothing but "projected";
- ``monitor`` (the web process, and the supervisor's health check) reads the streams' sizes and
  newest message, writes to the one-message health stream, says "stored" and hears "projected"
  (``infra.wakeups``);
- ``subscriber`` is what other systems (and ``mrezha tail``) get: read-only on the public
  stream ``MREZHA`` only; it may make consumers of its own there and ack them, but never
  publish on ``mrezha.>``, purge or delete a stream, nor touch the projector's consumer;
- ``admin`` may do anything: for the operator's ``nats`` CLI and for tests that inspect.

Replies (fetched messages among them) go to each user's inbox; the relay, the projector and
the monitor use inboxes of their own (``_INBOX_<user>.``), so a subscriber, which listens on
``_INBOX.>``, never sees what the projector fetches from the internal stream.

A NATS server named in MREZHA_NATS_URL keeps its own authentication: credentials go in
the URL (``nats://user:password@host:4222``), which then is used as it is.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from contract.envelope import INTERNAL_PREFIX, INTERNAL_STREAM, STREAM, SUBJECT_PREFIX
from infra.wakeups import HEALTH_STREAM, HEALTH_SUBJECT, PROJECTED, STORED

CREDENTIALS_FILE = "nats-credentials.json"
ROLES = ("relay", "projector", "monitor", "subscriber", "admin")
PROJECTOR_CONSUMER = "projector"  # the projector's durable consumer, which nobody else may touch


def inbox_prefix(role: str) -> str:
    """Where replies to this part go: its own inboxes, which only it may listen to."""
    return f"_INBOX_{role}"


_API = "$JS.API"


def _reading(stream: str) -> list[str]:
    """What reading a stream through consumers of one's own needs."""
    return [
        f"{_API}.INFO", f"{_API}.STREAM.NAMES", f"{_API}.STREAM.INFO.{stream}",
        f"{_API}.STREAM.MSG.GET.{stream}", f"{_API}.DIRECT.GET.{stream}", f"{_API}.DIRECT.GET.{stream}.>",
        f"{_API}.CONSUMER.CREATE.{stream}", f"{_API}.CONSUMER.CREATE.{stream}.>",
        f"{_API}.CONSUMER.DURABLE.CREATE.{stream}.>", f"{_API}.CONSUMER.INFO.{stream}.>",
        f"{_API}.CONSUMER.LIST.{stream}", f"{_API}.CONSUMER.NAMES.{stream}",
        f"{_API}.CONSUMER.MSG.NEXT.{stream}.>", f"{_API}.CONSUMER.DELETE.{stream}.>",
        f"$JS.ACK.{stream}.>", f"$JS.FC.{stream}.>",
    ]


_NEVER = [  # denied to all but the admin, whatever else is allowed
    f"{_API}.STREAM.PURGE.>", f"{_API}.STREAM.DELETE.>", f"{_API}.STREAM.MSG.DELETE.>",
]
_PROJECTORS = [  # the projector's consumer: its own, no subscriber's
    f"{_API}.CONSUMER.*.*.{PROJECTOR_CONSUMER}", f"{_API}.CONSUMER.*.*.{PROJECTOR_CONSUMER}.>",
    f"{_API}.CONSUMER.*.*.*.{PROJECTOR_CONSUMER}", f"{_API}.CONSUMER.*.*.*.{PROJECTOR_CONSUMER}.>",
    f"$JS.ACK.*.{PROJECTOR_CONSUMER}.>",
]
_PUBLISHED = [f"{SUBJECT_PREFIX}.>", f"{INTERNAL_PREFIX}.>"]
PERMISSIONS: dict[str, dict[str, dict[str, list[str]]]] = {
    "relay": {
        "publish": {
            "allow": [*_PUBLISHED, f"{_API}.INFO"] + [
                f"{_API}.STREAM.{action}.{stream}"
                for stream in (STREAM, INTERNAL_STREAM)
                for action in ("INFO", "CREATE", "UPDATE", "MSG.GET", "DELETE")
            ],
            "deny": [f"{_API}.STREAM.PURGE.>", f"{_API}.STREAM.MSG.DELETE.>"],
        },
        "subscribe": {"allow": [f"{inbox_prefix('relay')}.>", STORED]},
    },
    "projector": {
        "publish": {"allow": [*_reading(INTERNAL_STREAM), PROJECTED], "deny": [*_PUBLISHED, *_NEVER]},
        "subscribe": {"allow": [f"{inbox_prefix('projector')}.>"]},
    },
    "monitor": {
        "publish": {"allow": [f"{_API}.INFO", f"{_API}.STREAM.INFO.{INTERNAL_STREAM}", f"{_API}.STREAM.INFO.{STREAM}",
                              f"{_API}.STREAM.MSG.GET.{INTERNAL_STREAM}", f"{_API}.STREAM.INFO.{HEALTH_STREAM}",
                              f"{_API}.STREAM.CREATE.{HEALTH_STREAM}", HEALTH_SUBJECT, STORED],
                    "deny": [*_PUBLISHED, *_NEVER]},
        "subscribe": {"allow": [f"{inbox_prefix('monitor')}.>", PROJECTED]},
    },
    "subscriber": {
        "publish": {"allow": _reading(STREAM), "deny": [*_PUBLISHED, *_NEVER, *_PROJECTORS]},
        "subscribe": {"allow": ["_INBOX.>"]},
    },
}


def credentials_path(data_dir: Path) -> Path:
    return data_dir / CREDENTIALS_FILE


def read_credentials(data_dir: Path) -> dict[str, str] | None:
    """User name -> password, or None when this data dir has no embedded server's credentials."""
    path = credentials_path(data_dir)
    if not path.exists():
        return None
    credentials: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return credentials


def ensure_credentials(data_dir: Path) -> dict[str, str]:
    """The credentials, made once (readable by this system user only)."""
    existing = read_credentials(data_dir)
    if existing is not None and all(role in existing for role in ROLES):
        return existing
    credentials = {role: (existing or {}).get(role) or secrets.token_urlsafe(24) for role in ROLES}
    data_dir.mkdir(parents=True, exist_ok=True)
    path = credentials_path(data_dir)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        json.dump(credentials, file, indent=2)
    os.chmod(path, 0o600)
    return credentials


def _quoted(items: list[str]) -> str:
    return "[" + ", ".join(json.dumps(item) for item in items) + "]"


def authorization_block(credentials: dict[str, str]) -> str:
    """The ``authorization { users = [...] }`` block of nats-server's configuration."""
    lines = ["authorization {", "  users = ["]
    for role in ROLES:
        entry = f"    {{user: {json.dumps(role)}, password: {json.dumps(credentials[role])}"
        if role in PERMISSIONS:
            rules = PERMISSIONS[role]
            parts = []
            for direction in ("publish", "subscribe"):
                if direction in rules:
                    inner = ", ".join(f"{kind}: {_quoted(items)}" for kind, items in rules[direction].items())
                    parts.append(f"{direction}: {{{inner}}}")
            entry += ", permissions: {" + ", ".join(parts) + "}"
        lines.append(entry + "}")
    lines += ["  ]", "}"]
    return "\n".join(lines) + "\n"


def has_credentials(url: str) -> bool:
    return any(urlsplit(one.strip()).username for one in url.split(","))


def with_user(url: str, user: str, password: str) -> str:
    """Every URL of a comma-separated list with the user and password in it."""
    urls = []
    for one in url.split(","):
        parts = urlsplit(one.strip())
        host = parts.hostname or ""
        netloc = f"{user}:{password}@{host}" + (f":{parts.port}" if parts.port else "")
        urls.append(urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment)))
    return ",".join(urls)


def url_for(url: str, data_dir: Path, role: str) -> str:
    """The URL the given part connects with: the configured URL when it carries credentials of its
    own (an external server's), otherwise the embedded server's user of that role, when there is one."""
    if has_credentials(url):
        return url
    credentials = read_credentials(data_dir)
    if credentials is None or role not in credentials:
        return url
    return with_user(url, role, credentials[role])
