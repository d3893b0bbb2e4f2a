"""The AsyncAPI document passes the official parser (@asyncapi/parser from npm, pinned in
tests/npm, installed by `make test`): no error and no warning, as a subscriber's tooling reads it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from contract import documents as schema
from tests.support.processes import ROOT

TOOLS = ROOT / "tests" / "npm"


def parse(path: Path) -> tuple[int, list[dict[str, str]]]:
    node = shutil.which("node")
    assert node, "the contract tests need Node.js (node) for the AsyncAPI parser"
    assert (TOOLS / "node_modules" / "@asyncapi" / "parser").is_dir(), "run `make test` (npm ci in tests/npm)"
    done = subprocess.run([node, str(TOOLS / "validate-asyncapi.mjs"), str(path)], cwd=TOOLS,
                          capture_output=True, text=True, timeout=120)
    return done.returncode, [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def test_the_asyncapi_document_passes_the_official_parser_without_errors_or_warnings(tmp_path):
    path = tmp_path / "asyncapi.yaml"
    path.write_text(schema.documents()[schema.ASYNCAPI_FILE], encoding="utf-8")

    code, diagnostics = parse(path)

    assert code == 0, diagnostics
    assert [d for d in diagnostics if d["severity"] in ("error", "warning")] == []


def test_the_parser_catches_a_broken_document(tmp_path):
    import yaml

    document = schema.asyncapi_document()
    key = next(iter(document["components"]["messages"]))
    document["components"]["messages"][key]["payload"] = {"$ref": "#/components/schemas/nowhere"}
    path = tmp_path / "asyncapi.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")

    code, diagnostics = parse(path)

    assert code != 0 or [d for d in diagnostics if d["severity"] in ("error", "warning")], diagnostics
