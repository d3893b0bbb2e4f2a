"""The demo network is chaired by Vratsa; a handover recorded in the UI moves the chair, keeps the chair
timeline, and is one event: in the store, on the JetStream stream and in the read model."""

from __future__ import annotations

import sqlite3
from datetime import date

import msgspec
import psycopg
from bs4 import BeautifulSoup
from litestar.testing import TestClient

from demo.seeds import load_demo_if_empty
from infra.security import Security
from projections.base import position
from projections.catalog import all_projections
from tests.support.processes import eventually
from tests.support.stream import public_stream_messages, stream_length
from tests.support.web import CONFIRMED, Browserish

VRATSA = "Младежки център – Враца"
DOBRICH = "Младежки център – Добрич"
STARA_ZAGORA = "Международен младежки център – Стара Загора"


def caught_up(db, last: int) -> bool:
    try:
        return all(position(db, p.name) >= last for p in all_projections())
    except (sqlite3.OperationalError, psycopg.errors.UndefinedTable):
        return False


def chair_timeline(page: BeautifulSoup) -> list[str]:
    return [row.get_text(" ", strip=True).replace("\xa0", " ") for row in page.select("#chair-rows tr")]


def test_the_demo_is_chaired_by_vratsa_and_a_handover_in_the_ui_moves_the_chair_as_one_event_on_the_bus(
    settings, store, read_db, relay, projector
):
    # Given the demo network, projected and published
    store.passwords = Security(read_db)
    store.passwords.create_tables()
    assert load_demo_if_empty(store)
    eventually(lambda: caught_up(read_db, store.last_notification_id()), 60, "the demo was never projected")
    this_year = date.today().year

    from web.app import create_app

    with TestClient(app=create_app(settings)) as client:
        browser = Browserish(client)
        # /network shows Vratsa as this year's chair, to anyone
        page = BeautifulSoup(browser.get("/network").text, "html.parser")
        assert page.select_one("#current-chair").get_text(strip=True) == VRATSA
        assert chair_timeline(page)[:2] == [f"{this_year} {VRATSA} 15.01.{this_year} г.",
                                            f"{this_year - 1} {STARA_ZAGORA} 15.01.{this_year - 1} г."]

        # When the secretariat hands next year's chair over to Dobrich today, in the form
        browser.sign_in_as("secretariat", username="secretariat-of-the-test")
        page = BeautifulSoup(browser.get("/network").text, "html.parser")
        dobrich = next(o["value"] for o in page.select("#handover-centre_id option") if o.get_text() == DOBRICH)
        eventually(lambda: stream_length(settings.nats_url) == store.last_notification_id(), 30)
        stored_before, published_before = store.last_notification_id(), stream_length(settings.nats_url)
        response = browser.post_form("/network/handover", {
            "year": str(this_year + 1), "centre_id": dobrich, "handed_over_on": date.today().isoformat(), **CONFIRMED,
        })

        # Then the returned fragment already shows Dobrich as the chair, and the timeline keeps the others
        assert response.status_code == 200, response.text
        fragment = BeautifulSoup(response.text, "html.parser")
        assert fragment.select_one("#current-chair").get_text(strip=True) == DOBRICH
        assert chair_timeline(fragment) == [
            f"{this_year + 1} {DOBRICH} {date.today():%d.%m.%Y} г.",
            f"{this_year} {VRATSA} 15.01.{this_year} г.",
            f"{this_year - 1} {STARA_ZAGORA} 15.01.{this_year - 1} г.",
        ]

    # And it is one event in the store
    assert store.last_notification_id() == stored_before + 1
    notification = store.recorder.select_notifications(stored_before + 1, 1)[0]
    assert notification.topic.endswith("Network.ChairHandedOver")

    # And exactly one message on the stream, the handover, under its notification id
    eventually(lambda: stream_length(settings.nats_url) == published_before + 1, 30, "the handover was not published")
    def new_on_the_public_stream() -> list:
        return [m for m in public_stream_messages(settings.nats_url) if int(m.headers["Nats-Msg-Id"]) > stored_before]

    eventually(new_on_the_public_stream, 10, "the handover never reached the public stream")
    new = new_on_the_public_stream()
    assert [m.subject for m in new] == ["mrezha.network.chair_handed_over"]
    assert new[0].headers["ce-type"] == "bg.mrezha.network.chair_handed_over.v1"
    assert new[0].headers["Nats-Msg-Id"] == str(notification.id)
    body = msgspec.json.decode(new[0].data)
    assert (body["year"], body["centre_id"], body["handed_over_on"]) == (this_year + 1, dobrich, date.today().isoformat())
