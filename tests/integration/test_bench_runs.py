"""`make bench` keeps running: every bench at a toy size, one round (``BENCH_SMOKE=1``). Its figures
mean nothing here; what is checked is that the bench runs to its end and prints each figure it
promises. (A bench that stopped with a TypeError once went unseen for a session.)"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.support.processes import ROOT

PROMISED = {
    "commands": ["(a) form median =", "(a) floor:", "(b) 8 clients:", "(b) floor:", "(c) commit -> projected",
                 "(d) idle mrezha run"],
    "bus": ["relay", "projector"],
    "projects": ["project page median (x baseline)"],
    "audit": ["the year's report of", "year replay", "audit verify", "tree append"],
    "asof": ["as_of: first pages", "page as of a day / live page"],
    "pages": ["calendar page median (x baseline)", "activity page median (x baseline)",
              "signed-in home page median (x baseline)"],
}


@pytest.mark.parametrize("bench", sorted(PROMISED))
def test_the_bench_runs_to_its_end_and_prints_its_figures(bench, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MREZHA_", "BENCH_"))}
    env.update(BENCH_SMOKE="1", TMPDIR=str(tmp_path))
    run = subprocess.run([sys.executable, "-m", "tests.bench", "--only", bench], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    for figure in PROMISED[bench]:
        assert any(figure in line for line in run.stdout.splitlines() if line.startswith("bench:")), (figure, run.stdout)
