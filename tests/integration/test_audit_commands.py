"""``mrezha audit``: the key once in the data dir, sync, verify's exit code, and the README's own
verifier (extracted from the README and run as a separate program) on a real proof."""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def mrezha(settings, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MREZHA_DATA_DIR": str(settings.data_dir), "MREZHA_DATABASE_URL": settings.database_url,
           **(env or {})}
    return subprocess.run([sys.executable, "-m", "mrezha.cli", *args], env=env, capture_output=True, text=True,
                          cwd=ROOT, timeout=60, check=False)


def readme_verifier(tmp_path: Path) -> Path:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## The annual audit: a verifiable log", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    imports = re.findall(r"^(?:import|from) (.*?)(?: import .*)?$", code, re.M)
    assert imports == ["base64, hashlib, json, sys", "cryptography.hazmat.primitives.asymmetric.ed25519"]
    path = tmp_path / "verify_proof.py"
    path.write_text(code, encoding="utf-8")
    return path


def test_the_readme_verifier_accepts_a_real_proof_and_rejects_a_flipped_bit(settings, store, tmp_path):
    # Given a store of a few events, in the tree and checkpointed
    for i in range(7):
        store.centres.register_centre(name=f"Център {uuid.uuid4().hex[:6]}", city="Враца")
    assert mrezha(settings, "audit", "sync", "--every", "5").returncode == 0
    key = mrezha(settings, "audit", "key").stdout.strip()
    assert (settings.data_dir / "audit-ed25519.pem").stat().st_mode & 0o777 == 0o600
    assert mrezha(settings, "audit", "verify").returncode == 0
    # When the proof of event 9 is given to the README's verifier
    answer = mrezha(settings, "audit", "proof", "9")
    assert answer.returncode == 0, answer.stderr
    proof = json.loads(answer.stdout)
    (tmp_path / "proof.json").write_text(json.dumps(proof))
    verifier = readme_verifier(tmp_path)
    run = subprocess.run([sys.executable, str(verifier), str(tmp_path / "proof.json"), key],
                         capture_output=True, text=True, check=False)
    # Then it accepts it
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr
    # And a flipped bit in the leaf makes it refuse
    leaf = bytearray(base64.b64decode(proof["leaf"]))
    leaf[-1] ^= 1
    proof["leaf"] = base64.b64encode(bytes(leaf)).decode()
    (tmp_path / "flipped.json").write_text(json.dumps(proof))
    run = subprocess.run([sys.executable, str(verifier), str(tmp_path / "flipped.json"), key],
                         capture_output=True, text=True, check=False)
    assert run.returncode != 0


def test_verify_fails_and_names_the_event_when_one_was_deleted(settings, store, read_db):
    for i in range(5):
        store.centres.register_centre(name=f"Център {uuid.uuid4().hex[:6]}", city="Враца")
    assert mrezha(settings, "audit", "sync").returncode == 0
    col = "rowid" if read_db.dialect == "sqlite" else "notification_id"
    with read_db.transaction() as tx:
        tx.execute(f"DELETE FROM {store.recorder.events_table_name} WHERE {col} = 4")
    run = mrezha(settings, "audit", "verify")
    assert run.returncode == 1
    assert "event 4 was removed" in run.stderr


def test_the_web_serves_the_same_public_key_as_the_command(settings, web):
    # Given the key made once in the data dir, when a visitor asks for it, it is the command's
    served = web.get("/audit/key")
    assert served.status_code == 200
    assert served.text.strip() == mrezha(settings, "audit", "key").stdout.strip()
    assert served.text.startswith("localhost/mrezha+")


def test_the_report_command_writes_the_year_and_names_its_digest(settings, store, tmp_path):
    store.centres.register_centre(name=f"Център {uuid.uuid4().hex[:6]}", city="Враца")
    assert mrezha(settings, "audit", "sync").returncode == 0
    run = mrezha(settings, "audit", "report", "2025", "--out", str(tmp_path / "year"))
    assert run.returncode == 0, run.stderr
    assert "report.json sha256" in run.stdout
    assert json.loads((tmp_path / "year" / "report.json").read_text())["checkpoint"]["tree_size"] == 2


