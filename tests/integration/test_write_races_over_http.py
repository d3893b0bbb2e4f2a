"""Two people at once, and one form sent twice, against the real web process on SQLite and PostgreSQL.

Ten people adding a presentation to one activity at the same moment: no 5xx; every answered
200 is stored, every 409 says why and keeps what was typed, nothing else is stored. A form posted
twice (one after the other, or at the same moment) records its command once.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import httpx
import pytest

from domain.activity import Activity
from tests.support.accounts import PASSWORD
from tests.support.commands import a_centre
from tests.support.processes import Worker, eventually
from tests.support.site import Site, running_site

CONFLICT = "Някой промени записа в същия момент"
PEOPLE = 10


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def site_with_web(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Site, str]]:
    database_url = "" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    with running_site(tmp_path, database_url) as site:
        web = Worker("web", site.settings, tmp_path).start()
        try:
            eventually(lambda: _answers(site.settings.base_url + "healthz"), 20, "the web process never answered")
            yield site, site.settings.base_url.rstrip("/")
        finally:
            web.stop()
        assert "Traceback" not in web.log(), web.log()


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code < 500
    except httpx.TransportError:
        return False


def signed_in(base: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    client.get("/login")
    response = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "next": "/"},
        headers={"x-csrftoken": client.cookies["csrftoken"]},
    )
    assert response.status_code == 303, response.text
    return client


def post(client: httpx.Client, url: str, data: dict[str, str]) -> httpx.Response:
    return client.post(url, data=data, headers={"x-csrftoken": client.cookies["csrftoken"], "HX-Request": "true"})


def an_activity_hosted_by_a_coordinator(site: Site) -> tuple[UUID, str]:
    host = a_centre(site.store)
    on = date.today() + timedelta(days=30)
    activity_id, _ = site.store.activities.plan_activity(
        host_centre_id=host, title="Обмен в Добрич", kind="exchange", starts_on=on, ends_on=on, city="Добрич"
    )
    username = f"host-{uuid4().hex[:8]}"
    site.web.open_account(username, "coordinator", host)
    return activity_id, username


def presentations_of(site: Site, activity_id: UUID) -> int:
    return sum(isinstance(event, Activity.PresentationAdded) for event in site.store.events.get(activity_id))


def activities_titled(site: Site, title: str) -> int:
    notifications = site.store.recorder.select_notifications(start=1, limit=1_000_000)
    return sum(1 for n in notifications if n.topic.endswith("Activity.Planned") and title.encode() in n.state)


def test_ten_people_changing_one_activity_at_once_get_no_5xx_and_exactly_the_winners_are_stored(site_with_web):
    site, base = site_with_web
    activity_id, username = an_activity_hosted_by_a_coordinator(site)
    clients = [signed_in(base, username) for _ in range(PEOPLE)]
    start = threading.Barrier(PEOPLE)

    def present(number: int) -> httpx.Response:
        start.wait()
        return post(
            clients[number],
            f"/activities/{activity_id}/presentation",
            {"speaker": f"Говорител {number}", "organisation": "МЦ", "presentation_title": f"Тема {number}",
             "_submission": uuid4().hex},
        )

    with ThreadPoolExecutor(PEOPLE) as pool:
        answers = list(pool.map(present, range(PEOPLE)))

    statuses = sorted(answer.status_code for answer in answers)
    assert set(statuses) <= {200, 409}, statuses
    winners = statuses.count(200)
    assert winners >= 1
    assert presentations_of(site, activity_id) == winners
    for number, answer in enumerate(answers):
        if answer.status_code == 409:
            assert CONFLICT in answer.text
            assert f'value="Говорител {number}"' in answer.text, "the typed values were lost"


def test_a_form_posted_twice_one_after_the_other_records_its_command_once(site_with_web):
    site, base = site_with_web
    activity_id, username = an_activity_hosted_by_a_coordinator(site)
    client = signed_in(base, username)
    form = {"speaker": "Иван", "organisation": "МЦ Враца", "presentation_title": "Добри практики",
            "_submission": uuid4().hex}

    first = post(client, f"/activities/{activity_id}/presentation", form)
    stored = site.stored()
    again = post(client, f"/activities/{activity_id}/presentation", form)

    assert (first.status_code, again.status_code) == (200, 200)
    assert site.stored() == stored, "the second post stored something"
    assert presentations_of(site, activity_id) == 1
    assert again.text.count("Добри практики") == first.text.count("Добри практики")


def test_a_form_posted_twice_at_the_same_moment_records_its_command_once(site_with_web):
    site, base = site_with_web
    activity_id, username = an_activity_hosted_by_a_coordinator(site)
    clients = [signed_in(base, username) for _ in range(4)]
    form = {"speaker": "Мария", "organisation": "МЦ Добрич", "presentation_title": "Млади лидери",
            "_submission": uuid4().hex}
    start = threading.Barrier(len(clients))

    def send(client: httpx.Client) -> int:
        start.wait()
        return post(client, f"/activities/{activity_id}/presentation", form).status_code

    with ThreadPoolExecutor(len(clients)) as pool:
        statuses = list(pool.map(send, clients))

    assert statuses == [200] * len(clients)
    assert presentations_of(site, activity_id) == 1


def test_a_plain_form_posted_twice_is_sent_to_the_same_new_record(site_with_web):
    site, base = site_with_web
    host = a_centre(site.store)
    username = f"planner-{uuid4().hex[:8]}"
    site.web.open_account(username, "coordinator", host)
    client = signed_in(base, username)
    on = (date.today() + timedelta(days=40)).isoformat()
    title = f"Обучение {uuid4().hex[:6]}"
    form = {"title": title, "kind": "training", "starts_on": on, "ends_on": on,
            "city": "Перник", "host_centre_id": str(host), "_submission": uuid4().hex}

    first = client.post("/activities", data=form, headers={"x-csrftoken": client.cookies["csrftoken"]})
    again = client.post("/activities", data=form, headers={"x-csrftoken": client.cookies["csrftoken"]})

    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == again.headers["location"]
    assert re.fullmatch(r"/activities/[0-9a-f-]{36}", first.headers["location"])
    assert activities_titled(site, title) == 1
