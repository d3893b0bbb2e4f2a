"""``mrezha export open-data DIR``: the public facts as CSV files, a README of every column, a LICENSE and
a DCAT catalogue (``catalog.json``, JSON-LD), in the manner of Decidim's open-data export. Run nightly
(cron) into a directory a web server publishes.

The rows are the open-data API's own (``web.api.routes.LISTS``): the same fields, the same codes, only
public facts. Lists become ``|``-separated text, a mapping JSON; a plan's items get their own file.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import msgspec

from infra.settings import Settings
from infra.sql import open_database
from projections.open_data import OpenData
from web.api import types as t
from web.api.routes import LISTS

LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENSE_TEXT = f"""The data in this directory is published by the National Network of Youth Centres
(Национална мрежа на младежките центрове) under the Creative Commons Attribution 4.0 International
licence (CC BY 4.0): {LICENSE_URL}
Full legal code: https://creativecommons.org/licenses/by/4.0/legalcode

You may share and adapt it for any purpose, even commercially, provided you give appropriate credit
("Source: Mrezha, National Network of Youth Centres"), link to the licence and indicate if changes were made.
"""

TITLES = {
    "centres": "Member centres", "activities": "Activities", "outcomes": "Outcomes of held activities",
    "practices": "Good practices", "chairs": "Chair timeline", "plans": "Annual plans as published",
    "plan_items": "Items of the annual plans as published",
}

# Columns a type's own descriptions do not explain.
COLUMNS = {
    "id": "Identifier (UUID), stable for ever", "name": "Name", "city": "City", "region": "Region",
    "address": "Postal address of the centre", "website": "Website", "description": "Description",
    "title": "Title", "host_name": "Name of the host centre", "venue": "Venue", "theme": "Theme",
    "language": "Language of the activity", "capacity": "Places (empty: no limit)",
    "times_rescheduled": "How often the dates were changed", "activity_id": "Identifier of the activity",
    "participants": "Participants", "young_people": "Of them young people", "centres_attended": "Centres that attended",
    "summary": "Summary of the outcome", "materials_link": "Link to the materials", "stream_link": "Link to the recorded stream",
    "centre_id": "Identifier of the centre", "centre_name": "Name of the centre", "problem": "The problem it answers",
    "method": "Method", "target_groups": "Target groups (codes, |-separated): neets, youth_at_risk, roma_youth, "
    "fewer_opportunities, children, youth_workers", "tags": "Tags (|-separated)", "source_project": "Project it came from",
    "links": "Links (|-separated)", "results": "Results reported (JSON: figure -> number)", "version": "Version number",
    "shared_at": "When shared (ISO 8601, UTC)", "revised_at": "When last revised (ISO 8601, UTC)",
    "endorsements": "Centres that endorsed it", "adoptions": "Centres that adopted it", "year": "Year",
    "previous_centre_id": "Identifier of the centre that chaired the year before", "handed_over_on": "Handover date",
    "chair_centre_id": "Identifier of the chairing centre", "chair_name": "Name of the chairing centre",
    "priorities": "Priorities (|-separated)", "published_on": "Publication date", "item_id": "Identifier of the item",
    "quality_label_valid_until": "Quality Label valid until (date)",
    "month": "Month (1-12)", "host_centre_id": "Identifier of the host centre",
    "kind": "Kind: exchange, conference, training, online_meeting, seminar, round_table or open_day",
}


def fields_of(struct: type[msgspec.Struct]) -> list[tuple[str, str]]:
    """(column, description) for each field, the type's own description first."""
    info = msgspec.inspect.type_info(struct)
    assert isinstance(info, msgspec.inspect.StructType)
    columns = []
    for field in info.fields:
        meta = field.type if isinstance(field.type, msgspec.inspect.Metadata) else None
        own = (meta.extra_json_schema or {}).get("description") if meta else None
        described = own if own != "A UUID, stable for ever" else None  # an id is explained by its column
        columns.append((field.name, described or COLUMNS.get(field.name) or field.name))
    return columns


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "|".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return "" if value is None else value