def test_the_year_can_be_named_straight_after_audit(settings, store, tmp_path):
    # `mrezha audit YEAR --out DIR` is the short form of `mrezha audit report YEAR --out DIR`
    store.centres.register_centre(name=f"Център {uuid.uuid4().hex[:6]}", city="Враца")
    assert mrezha(settings, "audit", "sync").returncode == 0
    short = mrezha(settings, "audit", "2025", "--out", str(tmp_path / "short"))
    long = mrezha(settings, "audit", "report", "2025", "--out", str(tmp_path / "long"))
    assert short.returncode == 0, short.stderr
    assert (tmp_path / "short" / "report.json").read_bytes() == (tmp_path / "long" / "report.json").read_bytes()


def test_the_audit_page_leads_to_the_report_of_every_year_with_activities(settings, store, read_db, web):
    from datetime import date

    from bs4 import BeautifulSoup

    from projections.catalog import all_projections
    from tests.support.rebuild import rebuild_from_store

    host = store.centres.register_centre(name=f"Център {uuid.uuid4().hex[:6]}", city="Враца")[0]
    store.centres.apply_for_membership(host)
    store.centres.admit_centre(host)
    for year in (2024, 2025):
        store.activities.plan_activity(host_centre_id=host, title="Обмен", kind="exchange", starts_on=date(year, 3, 3),
                                       ends_on=date(year, 3, 5), city="Враца")
    rebuild_from_store(store, read_db, all_projections())
    web.sign_in_as("auditor")
    page = BeautifulSoup(web.get("/audit").text, "html.parser")
    assert [a["href"] for a in page.select("ul.years a")] == ["/audit/2025", "/audit/2024"]
    assert page.select_one('a[href="/audit/key"]') is not None


def test_the_year_page_is_for_the_auditor_and_draws_its_charts(settings, store, web):
    from datetime import date

    from bs4 import BeautifulSoup

    # Given an activity of 2025 in a signed log
    host = store.centres.register_centre(name=f"Център {uuid.uuid4().hex[:6]}", city="Враца")[0]
    store.centres.apply_for_membership(host)
    store.centres.admit_centre(host)
    store.activities.plan_activity(host_centre_id=host, title="Обмен", kind="exchange", starts_on=date(2025, 3, 3),
                                   ends_on=date(2025, 3, 5), city="Враца")
    assert mrezha(settings, "audit", "sync").returncode == 0
    # A member may not see it
    web.sign_in_as("member", host)
    assert web.get("/audit/2025").status_code == 403
    web.sign_out()
    # The auditor sees the charts, drawn as SVG, and the checkpoint it came from
    web.sign_in_as("auditor")
    page = web.get("/audit/2025")
    assert page.status_code == 200, page.text
    html = BeautifulSoup(page.text, "html.parser")
    assert len(html.find_all("svg")) == 4  # by kind, month, centre; the plan against what was held
    assert len(html.find_all("svg")[0].find_all("rect")) == 1
    assert "Annual audit 2025" in page.text or "Годишен одит 2025" in page.text


