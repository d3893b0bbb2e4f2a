"""CSV exports open in spreadsheets: text that looks like a formula stays text."""

from web.activities.tables import spreadsheet_safe


def test_text_starting_like_a_formula_is_kept_as_text():
    for payload in ("=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1"):
        assert spreadsheet_safe(payload) == "'" + payload


def test_ordinary_text_and_numbers_are_unchanged():
    assert spreadsheet_safe("Предизвикателствата на младежката работа") == "Предизвикателствата на младежката работа"
    assert spreadsheet_safe(42) == 42
    assert spreadsheet_safe(None) is None
