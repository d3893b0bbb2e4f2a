"""One fact through every layer: form -> command -> store -> relay -> JetStream -> projector -> page."""

from __future__ import annotations

import msgspec
from bs4 import BeautifulSoup

from domain.activity import Activity
from projections.calendar import Calendar
from tests.support.processes import eventually
from tests.support.stream import public_stream_messages
from tests.support.web import CONFIRMED, as_swapped


def test_a_planned_activity_reaches_the_store_the_stream_the_read_model_and_the_page(
    web, store, read_db, settings, relay, projector
):
    # Given a registered centre
    response = web.post_form("/centres", {"name": "Младежки център – Добрич", "city": "Добрич"})
    assert response.status_code == 201, response.text
    centre_id = BeautifulSoup(response.text, "html.parser").select_one("#centre-list li.just-added")["id"].removeprefix("centre-")
    # that the network admitted as a member (only members host activities)
    assert web.post_form(f"/centres/{centre_id}/apply", {"motivation": ""}).status_code == 200
    assert web.post_form(f"/centres/{centre_id}/admit", CONFIRMED).status_code == 200

    # When a coordinator plans the exchange from the form
    response = web.post_form(
        "/activities",
        {
            "title": "Предизвикателствата на младежката работа",
            "kind": "exchange",
            "format": "live",
            "host_centre_id": centre_id,
            "starts_on": "2026-05-14",
            "ends_on": "2026-05-16",
            "city": "Добрич",
        },
    )

    # Then the returned fragment already shows the new row (read-your-writes)
    assert response.status_code == 201, response.text
    page = as_swapped(response.text)  # the row comes out of band, into the calendar's table
    row = page.select_one("#activity-rows tr.just-added")
    assert row is not None and "Предизвикателствата на младежката работа" in row.text
    activity_id = row["id"].removeprefix("activity-")

    # And the event is in the store
    activity = store.repository.get(__import__("uuid").UUID(activity_id))
    assert isinstance(activity, Activity) and activity.city == "Добрич"
    notifications = store.recorder.select_notifications(1, 100)
    planned = [n for n in notifications if n.topic.endswith("Activity.Planned")]
    assert len(planned) == 1
    notification_id = planned[0].id

    # And exactly one message for it is on the public stream, on its subject, with its notification id
    def on_the_public_stream() -> list:
        return [m for m in public_stream_messages(settings.nats_url) if m.headers["ce-subject"] == activity_id]

    eventually(on_the_public_stream, 10, "the activity never reached the public stream")
    messages = on_the_public_stream()
    assert len(messages) == 1
    message = messages[0]
    assert message.subject == "mrezha.activity.planned"
    assert message.headers["Nats-Msg-Id"] == str(notification_id)
    assert message.headers["ce-type"] == "bg.mrezha.activity.planned.v1"
    assert message.headers["ce-aggregateversion"] == "1"
    assert message.headers["ce-time"].startswith(str(activity.created_on.date()))
    assert msgspec.json.decode(message.data)["title"] == "Предизвикателствата на младежката работа"

    # And the read model has the row
    assert Calendar.get(read_db, activity_id)["host_name"] == "Младежки център – Добрич"
