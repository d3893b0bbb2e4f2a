"""The layers of DESIGN.md: each folder imports only the layers below it (read from the source)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OURS = {"audit", "domain", "application", "contract", "projections", "infra", "workers", "web", "demo", "mrezha"}
MAY_IMPORT = {
    "audit": set(),
    "domain": set(),
    "application": {"domain"},
    "contract": {"domain"},
    "projections": {"domain"},
    "infra": {"audit", "domain", "contract", "projections"},
    "workers": {"audit", "domain", "application", "contract", "projections", "infra"},
    "web": {"audit", "domain", "application", "contract", "projections", "infra"},
    "demo": {"application", "domain"},
    "mrezha": OURS,
}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports, with its line (relative imports are not used in this house)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
    return found


def crossings(layer: str) -> list[str]:
    allowed = MAY_IMPORT[layer] | {layer}
    wrong = []
    for path in sorted((ROOT / layer).rglob("*.py")):
        for line, module in imported_modules(path):
            top = module.split(".")[0]
            if top in OURS and top not in allowed:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return wrong


@pytest.mark.parametrize("layer", sorted(MAY_IMPORT))
def test_each_layer_imports_only_the_layers_it_may(layer):
    assert (ROOT / layer).is_dir(), f"{layer}/ is missing"
    assert crossings(layer) == []


def test_the_domain_uses_only_the_domain_part_of_eventsourcing():
    used = {
        f"{path.relative_to(ROOT)} imports {module}"
        for path in (ROOT / "domain").rglob("*.py")
        for _, module in imported_modules(path)
        if module.startswith("eventsourcing") and module != "eventsourcing.domain"
    }
    assert used == set()


def test_the_rule_check_finds_a_crossing(tmp_path, monkeypatch):
    # Given a web module that imports a worker
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "bad.py").write_text("from workers.relay import Relay\n", encoding="utf-8")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    # Then the check names it
    assert crossings("web") == ["web/bad.py:1 imports workers.relay"]
