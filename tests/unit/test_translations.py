"""Every UI string has a Bulgarian translation, and the translations keep their placeholders."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from web import i18n

ROOT = Path(__file__).resolve().parents[2]
BULGARIAN = ROOT / "web" / "locales" / "bg" / "LC_MESSAGES" / "messages.po"


def used_msgids() -> dict[str | tuple[str, ...], str]:
    """Each msgid the code and templates use, with one place that uses it (as babel.cfg maps them)."""
    with open(ROOT / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config, "babel.cfg")
    used = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords={**DEFAULT_KEYWORDS, "_": None, "gettext": None, "N_": None}
    ):
        used.setdefault(message, f"{filename}:{lineno}")
    return used


def bulgarian() -> Catalog:
    with BULGARIAN.open("rb") as file:
        return read_po(file, locale="bg")


USED = used_msgids()


def test_the_extraction_finds_the_strings_of_the_templates_and_of_the_python_code():
    # A broken mapping would find nothing and let every other test here pass
    assert "Register a centre" in USED  # a template
    assert "This field is required." in USED  # web/messages.py
    assert "Exchange" in USED  # web/activities/labels.py, marked with N_


@pytest.mark.parametrize("msgid", sorted(USED, key=str), ids=lambda m: str(m)[:40])
def test_every_used_string_has_a_bulgarian_translation(msgid):
    catalog = bulgarian()
    key = msgid[0] if isinstance(msgid, tuple) else msgid
    message = catalog.get(key)
    assert message is not None, f"{msgid!r} ({USED[msgid]}) is missing from {BULGARIAN.name}: run `make messages`"
    translations = message.string if isinstance(message.string, tuple) else (message.string,)
    assert all(t.strip() for t in translations), f"{msgid!r} ({USED[msgid]}) has no Bulgarian translation"
    assert not message.fuzzy, f"{msgid!r} ({USED[msgid]}) is marked fuzzy and would not be used"


def test_bulgarian_translations_keep_the_placeholders_of_their_originals():
    problems = [(message.id, [str(e) for e in errors]) for message, errors in bulgarian().check() if errors]
    assert problems == []


def test_a_field_error_is_shown_in_bulgarian_with_its_limit_filled_in():
    from domain.errors import InvalidField
    from web.messages import error_message

    token = i18n.current_locale.set("bg")
    try:
        assert error_message(InvalidField("name", "too_long", max_length=150)) == "Твърде дълго: най-много 150 знака."
    finally:
        i18n.current_locale.reset(token)
