"""``mrezha audit``: the verifiable log's commands (key, sync, verify, proof, consistency) and the year's report."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from infra.settings import Settings


def add_commands(commands: Any) -> None:
    audit = commands.add_parser("audit", help="the verifiable log: Merkle tree and signed checkpoints")
    verbs = audit.add_subparsers(dest="audit_command", required=True)
    verbs.add_parser("key", help="print the checkpoints' public key (C2SP verifier key)")
    sync = verbs.add_parser("sync", help="append the newly stored events to the tree and sign a checkpoint")
    sync.add_argument("--every", type=int, default=1000, help="sign a checkpoint every N leaves (default 1000)")
    verbs.add_parser("verify", help="recompute the tree from the store and check every checkpoint")
    proof = verbs.add_parser("proof", help="an inclusion proof of one event against the latest checkpoint")
    proof.add_argument("notification_id", type=int)
    year = verbs.add_parser("report", help="replay the store into scratch read models; the year's report")
    year.add_argument("year", type=int)
    year.add_argument("--out", type=Path, required=True, help="folder for report.json and report.csv")
    consistency = verbs.add_parser("consistency", help="a consistency proof between two tree sizes")
    consistency.add_argument("old_size", type=int)
    consistency.add_argument("new_size", type=int)


def short_form(argv: list[str]) -> list[str]:
    """``mrezha audit YEAR --out DIR`` is read as ``mrezha audit report YEAR --out DIR``."""
    if len(argv) > 1 and argv[0] == "audit" and argv[1].isdigit():
        return ["audit", "report", *argv[1:]]
    return argv


def run(settings: Settings, args: argparse.Namespace) -> int:
    from application.app import MrezhaApplication
    from infra import audit_log
    from infra.sql import open_database
    from infra.store import store_environment

    key = audit_log.load_key(settings.data_dir)
    if args.audit_command == "key":
        from audit.note import raw_public, verifier_key

        print(verifier_key(audit_log.origin_of(settings), raw_public(key)))
        return 0
    store = MrezhaApplication(env=store_environment(settings))
    db = open_database(settings)
    try:
        log = audit_log.AuditLog(db, store.recorder, audit_log.origin_of(settings), key)
        if args.audit_command == "sync":
            signed = log.catch_up(args.every)
            print(f"mrezha audit: the tree has {log.size} leaves; {len(signed)} checkpoints signed")
            return 0
        if args.audit_command == "verify":
            problems = audit_log.verify(db, store.recorder, log.verifier(), _bus_checkpoints(settings))
            for problem in problems:
                print(f"mrezha audit verify: {problem}", file=sys.stderr)
            if not problems:
                print(f"mrezha audit verify: {log.size} events match the tree and every checkpoint")
            return 1 if problems else 0
        if args.audit_command == "report":
            return _report(settings, store, db, log.verifier(), args)
        try:
            if args.audit_command == "proof":
                answer = audit_log.inclusion_proof(db, store.recorder, log.verifier(), args.notification_id)
            else:
                answer = audit_log.consistency_proof(db, args.old_size, args.new_size)
        except (LookupError, ValueError) as error:
            print(f"mrezha audit: {error}", file=sys.stderr)
            return 1
        print(json.dumps(answer, indent=2))
        return 0
    finally:
        db.close()
        store.close()


def _bus_checkpoints(settings: Settings) -> list[str]:
    """The checkpoints the bus keeps, when a bus is configured and answers."""
    if not settings.nats_url:
        return []
    import asyncio

    from infra.audit_bus import published_checkpoints
    from infra.bus import connect
    from infra.bus_auth import url_for

    async def read() -> list[str]:  # as a subscriber reads them: the outside witness
        nc = await connect(url_for(settings.nats_url or "", settings.data_dir, "subscriber"), "mrezha-audit-verify")
        try:
            return await published_checkpoints(nc.jetstream(timeout=5))
        finally:
            await nc.close()

    try:
        notes = asyncio.run(read())
        print(f"mrezha audit verify: {len(notes)} checkpoints read from the bus", file=sys.stderr)
        return notes
    except Exception as error:  # noqa: BLE001 - a bus that does not answer is said, not fatal
        print(f"mrezha audit verify: the bus's checkpoints not read ({error})", file=sys.stderr)
        return []


def _report(settings: Settings, store: Any, live: Any, verifier: str, args: argparse.Namespace) -> int:
    from infra.sql import SQLiteDatabase
    from projections.catalog import all_projections
    from infra.audit_report import run_year

    from projections.base import ensure_tables

    for projection in all_projections():  # as the web and `mrezha rebuild` do: a store without pages yet
        ensure_tables(live, projection)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    stream = _stream_differences(settings, store)  # before the replay: the stream as the store stands now
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with tempfile.TemporaryDirectory(prefix="mrezha-audit-") as scratch_dir, \
            Progress(*columns, transient=True, disable=not sys.stderr.isatty()) as bar:
        scratch = SQLiteDatabase(Path(scratch_dir) / "scratch.sqlite")  # never the live read models
        task = bar.add_task("replaying the store", total=store.last_notification_id())
        try:
            digest, differences = run_year(store, live, scratch, verifier, all_projections(), args.year, args.out,
                                           progress=lambda n: bar.advance(task, n), stream=stream)
        except LookupError as error:
            print(f"mrezha audit: {error}", file=sys.stderr)
            return 1
        finally:
            scratch.close()
    for difference in differences:
        print(f"mrezha audit report: difference: {difference}", file=sys.stderr)
    print(f"mrezha audit report: {args.out}/report.json sha256 {digest}")
    return 0


def _stream_differences(settings: Settings, store: Any) -> list[str]:
    """Both streams against the store, when a bus is configured (read with the operator's credentials)."""
    if not settings.nats_url:
        return []
    import asyncio

    from contract.envelope import STREAM
    from infra.audit_bus import both_streams_differences, public_ids, published_ids
    from infra.audit_log import stored_leaves
    from infra.bus import connect
    from infra.bus_auth import url_for

    async def read() -> tuple[list[int], list[int]]:
        nc = await connect(url_for(settings.nats_url or "", settings.data_dir, "admin"), "mrezha-audit-report")
        try:
            js = nc.jetstream(timeout=10)
            return await published_ids(js), await published_ids(js, STREAM)
        finally:
            await nc.close()

    internal, public = asyncio.run(read())
    return both_streams_differences([nid for nid, _ in stored_leaves(store.recorder)], public_ids(store.recorder),
                                    internal, public)
