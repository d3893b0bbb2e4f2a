"""``mrezha user add``: create an account from the command line (the first secretariat, say)."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from domain.errors import DomainError
from application.actor import acting_as
from infra.security import Security
from infra.settings import Settings
from infra.sql import open_database
from application.app import MrezhaApplication
from infra.store import store_environment
from projections.centres import CentresDirectory


def add_arguments(parser: Any) -> None:
    parser.add_argument("username")
    parser.add_argument("--role", required=True, choices=("coordinator", "member", "secretariat", "auditor"))
    parser.add_argument("--centre", default="", help="the centre's exact name (coordinators and members)")
    parser.add_argument("--name", default="", help="the person's name as shown in the UI")
    parser.add_argument("--password-stdin", action="store_true", help="read the password from standard input")


def add_user(settings: Settings, args: Any) -> int:
    store, db = MrezhaApplication(env=store_environment(settings)), open_database(settings)
    try:
        store.passwords = Security(db)
        store.passwords.create_tables()
        centre_id = None
        if args.centre:
            matches = [c for c in CentresDirectory.all(db) if c["name"] == args.centre] if _has_directory(db) else []
            if not matches:
                print(f"mrezha: no centre named {args.centre!r}", file=sys.stderr)
                return 2
            centre_id = matches[0]["id"]
        password = _password(args.password_stdin)
        if password is None:
            return 2
        from uuid import UUID

        with acting_as("cli"):
            store.accounts.open_account(
                username=args.username, display_name=args.name or args.username, role=args.role,
                centre_id=UUID(centre_id) if centre_id else None, password=password,
            )
    except DomainError as error:
        print(f"mrezha: account not created: {error.field or ''} {error.code}".replace("  ", " "), file=sys.stderr)
        return 2
    finally:
        store.close()
        db.close()
    print(f"mrezha: account {args.username} ({args.role}) created")
    return 0


def _has_directory(db: Any) -> bool:
    try:
        CentresDirectory.count(db)
    except Exception:
        return False
    return True


def _password(from_stdin: bool) -> str | None:
    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password (at least 10 characters): ")
    if first != getpass.getpass("Again: "):
        print("mrezha: the two passwords differ", file=sys.stderr)
        return None
    return first
