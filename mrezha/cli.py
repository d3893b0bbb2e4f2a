"""``mrezha``: one console script, a subcommand per process or task.

  mrezha run         start everything (embedded nats-server unless MREZHA_NATS_URL answers)
  mrezha web         the web process
  mrezha relay       the store -> bus relay
  mrezha projector   the bus -> read models projector
  mrezha user add    create an account (e.g. the first secretariat)
  mrezha schema      write the event contract (JSON Schemas, asyncapi.yaml) into docs/events/
  mrezha tail        follow the event stream, one JSON line per event
  mrezha bus-url     the NATS URL with the read-only subscriber's credentials
  mrezha rebuild X   rebuild read model X from the event store
  mrezha export open-data DIR   the public facts as CSV + README + LICENSE + DCAT catalogue
  mrezha audit ...   the verifiable log: key, sync, verify, proof, consistency
  mrezha audit YEAR --out DIR   the year's report (short for `mrezha audit report YEAR`)
"""

from __future__ import annotations

import argparse
import sys

from infra.logs import configure_logging
from infra.settings import SettingsError, load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mrezha", description="Mrezha, the youth centres' network platform")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="set up and start the whole platform")
    commands.add_parser("web", help="serve the web UI")
    commands.add_parser("relay", help="publish stored events to JetStream")
    commands.add_parser("projector", help="project events from JetStream into the read models")
    user = commands.add_parser("user", help="manage accounts").add_subparsers(dest="user_command", required=True)
    from mrezha.users import add_arguments

    add_arguments(user.add_parser("add", help="create an account"))
    export = commands.add_parser("export", help="export data").add_subparsers(dest="export_command", required=True)
    open_data = export.add_parser("open-data", help="the public facts as CSV files with a README, LICENSE, catalog.json")
    open_data.add_argument("directory", help="where to write them (made if missing)")
    from mrezha import operations

    operations.add_commands(commands)
    from mrezha import audit

    audit.add_commands(commands)
    args = parser.parse_args(audit.short_form(list(sys.argv[1:] if argv is None else argv)))
    if args.command in operations.NEEDS_NO_SETTINGS:
        return operations.run(args.command, None, args)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"mrezha: {error}", file=sys.stderr)
        return 2
    if args.command in ("web", "relay", "projector"):
        configure_logging(args.command)
    if args.command == "run":
        from mrezha.supervisor import run

        return run(settings)
    if args.command == "web":
        from web.main import serve

        return serve(settings)
    if args.command in ("relay", "projector"):
        if not settings.nats_url:
            print(f"mrezha: the {args.command} needs MREZHA_NATS_URL", file=sys.stderr)
            return 2
        from workers import main as workers

        (workers.run_relay if args.command == "relay" else workers.run_projector)(settings)
        return 0
    if args.command == "user":
        from mrezha.users import add_user

        return add_user(settings, args)
    if args.command == "export":
        from pathlib import Path

        from mrezha.open_data import export as export_open_data

        counts = export_open_data(settings, Path(args.directory))
        print(", ".join(f"{name}: {count}" for name, count in counts.items()))
        return 0
    if args.command == "audit":
        return audit.run(settings, args)
    if args.command in operations.COMMANDS:
        return operations.run(args.command, settings, args)
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
