"""The process that stored a command projects it itself (``infra.catch_up``): every read model is at the
command's id when it returns, with the rows the projector would have written; the projector, running
beside it, skips what it finds done, and nothing is applied twice, on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from typing import Any

from infra.catch_up import catch_up
from projections.base import ensure_tables, position, positions
from projections.catalog import all_projections
from tests.support.delivery import Load, caught_up, compare_read_models_with_rebuilt
from tests.support.rebuild import rebuild_from_store

PROJECTIONS = all_projections()


class CatchingUpLoad(Load):
    """The fault tests' load, each command caught up by the thread that stored it, as the web does."""

    def __init__(self, store: Any, db: Any, commands: int, name: str) -> None:
        super().__init__(store, commands, name)
        self.db = db
        self.behind: list[tuple[int, dict[str, int]]] = []  # a command not projected when caught up

    def _command(self, call: Any, *args: Any, **kwargs: Any) -> Any:
        result = super()._command(call, *args, **kwargs)
        own = result[-1] if isinstance(result, tuple) else result
        assert catch_up(self.db, PROJECTIONS, self.store, own)
        at = positions(self.db, [p.name for p in PROJECTIONS])
        if min(at.values()) < own:
            self.behind.append((own, at))
        return result


def test_a_command_caught_up_by_its_own_process_is_in_every_read_model_as_a_rebuild_makes_it(
    store, read_db, fresh_database
):
    # Given read models at the store's end
    for projection in PROJECTIONS:
        ensure_tables(read_db, projection)
    # When commands are stored and each is caught up at once, with no projector running
    load = CatchingUpLoad(store, read_db, 30, "catching up")
    load.record()

    # Then each one was in every read model when it returned, and they equal a rebuild from the store alone
    assert load.behind == []
    assert {position(read_db, p.name) for p in PROJECTIONS} == {store.last_notification_id()}
    assert compare_read_models_with_rebuilt(store, read_db, fresh_database) == ""


def test_read_models_too_far_behind_are_left_to_the_projector(store, read_db):
    # Given read models that have seen nothing of a store with a long history (a rebuild under way)
    for projection in PROJECTIONS:
        ensure_tables(read_db, projection)
    Load(store, 30, "history").record()
    last = store.last_notification_id()

    # When a command is caught up with a short reach
    caught = catch_up(read_db, PROJECTIONS, store, last, most=10)

    # Then nothing was written: the projector rebuilds them from the stream
    assert caught is False
    assert set(positions(read_db, [p.name for p in PROJECTIONS]).values()) == {0}


def test_read_models_a_little_behind_get_the_other_writers_events_too(store, read_db, fresh_database):
    # Given read models that projected half of the store, then a command of this process
    Load(store, 20, "others").record()
    rebuild_from_store(store, read_db, PROJECTIONS, batch_size=7)
    Load(store, 10, "after").record()
    last = store.last_notification_id()

    # When it is caught up
    assert catch_up(read_db, PROJECTIONS, store, last)

    # Then the read models hold everything up to it
    assert compare_read_models_with_rebuilt(store, read_db, fresh_database) == ""


def test_processes_catching_up_beside_the_projector_apply_every_event_once(
    store, read_db, fresh_database, relay, projector, settings
):
    # Given the relay and the projector running, and read models at the store's end
    for projection in PROJECTIONS:
        ensure_tables(read_db, projection)
    caught_up(store, read_db, settings.nats_url, 60, (relay, projector))

    # When three threads store commands and catch each up while the projector projects the same events
    loads = [CatchingUpLoad(store, read_db, 40, f"writer {n}") for n in range(3)]
    for load in loads:
        load.start()
    for load in loads:
        load.finish(120)

    # Then every command was projected when its writer went on, the projector caught up with the rest,
    # and the read models equal a rebuild from the store: nothing lost, nothing applied twice
    assert [load.behind for load in loads] == [[], [], []]
    caught_up(store, read_db, settings.nats_url, 60, (relay, projector))
    assert compare_read_models_with_rebuilt(store, read_db, fresh_database) == ""


def test_a_form_is_answered_with_its_command_projected_though_no_projector_runs(store, read_db, web, settings):
    # Given the web alone (no relay, no projector) and a member centre, caught up
    web.sign_in_as("secretariat", username="secretariat")
    centre_id, _ = store.centres.register_centre(name="Младежки център Враца", city="Враца")
    store.centres.apply_for_membership(centre_id)
    store.centres.admit_centre(centre_id)

    # When an activity is planned through the form
    started = time.monotonic()
    response = web.post_form("/activities", {
        "title": "Обмен на добри практики", "kind": "exchange", "starts_on": "2027-03-01", "ends_on": "2027-03-02",
        "city": "Враца", "host_centre_id": str(centre_id),
    })

    # Then the answer shows it at once (not "being processed"), and every read model is at the store's end
    assert response.status_code == 201, response.text
    assert time.monotonic() - started < settings.projection_wait_seconds / 2
    assert "Обмен на добри практики" in response.text
    assert set(positions(read_db, [p.name for p in PROJECTIONS]).values()) == {store.last_notification_id()}
