"""The event stream's commands: ``mrezha schema``, ``mrezha tail``, ``mrezha bus-url``, ``mrezha rebuild``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from infra.settings import Settings

NEEDS_NO_SETTINGS = ("schema",)
COMMANDS = ("schema", "tail", "bus-url", "rebuild")


def add_commands(commands: Any) -> None:
    schema = commands.add_parser(
        "schema", help="write the event contract: JSON Schemas and asyncapi.yaml (docs/events/)"
    )
    schema.add_argument("--out", type=Path, default=None, help="folder to write (default: docs/events)")
    schema.add_argument("--check", action="store_true", help="only report differences; exit 1 when any")

    tail = commands.add_parser("tail", help="follow the MREZHA stream, one JSON line per event")
    start = tail.add_mutually_exclusive_group()
    start.add_argument("--from-start", action="store_true", help="replay the stream from its first message")
    start.add_argument("--from-seq", type=int, metavar="N", help="start at stream sequence N")
    tail.add_argument("--subject", default="mrezha.>", help="subject filter, e.g. 'mrezha.activity.>'")
    tail.add_argument("--durable", metavar="NAME", help="a durable consumer: a second run resumes where it left")
    tail.add_argument("--count", type=int, metavar="N", help="stop after N events")
    tail.add_argument("--cloudevents", action="store_true",
                      help="print structured-mode CloudEvents (application/cloudevents+json), one a line")

    bus_url = commands.add_parser(
        "bus-url", help="the NATS URL, with a user's credentials, for another system to follow the stream"
    )
    bus_url.add_argument("--user", default="subscriber", choices=("subscriber", "admin"),
                         help="whose credentials (default: subscriber, read-only)")

    rebuild = commands.add_parser(
        "rebuild", help="empty one read model; the running projector projects it again from the stream"
    )
    rebuild.add_argument("projection", help="the read model's name (e.g. calendar)")
    rebuild.add_argument("--no-wait", action="store_true", help="return at once, without waiting for it")
    rebuild.add_argument("--stall", type=float, default=30.0, metavar="SECONDS",
                         help="give up when the projector makes no progress for this long (default 30)")


def run(command: str, settings: Settings | None, args: argparse.Namespace) -> int:
    if command == "schema":
        return _schema(args)
    assert settings is not None
    if command == "tail":
        return _tail(settings, args)
    if command == "bus-url":
        return _bus_url(settings, args)
    return _rebuild(settings, args)


def _schema(args: argparse.Namespace) -> int:
    from contract import documents as schema

    directory = args.out or schema.DOCS_DIR
    if args.check:
        problems = schema.differences(directory)
        for problem in problems:
            print(f"mrezha schema: {directory}/{problem}", file=sys.stderr)
        if problems:
            print("mrezha schema: run `mrezha schema` to regenerate them", file=sys.stderr)
        return 1 if problems else 0
    changed = schema.write(directory)
    named = ", ".join(changed[:8]) + (f" and {len(changed) - 8} more" if len(changed) > 8 else "")
    print(f"mrezha schema: {len(schema.documents())} documents in {directory}; "
          f"{len(changed)} changed{': ' + named if changed else ''}")
    return 0


def _tail(settings: Settings, args: argparse.Namespace) -> int:
    if not settings.nats_url:
        print("mrezha: tail needs MREZHA_NATS_URL", file=sys.stderr)
        return 2
    if args.from_seq is not None and args.from_seq < 1:
        print("mrezha: --from-seq must be 1 or more", file=sys.stderr)
        return 2
    from workers.tail import Start, run_tail

    if args.from_start:
        start = Start.first()
    elif args.from_seq is not None:
        start = Start.at(args.from_seq)
    else:
        start = Start.now()
    from infra.bus_auth import url_for

    url = url_for(settings.nats_url, settings.data_dir, "subscriber")
    return run_tail(url, start, subject=args.subject, durable=args.durable, count=args.count,
                    cloudevents=args.cloudevents)


def _bus_url(settings: Settings, args: argparse.Namespace) -> int:
    """MREZHA_NATS_URL, or the embedded server's address, with the user's credentials from the data dir."""
    from infra.bus_auth import has_credentials, read_credentials, url_for
    from infra.nats_server import configured_address

    url = settings.nats_url or configured_address(settings.data_dir / "nats")
    if not has_credentials(url) and read_credentials(settings.data_dir) is None:
        print(f"mrezha: no bus credentials in {settings.data_dir}: run `mrezha run` once, or ask the "
              "operator of the NATS server in MREZHA_NATS_URL", file=sys.stderr)
        return 2
    print(url_for(url, settings.data_dir, args.user))
    return 0


def _rebuild(settings: Settings, args: argparse.Namespace) -> int:
    from infra.rebuild import reset_projection
    from infra.sql import open_database
    from application.app import MrezhaApplication
    from infra.store import store_environment
    from projections.base import ensure_tables
    from projections.catalog import all_projections

    projections = {projection.name: projection for projection in all_projections()}
    if args.projection not in projections:
        print(f"mrezha: no read model {args.projection!r}; there are: {', '.join(sorted(projections))}",
              file=sys.stderr)
        return 2
    projection = projections[args.projection]
    store = MrezhaApplication(env=store_environment(settings))
    db = open_database(settings)
    try:
        ensure_tables(db, projection)
        target = store.last_notification_id()
        reset_projection(db, projection, target)
        print(f"mrezha rebuild: {projection.name} emptied; the projector projects it again from the stream "
              f"(the store is at notification {target})", flush=True)
        if args.no_wait:
            return 0
        return _wait_for_projector(db, projection.name, target, args.stall)
    finally:
        db.close()
        store.close()


def _wait_for_projector(db: Any, name: str, target: int, stall: float) -> int:
    from projections.base import position

    started = last_move = time.monotonic()
    seen = 0
    while True:
        now = position(db, name)
        if now >= target:
            print(f"mrezha rebuild: {name} rebuilt up to notification {now} in "
                  f"{time.monotonic() - started:.1f}s", flush=True)
            return 0
        if now != seen:
            seen, last_move = now, time.monotonic()
        elif time.monotonic() - last_move > stall:
            print(f"mrezha rebuild: {name} has not moved from {now} for {stall:.0f}s: "
                  "is `mrezha projector` running?", file=sys.stderr)
            return 1
        time.sleep(0.2)
