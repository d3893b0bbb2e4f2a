"""The subscribers' contract: JSON Schemas and the AsyncAPI document, derived from the event classes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path

import msgspec
import pytest
import yaml

from domain.registry import PUBLIC_NAMES, event_version
from contract import documents as schema
from contract.envelope import envelope, is_public, public_envelope, subject_for
from contract.values import CHOICES, EVENT_CHOICES, LINKS
from tests.support.contract import decode, errors, sample_event

ROOT = Path(__file__).resolve().parents[2]
ASYNCAPI_3 = json.loads((Path(__file__).parent / "asyncapi-3.0.0.schema.json").read_text())
EVENT_CLASSES = sorted((cls for cls, name in PUBLIC_NAMES.items() if is_public(name)), key=PUBLIC_NAMES.__getitem__)
INTERNAL_CLASSES = sorted((cls for cls, name in PUBLIC_NAMES.items() if not is_public(name)), key=PUBLIC_NAMES.__getitem__)


@cache
def _asyncapi() -> str:
    return json.dumps(yaml.load(schema.documents()[schema.ASYNCAPI_FILE], Loader=yaml.CSafeLoader))


def asyncapi() -> dict:
    """The AsyncAPI document as a subscriber reads it (a fresh copy each time)."""
    return json.loads(_asyncapi())


def resolve(document: dict, ref: str) -> object:
    assert ref.startswith("#/"), f"{ref} points outside the document"
    node: object = document
    for part in ref[2:].split("/"):
        assert isinstance(node, dict) and part in node, f"{ref} does not resolve"
        node = node[part]
    return node


def refs(node: object) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if "$ref" in node else []
        return own + [r for value in node.values() for r in refs(value)]
    if isinstance(node, list):
        return [r for item in node for r in refs(item)]
    return []


def test_the_committed_event_documents_are_the_ones_the_code_generates():
    problems = schema.differences(schema.DOCS_DIR)
    assert problems == [], (
        "docs/events/ is not what the code generates; run `mrezha schema` and commit the result:\n  "
        + "\n  ".join(problems)
    )


def test_the_asyncapi_document_is_valid_asyncapi_3():
    assert errors(ASYNCAPI_3, asyncapi()) == []


def test_a_broken_asyncapi_document_is_caught_by_that_check():
    # The check above could pass on anything if the meta-schema were empty
    document = asyncapi()
    document["channels"]["activity.planned"]["adress"] = document["channels"]["activity.planned"].pop("address")
    assert errors(ASYNCAPI_3, document) != []


def test_every_reference_in_the_asyncapi_document_resolves():
    document = asyncapi()
    found = refs(document)
    assert len(found) > 3 * len(PUBLIC_NAMES)
    for ref in found:
        resolve(document, ref)


@pytest.mark.parametrize("cls", EVENT_CLASSES, ids=PUBLIC_NAMES.__getitem__)
def test_every_event_type_has_a_channel_on_its_subject_and_a_message_with_its_schema(cls):
    document = asyncapi()
    name, version = PUBLIC_NAMES[cls], event_version(cls)
    channel = document["channels"][name]
    assert channel["address"] == subject_for(name) == f"mrezha.{name}"
    message = resolve(document, channel["messages"][f"{name}.v{version}"]["$ref"])
    assert resolve(document, message["payload"]["$ref"]) == {
        key: value for key, value in schema.event_schema(cls).items() if key not in ("$schema", "$id")
    }
    assert message["headers"]["allOf"][1]["properties"]["ce-type"]["const"] == f"bg.mrezha.{name}.v{version}"
    operation = document["operations"][f"receive.{name}"]
    assert operation["action"] == "receive" and operation["channel"] == {"$ref": f"#/channels/{name}"}


@pytest.mark.parametrize("cls", EVENT_CLASSES, ids=PUBLIC_NAMES.__getitem__)
def test_every_event_body_and_its_headers_validate_against_the_documents_and_decode_back(cls):
    # Given an event of this type with every field filled in, as the relay would publish it
    event = sample_event(cls)
    object.__setattr__(event, "metadata", {"user": "ivana.petrova", "centre": str(event.originator_id)})
    internal = envelope(4711, event, "https://mrezha.example.org")
    message = public_envelope(internal)
    assert message is not None
    body = msgspec.json.decode(message.body)

    # Then its body validates against its schema file (formats included) and its headers against the document
    schema_file = json.loads(schema.documents()[schema.file_name(PUBLIC_NAMES[cls], event_version(cls))])
    assert errors(schema_file, body) == []
    assert errors(schema.headers_schema(message.headers["ce-type"]), message.headers) == []
    # And every header the relay sets is one the contract documents
    assert set(message.headers) <= set(schema.headers_schema()["properties"])

    # And the projector decoding its internal message gets the same event back
    notification_id, decoded = decode(internal.headers, internal.body)
    assert notification_id == 4711
    assert msgspec.json.encode(decoded) == internal.body
    # while the public one says neither who acted nor the aggregate's class path
    assert "ce-actor" in internal.headers and "ce-actor" not in message.headers
    assert "originator_topic" not in body and message.headers["ce-source"] == "https://mrezha.example.org"


@pytest.mark.parametrize("cls", INTERNAL_CLASSES, ids=PUBLIC_NAMES.__getitem__)
def test_accounts_and_name_claims_stay_off_the_public_stream_and_its_contract(cls):
    name = PUBLIC_NAMES[cls]
    assert public_envelope(envelope(1, sample_event(cls))) is None
    assert envelope(1, sample_event(cls)).subject == f"internal.mrezha.{name}"
    assert name not in asyncapi()["channels"]
    assert schema.file_name(name, event_version(cls)) not in schema.documents()


def test_a_body_that_breaks_its_schema_is_refused():
    from domain.activity import Activity

    document = json.loads(schema.documents()["activity.planned.v1.schema.json"])
    body = msgspec.json.decode(envelope(1, sample_event(Activity.Planned)).body)
    assert errors(document, {**body, "starts_on": "14.05.2026"}) != []
    assert errors(document, {**body, "originator_id": "centre-1"}) != []
    assert errors(document, {**body, "unexpected": 1}) != []
    assert errors(document, {k: v for k, v in body.items() if k != "title"}) != []


def run_schema_command(*args: str, seed: str = "0") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run([sys.executable, "-m", "mrezha", "schema", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_mrezha_schema_writes_the_same_bytes_whatever_the_process(tmp_path):
    # When two processes with different hash seeds write the documents
    for seed, folder in (("1", tmp_path / "one"), ("2", tmp_path / "two")):
        assert run_schema_command("--out", str(folder), seed=seed).returncode == 0
    # Then they wrote the same files, byte for byte, and those are the committed ones
    one = {p.name: p.read_bytes() for p in (tmp_path / "one").iterdir()}
    two = {p.name: p.read_bytes() for p in (tmp_path / "two").iterdir()}
    assert one == two
    assert set(one) == set(schema.documents())
    assert schema.differences(tmp_path / "one") == []


def test_mrezha_schema_check_names_an_edited_document_and_says_to_run_mrezha_schema(tmp_path):
    # Given the documents written, then one of them edited by hand
    assert run_schema_command("--out", str(tmp_path)).returncode == 0
    edited = tmp_path / "activity.held.v1.schema.json"
    edited.write_text(edited.read_text().replace('"integer"', '"number"'))
    # When the check runs
    result = run_schema_command("--out", str(tmp_path), "--check")
    # Then it fails, naming the file and the cure
    assert result.returncode == 1
    assert "activity.held.v1.schema.json differs" in result.stderr
    assert "run `mrezha schema`" in result.stderr


def test_writing_keeps_the_schema_of_an_older_version_and_removes_a_stale_file(tmp_path):
    # Given a folder with an older version of a live event and a file no event makes any more
    (tmp_path / "activity.planned.v0.schema.json").write_text("{}")
    (tmp_path / "activity.forgotten.v1.schema.json").write_text("{}")
    # When the documents are written
    schema.write(tmp_path)
    # Then the older version stays, for messages of it on the stream, and the stale file is gone
    assert (tmp_path / "activity.planned.v0.schema.json").exists()
    assert not (tmp_path / "activity.forgotten.v1.schema.json").exists()
    assert schema.differences(tmp_path) == []


def _fields_with_value_sets() -> list[tuple[str, str, dict, tuple[str, ...] | None]]:
    """(file, field, its schema, the domain's values for it there: None for a link or free text)."""
    found = []
    for file, text in schema.documents().items():
        if file.endswith(".schema.json"):
            event = file.rsplit(".v", 1)[0]
            choices = {**CHOICES, **EVENT_CHOICES.get(event, {})}
            for field, spec in json.loads(text)["properties"].items():
                if field in choices or field in LINKS:
                    found.append((file, field, spec, choices.get(field)))
    return found


def test_every_choice_field_of_every_public_schema_lists_the_domains_values():
    found = _fields_with_value_sets()
    assert {field for _, field, _, _ in found} >= {"kind", "format", "role", "target_groups", "country", "website",
                                                   "language", "funder", "currency"}
    for file, field, spec, choices in found:
        listed = spec.get("enum") or spec.get("items", {}).get("enum") or spec.get("propertyNames", {}).get("enum")
        if choices:
            assert listed == list(choices), f"{file} {field}"
        elif field in LINKS:
            assert "uri" in json.dumps(spec), f"{file} {field} is a link without format: uri"
        else:
            assert listed is None, f"{file} {field} is free text there"


def test_a_value_outside_the_domains_choices_or_a_link_that_is_no_link_is_refused():
    from domain.activity import Activity

    document = json.loads(schema.documents()["activity.planned.v1.schema.json"])
    body = msgspec.json.decode(public_envelope(envelope(1, sample_event(Activity.Planned))).body)
    assert errors(document, body) == []
    assert errors(document, {**body, "kind": "party"}) != []
    assert errors(document, {**body, "format": "LIVE"}) != []
    assert errors(document, {**body, "online_link": "javascript:alert(1)"}) != []
    assert errors(document, {**body, "online_link": ""}) == []


def test_every_schema_file_has_an_id_of_its_own():
    ids = [json.loads(text)["$id"] for file, text in schema.documents().items() if file.endswith(".schema.json")]
    assert len(ids) == len(set(ids)) and all(i.startswith("urn:bg:mrezha:events:") for i in ids)


def test_every_message_of_the_asyncapi_document_has_an_example_valid_against_its_schemas():
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    document = asyncapi()
    registry = Registry().with_resource("urn:asyncapi", Resource(document, specification=DRAFT202012))
    for key, message in document["components"]["messages"].items():
        [sample] = message["examples"]
        headers = {"allOf": [{"$ref": f"urn:asyncapi{p['$ref']}"} if "$ref" in p else p
                             for p in message["headers"]["allOf"]]}
        assert errors({"$ref": f"urn:asyncapi{message['payload']['$ref']}"}, sample["payload"], registry) == [], key
        assert errors(headers, sample["headers"], registry) == [], key