def _write(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
        writer.writeheader()
        writer.writerows({key: _cell(value) for key, value in row.items()} for row in rows)


def export(settings: Settings, directory: Path) -> dict[str, int]:
    """Writes the files; how many rows each CSV holds."""
    directory.mkdir(parents=True, exist_ok=True)
    db = open_database(settings)
    counts: dict[str, int] = {}
    described: dict[str, list[tuple[str, str]]] = {}
    try:
        for name, query, convert, struct in LISTS:
            rows = [msgspec.to_builtins(convert(settings.site_url, row)) for row in OpenData.everything(db, query)]
            columns = fields_of(struct)
            if struct is t.Plan:
                items = [{"year": plan["year"], **item} for plan in rows for item in plan["items"]]
                item_columns = [("year", COLUMNS["year"]), *fields_of(t.PlanItem)]
                _write(directory / "plan_items.csv", [c for c, _ in item_columns], items)
                counts["plan_items"], described["plan_items"] = len(items), item_columns
                columns = [c for c in columns if c[0] != "items"]
            _write(directory / f"{name}.csv", [c for c, _ in columns], rows)
            counts[name], described[name] = len(rows), columns
    finally:
        db.close()
    modified = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    (directory / "README.md").write_text(readme(described, counts, modified), encoding="utf-8")
    (directory / "LICENSE").write_text(LICENSE_TEXT, encoding="utf-8")
    catalogue = catalog(settings.site_url.rstrip("/"), counts, modified)
    (directory / "catalog.json").write_text(json.dumps(catalogue, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return counts


def readme(described: dict[str, list[tuple[str, str]]], counts: dict[str, int], modified: str) -> str:
    lines = [
        "# Mrezha open data", "",
        "The public facts of the National Network of Youth Centres (Национална мрежа на младежките центрове),",
        f"exported {modified}. Licence: CC BY 4.0 (see LICENSE). Catalogue: catalog.json (DCAT, JSON-LD).", "",
        "Every file is CSV (RFC 4180): UTF-8, comma-separated, a header row; dates are YYYY-MM-DD, times ISO 8601",
        "in UTC; an empty cell is an unknown or absent value. No personal data: no names or contacts of people.",
        "The same fields are served by the API at /api/v1 (OpenAPI: /schema/openapi.json).", "",
    ]
    for name, columns in described.items():
        lines += [f"## {name}.csv — {TITLES[name]} ({counts[name]} rows)", "", "| column | meaning |", "|---|---|"]
        lines += [f"| `{column}` | {meaning} |" for column, meaning in columns]
        lines.append("")
    return "\n".join(lines)


def catalog(site: str, counts: dict[str, int], modified: str) -> dict[str, Any]:
    publisher = {"@type": "foaf:Organization", "foaf:name": "Национална мрежа на младежките центрове"}
    return {
        "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                     "foaf": "http://xmlns.com/foaf/0.1/"},
        "@type": "dcat:Catalog",
        "dct:title": "Mrezha open data",
        "dct:description": "Centres, activities, outcomes, good practices, the chair timeline and annual plans of "
                           "the National Network of Youth Centres.",
        "dct:publisher": publisher,
        "dct:license": LICENSE_URL,
        "dct:modified": modified,
        "dcat:dataset": [
            {
                "@type": "dcat:Dataset",
                "dct:identifier": name,
                "dct:title": TITLES[name],
                "dct:license": LICENSE_URL,
                "dct:publisher": publisher,
                "dct:modified": modified,
                "dcat:distribution": [
                    {"@type": "dcat:Distribution", "dct:title": f"{name}.csv", "dcat:downloadURL": f"{name}.csv",
                     "dcat:mediaType": "text/csv", "dct:license": LICENSE_URL, "dct:description": f"{count} rows"},
                    *([{"@type": "dcat:Distribution", "dct:title": "JSON API",
                        "dcat:accessURL": f"{site}/api/v1/{name}", "dcat:mediaType": "application/json",
                        "dct:conformsTo": f"{site}/schema/openapi.json"}] if name != "plan_items" else []),
                ],
            }
            for name, count in counts.items()
        ],
    }
