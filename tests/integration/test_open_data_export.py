"""``mrezha export open-data DIR`` over the demo network: a CSV per list with every column in the README,
the plan items apart, a LICENSE naming CC BY 4.0, a DCAT catalogue that lists every file, no personal data."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.security.conftest import Site, start_site

FILES = ("centres", "activities", "outcomes", "practices", "chairs", "plans", "plan_items")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, Path]]:
    with ExitStack() as stack:
        site = start_site(tmp_path_factory.mktemp("open-data-export"), stack)
        out = tmp_path_factory.mktemp("published") / "open-data"
        env = {**os.environ, "MREZHA_DATA_DIR": str(site.settings.data_dir),
               "MREZHA_DATABASE_URL": site.settings.database_url, "MREZHA_SECRET_KEY": site.settings.secret_key}
        done = subprocess.run([sys.executable, "-m", "mrezha", "export", "open-data", str(out)], env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        yield site, out


def rows(directory: Path, name: str) -> list[dict[str, str]]:
    with (directory / f"{name}.csv").open(encoding="utf-8", newline="") as source:
        return list(csv.DictReader(source))


def test_every_list_is_a_csv_with_what_the_api_serves(exported):
    site, out = exported
    for name in FILES[:-1]:
        api = site.get(f"/api/v1/{name}?limit=500").json()["items"]
        exported_rows = rows(out, name)
        assert len(exported_rows) == len(api) > 0, name
        key = "activity_id" if name == "outcomes" else "year" if name in ("chairs", "plans") else "id"
        assert [row[key] for row in exported_rows] == [str(item[key]) for item in api], name
    items = rows(out, "plan_items")
    assert items and {row["year"] for row in items} <= {row["year"] for row in rows(out, "plans")}


def test_the_readme_explains_every_column_of_every_file(exported):
    _, out = exported
    readme = (out / "README.md").read_text(encoding="utf-8")
    for name in FILES:
        with (out / f"{name}.csv").open(encoding="utf-8") as source:
            header = next(csv.reader(source))
        section = readme.split(f"## {name}.csv", 1)[1].split("\n## ", 1)[0]
        for column in header:
            assert f"| `{column}` |" in section, (name, column)


def test_the_licence_and_the_dcat_catalogue(exported):
    site, out = exported
    assert "CC BY 4.0" in (out / "LICENSE").read_text(encoding="utf-8")
    catalogue = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    assert catalogue["@type"] == "dcat:Catalog" and "dcat" in catalogue["@context"]
    assert catalogue["dct:license"] == "https://creativecommons.org/licenses/by/4.0/"
    downloads = {d["dcat:downloadURL"] for s in catalogue["dcat:dataset"] for d in s["dcat:distribution"]
                 if "dcat:downloadURL" in d}
    assert downloads == {f"{name}.csv" for name in FILES}


def test_no_personal_data_is_exported(exported):
    site, out = exported
    text = "".join((out / f"{name}.csv").read_text(encoding="utf-8") for name in FILES)
    people = [r["name"] for r in site.db.fetchall("SELECT name FROM centre_staff")]
    people += [r["speaker"] for r in site.db.fetchall("SELECT speaker FROM calendar_presentations")]
    people += [r["display_name"] for r in site.db.fetchall("SELECT display_name FROM accounts")]
    assert people
    for person in people:
        assert person not in text, person
