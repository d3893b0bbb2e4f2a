"""``make bench``: figures printed as ratios against a baseline measured in the same run.

``BENCH_SMOKE=1`` runs every bench at a toy size, one round: the suite's check that ``make bench``
still runs (its figures then mean nothing)."""

import os

SMOKE = os.environ.get("BENCH_SMOKE") == "1"


def sized(full: int, smoke: int) -> int:
    """The bench's size, or the toy size of a smoke run."""
    return smoke if SMOKE else full
