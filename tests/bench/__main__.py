"""``make bench``: figures printed as ratios against a baseline measured in the same run.

``python -m tests.bench`` runs every bench; ``--only pages``, ``--only bus`` or ``--only projects`` runs one."""

import argparse

from tests.bench import bus, pages, projects

BENCHES = {"pages": pages.main, "bus": bus.main, "projects": projects.main}

parser = argparse.ArgumentParser(prog="python -m tests.bench")
parser.add_argument("--only", choices=sorted(BENCHES), help="run just this bench")
chosen = parser.parse_args().only
raise SystemExit(max(run() for name, run in BENCHES.items() if chosen in (None, name)))
