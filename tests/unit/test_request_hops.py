"""What every request runs stays on the event loop unless it reads the database: litestar runs a plain
function guard or hook in a worker thread, a hop (two thread switches) on every request."""

import inspect

from web.app import create_app
from web.auth import access_guard
from infra.settings import load_settings


def test_the_access_guard_runs_on_the_event_loop():
    assert inspect.iscoroutinefunction(access_guard)


def test_every_guard_and_hook_of_the_app_is_a_coroutine(tmp_path):
    app = create_app(load_settings({"MREZHA_DATA_DIR": str(tmp_path)}))
    hooks = [*app.guards, *app.before_send]
    assert hooks and all(inspect.iscoroutinefunction(getattr(hook, "func", hook)) for hook in hooks), hooks
