"""The audit's comparison of the stream with the store: every stored event published once, in order."""

from infra.audit_bus import stream_differences


def test_a_stream_that_matches_the_store_has_no_difference():
    assert stream_differences([1, 2, 3], [1, 2, 3]) == []


def test_a_duplicate_a_gap_a_reordering_and_a_stranger_are_each_listed():
    assert stream_differences([1, 2, 3, 4, 5], [1, 3, 2, 3, 5, 9]) == [
        "notification 2 published after 3 (out of order)",
        "notification 3 published more than once",
        "notification 4 stored but not published",
        "notification 9 published but not stored",
    ]
