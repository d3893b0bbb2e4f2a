"""MREZHA_STREAM_REPLICAS: how many copies of the stream a NATS cluster keeps."""

from __future__ import annotations

import pytest

from infra.settings import SettingsError, load_settings


def test_one_copy_unless_told_otherwise(tmp_path):
    assert load_settings({"MREZHA_DATA_DIR": str(tmp_path)}).stream_replicas == 1


def test_three_copies_on_a_three_node_cluster(tmp_path):
    settings = load_settings({"MREZHA_DATA_DIR": str(tmp_path), "MREZHA_STREAM_REPLICAS": "3",
                              "MREZHA_NATS_URL": "nats://10.0.0.1:4222,nats://10.0.0.2:4222,nats://10.0.0.3:4222"})
    assert settings.stream_replicas == 3


@pytest.mark.parametrize("raw", ["0", "6", "three", ""])
def test_a_count_nats_cannot_keep_stops_the_start_with_one_line(tmp_path, raw):
    with pytest.raises(SettingsError) as refused:
        load_settings({"MREZHA_DATA_DIR": str(tmp_path), "MREZHA_STREAM_REPLICAS": raw})
    assert str(refused.value).startswith(f"MREZHA_STREAM_REPLICAS={raw!r}")
    assert "\n" not in str(refused.value)
