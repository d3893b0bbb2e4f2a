"""Dates put into translated sentences are written the reader's way, never as the ISO text of the value."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates"
# `_("… %(date)s", date=value)`: the value must go through a date filter (day, moment).
DATE_ARGUMENT = re.compile(r"\bdate=([^,)]+)")


def test_every_date_in_a_sentence_goes_through_a_date_filter():
    unfiltered = [
        f"{path.relative_to(TEMPLATES)}: date={value.strip()}"
        for path in TEMPLATES.rglob("*.html")
        for value in DATE_ARGUMENT.findall(path.read_text())
        if not re.search(r"\|\s*(day|moment)\b", value)
    ]
    assert not unfiltered, unfiltered
