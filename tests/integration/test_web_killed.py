"""The web SIGKILLed while people register centres: every command is stored whole or not at all (a
centre with its name's claim and its form's submission key, never one without the others), the
web comes back, and the read models equal a rebuild from the store."""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path
from uuid import uuid4

import httpx

from domain.centre import Centre, CentreName
from domain.submission import Submission
from tests.support.accounts import PASSWORD
from tests.support.delivery import all_notifications, caught_up, compare_read_models_with_rebuilt
from tests.support.processes import Worker, eventually
from tests.support.site import running_site

CLERKS = 4


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.TransportError:
        return False


def signed_in(base: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=10)
    client.get("/login")
    response = client.post("/login", data={"username": username, "password": PASSWORD, "next": "/"},
                           headers={"x-csrftoken": client.cookies["csrftoken"]})
    assert response.status_code == 303, response.text
    return client


def test_killing_the_web_mid_command_stores_each_command_whole_or_not_at_all(
    database_url, fresh_database, tmp_path: Path
):
    with running_site(tmp_path / "site", database_url) as site:
        web = Worker("web", site.settings, tmp_path).start()
        base = site.settings.base_url.rstrip("/")
        eventually(lambda: answers(base + "/healthz"), 30, "the web never answered")
        clerks = [signed_in(base, "secretariat") for _ in range(CLERKS)]
        stop = threading.Event()
        sent = Counter[str]()

        def register(client: httpx.Client) -> None:
            while not stop.is_set():
                try:
                    client.post("/centres", data={"name": f"Младежки център {uuid4().hex[:10]}", "city": "Бургас",
                                                  "_submission": uuid4().hex},
                                headers={"x-csrftoken": client.cookies["csrftoken"], "HX-Request": "true"})
                    sent["answered"] += 1
                except httpx.TransportError:
                    sent["cut off"] += 1
                    return

        threads = [threading.Thread(target=register, args=(client,)) for client in clerks]
        for thread in threads:
            thread.start()
        eventually(lambda: sent["answered"] >= 20, 30, "no commands went through")
        web.kill()  # SIGKILL, with commands in flight
        stop.set()
        for thread in threads:
            thread.join(15)
        assert sent["cut off"] >= 1, "the kill landed between commands, not in the middle of one"

        # Every command stored whole, or not at all
        events = [site.store.mapper.to_domain_event(n) for n in all_notifications(site.store)]
        centres = {e.originator_id for e in events if isinstance(e, Centre.Registered)}
        claimed = {e.centre_id for e in events if isinstance(e, CentreName.Claimed)}
        submitted = {e.created_id for e in events if isinstance(e, Submission.Recorded)}
        assert centres == claimed == submitted, "a command was stored in part"

        # And the web comes back, and the pages show what the store holds
        web = Worker("web", site.settings, tmp_path).start()
        try:
            eventually(lambda: answers(base + "/healthz"), 30, "the web did not start again")
            caught_up(site.store, site.db, site.settings.nats_url, 60)
            assert compare_read_models_with_rebuilt(site.store, site.db, fresh_database) == ""
        finally:
            web.stop()
