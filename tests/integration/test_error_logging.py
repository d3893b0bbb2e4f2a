"""What the web leaves in the log: a 5xx with its traceback and the request id its page shows, a
refusal and a failed CSRF check as security events, and one line format (JSON when asked)."""

from __future__ import annotations

import io
import json
import logging
import re
from pathlib import Path

import pytest
from litestar.testing import TestClient

from infra.logs import configure_logging, security_event
from infra.settings import load_settings
from tests.support.web import Browserish
from web.app import create_app


@pytest.fixture
def web(tmp_path: Path):
    settings = load_settings({"MREZHA_DATA_DIR": str(tmp_path / "data")})
    with TestClient(app=create_app(settings)) as client:
        yield Browserish(client)


def test_a_5xx_is_logged_with_its_traceback_and_the_request_id_the_page_shows(web, caplog):
    with web.services.db.transaction() as tx:  # a read model's table is gone: its page fails
        tx.execute("DROP TABLE calendar_activities")
    with caplog.at_level(logging.ERROR, logger="mrezha.web"):
        response = web.get("/calendar")

    assert response.status_code == 500
    shown = re.search(r"Номер на заявката: ([0-9a-f]{16})", response.text)
    assert shown, response.text
    assert response.headers["x-request-id"] == shown.group(1)
    [record] = [r for r in caplog.records if r.name == "mrezha.web"]
    assert record.request_id == shown.group(1)
    assert record.exc_info is not None, "the traceback was not logged"
    assert "/calendar" in record.getMessage()


def test_a_post_without_its_csrf_token_is_logged_as_a_security_event(web, caplog):
    with caplog.at_level(logging.WARNING, logger="mrezha.security"):
        response = web.post_form("/login", {"username": "x", "password": "y"}, csrf=False)

    assert response.status_code == 403
    [record] = [r for r in caplog.records if r.name == "mrezha.security"]
    assert record.event == "csrf_failed"
    assert record.path == "/login"
    assert record.request_id == response.headers["x-request-id"]


def test_a_refused_page_is_logged_as_a_security_event_with_who_asked(web, caplog):
    centre_id, _ = web.services.app.centres.register_centre(name="Младежки център Перник", city="Перник")
    username = web.sign_in_as("member", centre_id, username="plain-member")
    with caplog.at_level(logging.WARNING, logger="mrezha.security"):
        response = web.get("/accounts")

    assert response.status_code == 403
    [record] = [r for r in caplog.records if r.name == "mrezha.security"]
    assert (record.event, record.user, record.path) == ("refused", username, "/accounts")


def test_with_the_json_format_every_line_is_one_json_object_naming_its_process(monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    configure_logging("relay", "json")
    try:
        security_event("sign_in_failed", username="secretariat", address="127.0.0.2")
        logging.getLogger("mrezha.relay").info("published %d events", 3)
    finally:
        configure_logging("tests", "text")

    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [(line["logger"], line["process"], line["message"]) for line in lines] == [
        ("mrezha.security", "relay", "sign_in_failed"),
        ("mrezha.relay", "relay", "published 3 events"),
    ]
    assert lines[0]["username"] == "secretariat" and lines[0]["level"] == "WARNING"


def test_a_failed_sign_in_is_logged_as_a_security_event_with_the_name_and_address(web, caplog):
    with caplog.at_level(logging.WARNING, logger="mrezha.security"):
        response = web.post_form("/login", {"username": "secretariat", "password": "not-it", "next": "/"}, htmx=False)

    assert response.status_code == 401
    [record] = [r for r in caplog.records if r.name == "mrezha.security"]
    assert (record.event, record.username) == ("sign_in_failed", "secretariat")
    assert record.address and record.request_id == response.headers["x-request-id"]
