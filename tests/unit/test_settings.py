"""Settings from the environment: sensible defaults, and one clear line for a bad value."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from infra.settings import SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def data_dir(tmp_path: Path) -> str:
    return str(tmp_path / "data")


def refusal(env: dict[str, str]) -> str:
    with pytest.raises(SettingsError) as caught:
        load_settings(env)
    message = str(caught.value)
    assert "\n" not in message, message
    return message


def test_without_any_variable_the_web_listens_on_localhost_8000_and_keeps_data_in_var(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings({})
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.data_dir == tmp_path / "var"
    assert settings.data_dir.is_dir()
    assert settings.database_url == f"sqlite:///{tmp_path / 'var' / 'mrezha.sqlite'}"
    assert settings.sqlite_path == tmp_path / "var" / "mrezha.sqlite"
    assert settings.nats_url is None
    assert settings.base_url == "http://127.0.0.1:8000/"
    assert settings.projection_wait_seconds == 3.0


def test_the_secret_key_is_made_once_in_the_data_dir_and_kept(data_dir):
    first = load_settings({"MREZHA_DATA_DIR": data_dir}).secret_key
    assert len(first) >= 32
    assert load_settings({"MREZHA_DATA_DIR": data_dir}).secret_key == first
    assert (Path(data_dir) / "secret_key").stat().st_mode & 0o077 == 0


def test_good_values_are_taken_as_given(data_dir):
    settings = load_settings(
        {
            "MREZHA_DATA_DIR": data_dir,
            "MREZHA_HOST": "0.0.0.0",
            "MREZHA_PORT": "8123",
            "MREZHA_DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/mrezha?schema=mrezha_1",
            "MREZHA_NATS_URL": "nats://127.0.0.1:4222",
            "MREZHA_PROJECTION_WAIT": "0.5",
        }
    )
    assert (settings.host, settings.port, settings.nats_url) == ("0.0.0.0", 8123, "nats://127.0.0.1:4222")
    assert settings.is_postgres and settings.projection_wait_seconds == 0.5


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("MREZHA_PORT", "abc"),
        ("MREZHA_PORT", "0"),
        ("MREZHA_PORT", "70000"),
        ("MREZHA_PORT", "-1"),
        ("MREZHA_HOST", "not a host"),
        ("MREZHA_DATABASE_URL", "mysql://x"),
        ("MREZHA_DATABASE_URL", "postgresql://"),
        ("MREZHA_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432"),
        ("MREZHA_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test?schema=Bad-Name"),
        ("MREZHA_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test?schema=x;drop"),
        ("MREZHA_DATABASE_URL", "postgresql://postgres@127.0.0.1:abc/test"),
        ("MREZHA_DATABASE_URL", "postgresql://postgres@127.0.0.1:99999/test"),
        ("MREZHA_DATABASE_URL", "sqlite:///"),
        ("MREZHA_DATABASE_URL", "sqlite:////no/such/directory/mrezha.sqlite"),
        ("MREZHA_NATS_URL", "http://x"),
        ("MREZHA_NATS_URL", "nats://127.0.0.1:notaport"),
        ("MREZHA_PROJECTION_WAIT", "soon"),
        ("MREZHA_PROJECTION_WAIT", "-1"),
        ("MREZHA_PROJECTION_WAIT", "nan"),
    ],
)
def test_a_bad_value_is_refused_with_one_line_naming_the_variable(data_dir, variable, value):
    message = refusal({"MREZHA_DATA_DIR": data_dir, variable: value})
    assert variable in message


def test_a_database_password_is_not_repeated_in_the_message(data_dir):
    message = refusal({"MREZHA_DATA_DIR": data_dir, "MREZHA_DATABASE_URL": "postgresql://u:s3cret@db.example:5432"})
    assert "MREZHA_DATABASE_URL" in message and "s3cret" not in message


def test_a_data_dir_that_is_a_file_is_refused(tmp_path):
    a_file = tmp_path / "mrezha.txt"
    a_file.write_text("not a directory")
    message = refusal({"MREZHA_DATA_DIR": str(a_file)})
    assert "MREZHA_DATA_DIR" in message and "not a directory" in message


def test_a_data_dir_that_cannot_be_created_is_refused(tmp_path):
    a_file = tmp_path / "mrezha.txt"
    a_file.write_text("not a directory")
    assert "MREZHA_DATA_DIR" in refusal({"MREZHA_DATA_DIR": str(a_file / "data")})


def test_the_real_command_stops_with_one_line_and_exit_code_2_on_a_bad_port(data_dir):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MREZHA_")}
    env.update(MREZHA_PORT="abc", MREZHA_DATA_DIR=data_dir)
    done = subprocess.run(
        [sys.executable, "-m", "mrezha", "web"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert "MREZHA_PORT" in lines[0] and "abc" in lines[0]
    assert "Traceback" not in done.stderr + done.stdout
