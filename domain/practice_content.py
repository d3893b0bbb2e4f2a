"""What a practice says: its content fields and figures, checked and normalised."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from domain.checks import Validation, check_choice, check_link, check_positive, check_text
from domain.errors import InvalidField

TARGET_GROUPS = ("neets", "youth_at_risk", "roma_youth", "fewer_opportunities", "children", "youth_workers")
COUNTRIES = (
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT",
    "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "IS", "LI", "NO", "CH", "GB", "MK", "RS",
    "AL", "ME", "BA", "TR", "UA", "MD", "GE", "AM",
)
FIGURES = ("reached", "trained", "consulted", "reactivated", "target")
CONTENT = ("title", "problem", "method", "target_groups", "tags", "country", "source_project", "links", "results")
TITLE_MAX = 200
PROBLEM_MAX = 2000
METHOD_MAX = 4000
TEXT_MAX = 300
NOTE_MAX = 2000
TAG_MAX = 40
TAGS_MAX = 12
LINKS_MAX = 5
FIGURE_MAX = 10_000_000


def checked_content(
    *,
    title: str,
    problem: str,
    method: str,
    target_groups: Sequence[str],
    country: str,
    tags: Sequence[str] = (),
    source_project: str = "",
    links: Sequence[str] = (),
    results: Mapping[str, int | None] | None = None,
) -> dict[str, Any]:
    """Every content field checked at once; tags normalised (lower case, single spaces, no repeats)."""
    check = Validation()
    fields = dict(
        title=check(check_text, "title", title, max_length=TITLE_MAX),
        problem=check(check_text, "problem", problem, max_length=PROBLEM_MAX),
        method=check(check_text, "method", method, max_length=METHOD_MAX),
        target_groups=check(_check_groups, "target_groups", target_groups),
        tags=check(_check_tags, "tags", tags),
        country=check(check_choice, "country", country, COUNTRIES),
        source_project=check(check_text, "source_project", source_project, max_length=TEXT_MAX, required=False),
        links=check(_check_links, "links", links),
        results=check(checked_results, results or {}),
    )
    check.done()
    return fields


def checked_results(results: Mapping[str, int | None], required: bool = False) -> dict[str, int]:
    """The figures given (None means not reported), each a whole number, in a sensible relation."""
    figures: dict[str, int] = {}
    for name, value in results.items():
        if name not in FIGURES:
            raise InvalidField(None, "invalid")
        number = check_positive(name, value, maximum=FIGURE_MAX)
        if number is not None:
            figures[name] = number
    if required and not figures:
        raise InvalidField(None, "no_figures")
    if figures.get("reactivated", 0) > figures.get("consulted", FIGURE_MAX):
        raise InvalidField("reactivated", "more_than_consulted")
    if figures.get("trained", 0) > figures.get("reached", FIGURE_MAX):
        raise InvalidField("trained", "more_than_reached")
    return {name: figures[name] for name in FIGURES if name in figures}


def _check_groups(field: str, groups: Sequence[str]) -> list[str]:
    chosen = set()
    for group in groups:
        chosen.add(check_choice(field, group, TARGET_GROUPS))
    if not chosen:
        raise InvalidField(field, "required")
    return [group for group in TARGET_GROUPS if group in chosen]


def _check_tags(field: str, tags: Sequence[str]) -> list[str]:
    cleaned: list[str] = []
    for tag in tags:
        text = " ".join(check_text(field, tag, max_length=10_000, required=False).casefold().split())
        if len(text) > TAG_MAX:
            raise InvalidField(field, "too_long", max_length=TAG_MAX)
        if text and text not in cleaned:
            cleaned.append(text)
    if len(cleaned) > TAGS_MAX:
        raise InvalidField(field, "too_many", maximum=TAGS_MAX)
    return cleaned


def _check_links(field: str, links: Sequence[str]) -> list[str]:
    cleaned = [check_link(field, link) for link in links]
    cleaned = [link for link in cleaned if link]
    if len(cleaned) > LINKS_MAX:
        raise InvalidField(field, "too_many", maximum=LINKS_MAX)
    return cleaned