def test_the_audit_page_shows_the_last_reconciliation_and_the_latest_checkpoint(settings, store, read_db, web, tmp_path):
    from bs4 import BeautifulSoup

    from projections.catalog import all_projections
    from tests.support.rebuild import rebuild_from_store

    # Given a signed log and live read models with one centre's name changed behind the projector's back
    centre = store.centres.register_centre(name="Център Враца", city="Враца")[0]
    assert mrezha(settings, "audit", "sync").returncode == 0
    rebuild_from_store(store, read_db, all_projections())
    with read_db.transaction() as tx:
        tx.execute("UPDATE centres SET name = 'Подменен' WHERE name = 'Център Враца'")
    # When the audit runs
    run = mrezha(settings, "audit", "report", "2025", "--out", str(tmp_path / "year"))
    assert run.returncode == 0, run.stderr
    assert "difference: centres: 1 rows only in the rebuilt, 1 only in the live" in run.stderr
    # Then /audit is not for a member
    web.sign_in_as("member", centre)
    assert web.get("/audit").status_code == 403
    web.sign_out()
    # And shows the auditor the planted difference, row by row, and the latest checkpoint
    web.sign_in_as("auditor")
    page = web.get("/audit")
    assert page.status_code == 200, page.text
    listed = [li.get_text() for li in BeautifulSoup(page.text, "html.parser").select("ul.differences li")]
    assert listed[0] == "centres: 1 rows only in the rebuilt, 1 only in the live"
    assert any("only in the rebuilt" in item and "Център Враца" in item for item in listed)
    assert any("only in the live" in item and "Подменен" in item for item in listed)
    checkpoint = json.loads((tmp_path / "year" / "report.json").read_text())["checkpoint"]
    assert checkpoint["root_hash"] in page.text and f"localhost/mrezha\n{checkpoint['tree_size']}\n" in page.text


def test_the_report_lists_an_event_the_public_stream_carries_twice(settings, store, read_db, relay, tmp_path):
    import asyncio

    import nats

    from infra import audit_bus
    from tests.support.processes import eventually
    from tests.support.stream import as_admin, run_apart

    # Given three centres the relay published on both streams
    for i in range(3):
        store.centres.register_centre(name=f"Център {uuid.uuid4().hex[:6]}", city="Враца")

    async def on(stream: str) -> list[int]:
        nc = await nats.connect(as_admin(settings.nats_url))
        try:
            return await audit_bus.published_ids(nc.jetstream(), stream)
        finally:
            await nc.close()

    eventually(lambda: len(run_apart(on("MREZHA"))) == 3, 30, "the relay never published")
    assert mrezha(settings, "audit", "sync").returncode == 0

    # When someone with the bus's keys publishes the second public event again
    async def again() -> None:
        nc = await nats.connect(as_admin(settings.nats_url))
        js = nc.jetstream()
        message = await js.get_msg("MREZHA", seq=2)
        await js.publish(message.subject, message.data, headers={**message.headers, "Nats-Msg-Id": "x"})
        await asyncio.sleep(0)
        await nc.close()

    run_apart(again())
    second = run_apart(on("MREZHA"))[1]
    run = mrezha(settings, "audit", "report", "2025", "--out", str(tmp_path / "year"),
                 env={"MREZHA_NATS_URL": settings.nats_url})
    # Then the audit lists it, and nothing about the internal stream
    assert run.returncode == 0, run.stderr
    lines = [line for line in run.stderr.splitlines() if "stream:" in line]
    assert lines == [f"mrezha audit report: difference: stream: public stream: notification {second} "
                     "published more than once"], run.stderr


def test_the_menu_leads_the_auditor_and_the_secretariat_to_the_audit_and_nobody_else(web, store):
    from bs4 import BeautifulSoup

    centre = store.centres.register_centre(name=f"Център {uuid.uuid4().hex[:6]}", city="Враца")[0]

    def menu_links() -> set[str]:
        page = BeautifulSoup(web.get("/calendar").text, "html.parser")
        return {a["href"] for a in page.select("nav .nav-wide a[href]")}

    web.sign_out()
    assert "/audit" not in menu_links()  # a visitor
    for role, centre_id in (("coordinator", centre), ("member", centre)):
        web.sign_in_as(role, centre_id)
        assert "/audit" not in menu_links(), role
        web.sign_out()
    for role in ("auditor", "secretariat"):
        web.sign_in_as(role)
        assert "/audit" in menu_links(), role
        web.sign_out()
