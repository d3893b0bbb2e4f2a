"""Settings from the environment, checked once at start.

A bad value stops the process with one clear line (``SettingsError``), never a traceback.
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit


class SettingsError(Exception):
    """A setting has a value Mrezha cannot use; the message is one line for a person."""


@dataclass(frozen=True)
class Settings:
    host: str
    port: int
    data_dir: Path
    database_url: str
    nats_url: str | None
    secret_key: str
    projection_wait_seconds: float = 3.0
    stream_replicas: int = 1
    # Where people and other systems reach this installation (https://mrezha.example.org), with
    # no trailing slash; None on a developer's machine, where links use the listening address.
    public_url: str | None = None
    # Proxies whose X-Forwarded-* headers are believed; nobody else's are (addresses or networks,
    # as text: the web's dependency injection reads these types and takes one kind of address only).
    trusted_proxies: tuple[str, ...] = ()
    # Demo data and demo accounts on an empty store: on for `make run`, off for a real installation.
    demo: bool = True
    # A session ends after this long without a request, and this long after sign-in in any case.
    session_idle_minutes: int = 30
    session_max_hours: int = 12
    # Addresses or networks (as text) that may read /metrics and the details of /readyz without signing
    # in (a Prometheus on the same host: 127.0.0.1/32); the auditor and the secretariat may always.
    metrics_from: tuple[str, ...] = ()
    # A live page's stream ends after this long and the browser opens it again where it left off
    # (Last-Event-ID): no connection is held forever, by a tab in the background or a proxy gone quiet.
    live_stream_seconds: float = 300.0
    # Pages with ?as_of=DAY read scratch read models replayed up to that day; they are kept on disk
    # (data dir, as_of/) up to this many MB in all, the least recently used forgotten first.
    as_of_cache_mb: int = 1024
    # How long the first request for a day waits for its replay before it shows "preparing…".
    as_of_wait_seconds: float = 10.0
    # At start, the web replays the store once in the background and keeps the read models every this
    # many events (0: not), so that a day's first page replays at most this many events.
    as_of_rung_events: int = 5_000

    @property
    def is_postgres(self) -> bool:
        return is_postgres_url(self.database_url)

    @property
    def sqlite_path(self) -> Path:
        return sqlite_path_of(self.database_url)

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    @property
    def site_url(self) -> str:
        """The root every link that leaves the page is built from: the public URL when set."""
        return f"{self.public_url}/" if self.public_url else self.base_url

    def is_trusted_proxy(self, address: str) -> bool:
        return _in_networks(address, self.trusted_proxies)

    def may_read_metrics_from(self, address: str) -> bool:
        return _in_networks(address, self.metrics_from)

    @property
    def is_https(self) -> bool:
        return bool(self.public_url and self.public_url.startswith("https://"))


def _in_networks(address: str, networks: tuple[str, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network) for network in networks)


def is_postgres_url(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def sqlite_path_of(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    host = env.get("MREZHA_HOST", "127.0.0.1").strip() or "127.0.0.1"
    _check_host(host)
    port = _port(env.get("MREZHA_PORT", "8000"))
    data_dir = Path(env.get("MREZHA_DATA_DIR", "./var").strip() or "./var").absolute()
    _check_data_dir(data_dir)
    database_url = env.get("MREZHA_DATABASE_URL", "").strip() or f"sqlite:///{data_dir / 'mrezha.sqlite'}"
    _check_database_url(database_url)
    nats_url = env.get("MREZHA_NATS_URL", "").strip() or None
    if nats_url is not None:
        _check_nats_url(nats_url)
    wait = _float("MREZHA_PROJECTION_WAIT", env.get("MREZHA_PROJECTION_WAIT", "3"))
    replicas = _replicas(env.get("MREZHA_STREAM_REPLICAS", "1"))
    public_url = _public_url(env.get("MREZHA_PUBLIC_URL", ""))
    proxies = _proxies(env.get("MREZHA_TRUSTED_PROXIES", ""))
    metrics_from = _proxies(env.get("MREZHA_METRICS_FROM", ""), "MREZHA_METRICS_FROM")
    idle = _whole("MREZHA_SESSION_IDLE_MINUTES", env.get("MREZHA_SESSION_IDLE_MINUTES", "30"), 1, 24 * 60)
    longest = _whole("MREZHA_SESSION_MAX_HOURS", env.get("MREZHA_SESSION_MAX_HOURS", "12"), 1, 24 * 30)
    demo = _switch("MREZHA_DEMO", env.get("MREZHA_DEMO", "on"))
    as_of_cache_mb = _whole("MREZHA_AS_OF_CACHE_MB", env.get("MREZHA_AS_OF_CACHE_MB", "1024"), 1, 1_000_000)
    as_of_wait = _float("MREZHA_AS_OF_WAIT", env.get("MREZHA_AS_OF_WAIT", "10"))
    as_of_rung = _whole("MREZHA_AS_OF_RUNG_EVENTS", env.get("MREZHA_AS_OF_RUNG_EVENTS", "5000"), 0, 100_000_000)
    return Settings(
        host=host,
        port=port,
        data_dir=data_dir,
        database_url=database_url,
        nats_url=nats_url,
        secret_key=env.get("MREZHA_SECRET_KEY") or _secret_from(data_dir),
        projection_wait_seconds=wait,
        stream_replicas=replicas,
        public_url=public_url,
        trusted_proxies=proxies,
        demo=demo,
        session_idle_minutes=idle,
        session_max_hours=longest,
        metrics_from=metrics_from,
        live_stream_seconds=_stream_seconds(env.get("MREZHA_LIVE_STREAM_SECONDS", "300")),
        as_of_cache_mb=as_of_cache_mb,
        as_of_wait_seconds=as_of_wait,
        as_of_rung_events=as_of_rung,
    )


def _public_url(raw: str) -> str | None:
    raw = raw.strip().rstrip("/")
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise SettingsError(f"MREZHA_PUBLIC_URL={raw!r} is not an http(s)://host[/path] URL")
    try:
        parts.port
    except ValueError:
        raise SettingsError(f"MREZHA_PUBLIC_URL={raw!r} has a bad port") from None
    return raw


def _whole(name: str, raw: str, low: int, high: int) -> int:
    try:
        value = int(raw.strip()) if raw.strip().isascii() else low - 1
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a whole number ({low}-{high})") from None
    if not low <= value <= high:
        raise SettingsError(f"{name}={raw!r} is out of range ({low}-{high})")
    return value


def _proxies(raw: str, name: str = "MREZHA_TRUSTED_PROXIES") -> tuple[str, ...]:
    networks: list[str] = []
    for one in (part.strip() for part in raw.split(",")):
        if not one:
            continue
        try:
            networks.append(str(ipaddress.ip_network(one, strict=False)))
        except ValueError:
            raise SettingsError(
                f"{name} has {one!r}, which is not an address or network (10.0.0.1, 10.0.0.0/8)"
            ) from None
    return tuple(networks)


def _switch(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("on", "1", "yes", "true"):
        return True
    if value in ("off", "0", "no", "false"):
        return False
    raise SettingsError(f"{name}={raw!r} is neither on nor off")


def _check_host(host: str) -> None:
    if host == "localhost":
        return
    try:
        ipaddress.ip_address(host)
    except ValueError:
        if not all(part.isalnum() or "-" in part for part in host.split(".")):
            raise SettingsError(f"MREZHA_HOST={host!r} is not an IP address or host name") from None


def _port(raw: str) -> int:
    try:
        port = int(raw.strip())
    except ValueError:
        raise SettingsError(f"MREZHA_PORT={raw!r} is not a number (expected 1-65535)") from None
    if not 1 <= port <= 65535:
        raise SettingsError(f"MREZHA_PORT={raw!r} is out of range (expected 1-65535)")
    return port


def _float(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a number of seconds") from None
    if not 0 <= value <= 60:
        raise SettingsError(f"{name}={raw!r} is out of range (expected 0-60 seconds)")
    return value


def _stream_seconds(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"MREZHA_LIVE_STREAM_SECONDS={raw!r} is not a number of seconds") from None
    if not 0.1 <= value <= 24 * 3600:
        raise SettingsError(f"MREZHA_LIVE_STREAM_SECONDS={raw!r} is out of range (0.1 seconds to a day)")
    return value


def _replicas(raw: str) -> int:
    """How many copies of the stream a NATS cluster keeps: 1 for one server, 3 for a 3-node cluster."""
    try:
        replicas = int(raw.strip())
    except ValueError:
        raise SettingsError(f"MREZHA_STREAM_REPLICAS={raw!r} is not a number (expected 1-5)") from None
    if not 1 <= replicas <= 5:
        raise SettingsError(f"MREZHA_STREAM_REPLICAS={raw!r} is out of range (expected 1-5)")
    return replicas


def _check_data_dir(path: Path) -> None:
    if path.exists() and not path.is_dir():
        raise SettingsError(f"MREZHA_DATA_DIR={str(path)!r} exists and is not a directory")
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        if path.stat().st_uid == os.getuid():
            path.chmod(0o700)  # it holds the database with password hashes and session digests
    except OSError as error:
        raise SettingsError(f"MREZHA_DATA_DIR={str(path)!r} cannot be created: {error.strerror}") from None
    if not os.access(path, os.W_OK):
        raise SettingsError(f"MREZHA_DATA_DIR={str(path)!r} is not writable")


def _check_database_url(url: str) -> None:
    if url.startswith("sqlite:///"):
        if not url.removeprefix("sqlite:///"):
            raise SettingsError("MREZHA_DATABASE_URL='sqlite:///' names no file")
        if not Path(url.removeprefix("sqlite:///")).absolute().parent.is_dir():
            raise SettingsError(f"MREZHA_DATABASE_URL={url!r} is in a directory that does not exist")
        return
    if url.startswith(("postgresql://", "postgres://")):
        parts = urlsplit(url)
        if not parts.hostname or not parts.path.strip("/"):
            raise SettingsError(
                f"MREZHA_DATABASE_URL={_redact(url)!r} needs a host and a database name "
                "(postgresql://user@host:5432/dbname)"
            )
        try:
            parts.port
        except ValueError:
            raise SettingsError(f"MREZHA_DATABASE_URL={_redact(url)!r} has a bad port") from None
        for pair in parts.query.split("&"):
            key, _, value = pair.partition("=")
            if key == "schema" and not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", value):
                raise SettingsError(f"MREZHA_DATABASE_URL schema={value!r} is not a plain lower-case name")
        return
    raise SettingsError(
        f"MREZHA_DATABASE_URL={_redact(url)!r} is neither sqlite:///path nor postgresql://…"
    )


def _check_nats_url(url: str) -> None:
    for one in url.split(","):
        parts = urlsplit(one.strip())
        if parts.scheme not in ("nats", "tls") or not parts.hostname:
            raise SettingsError(f"MREZHA_NATS_URL={url!r} is not a nats://host:port URL")
        try:
            parts.port
        except ValueError:
            raise SettingsError(f"MREZHA_NATS_URL={url!r} has a bad port") from None


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url


def _secret_from(data_dir: Path) -> str:
    """The signing secret lives in the data dir (never in the repo), made on first start."""
    path = data_dir / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as file:
        file.write(secrets.token_hex(32))
    return path.read_text().strip()
