"""Rows of parametrized tables, each named by the rule it shows, so that a failure names the rule."""

from __future__ import annotations

from typing import Any

import pytest


def row(rule: str, *values: Any) -> Any:
    """One row of a table: ``rule`` is its test id (``test_x[a_suspended_centre_cannot_host]``)."""
    return pytest.param(*values, id=rule)
