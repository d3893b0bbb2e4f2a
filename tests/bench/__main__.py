"""``make bench``: figures printed as ratios against a baseline measured in the same run.
``--only asof``: pages as the record stood on a day, on a 100,000-event store, against live pages.

``python -m tests.bench`` runs every bench; ``--only pages``, ``--only bus``, ``--only commands``, ``--only projects`` or ``--only audit`` runs one;
``--audit-events N`` sizes the audit bench."""

import argparse

from tests.bench import audit, bus, commands, pages, projects, sized
from tests.bench import asof

parser = argparse.ArgumentParser(prog="python -m tests.bench")
parser.add_argument("--only", choices=["audit", "bus", "commands", "pages", "projects", "asof"], help="run just this bench")
parser.add_argument("--audit-events", type=int, default=sized(1_000_000, 3_000), metavar="N",
                    help="events the audit bench seeds (default 1,000,000; e.g. 50000 for a quick run)")
args = parser.parse_args()
BENCHES = {"pages": pages.main, "bus": bus.main, "commands": commands.main, "projects": projects.main,
           "audit": lambda: audit.main(args.audit_events)}
BENCHES["asof"] = asof.main

chosen = args.only
raise SystemExit(max(run() for name, run in BENCHES.items() if chosen in (None, name)))
