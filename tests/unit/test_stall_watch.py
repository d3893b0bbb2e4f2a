"""When the stream counts as stalled behind the store (the supervisor restarts the bus then)."""

from infra.bus import StallWatch


def test_a_stream_that_keeps_up_or_moves_is_never_stalled():
    watch = StallWatch(after_seconds=15)
    assert not watch.stalled(stored=10, published=10, now=0)
    assert not watch.stalled(stored=12, published=10, now=10)
    assert not watch.stalled(stored=14, published=11, now=30)  # behind, but it moved
    assert not watch.stalled(stored=14, published=14, now=100)  # caught up, however long it took


def test_a_stream_behind_the_store_that_has_not_moved_for_fifteen_seconds_is_stalled():
    watch = StallWatch(after_seconds=15)
    assert not watch.stalled(stored=12, published=10, now=0)
    assert not watch.stalled(stored=13, published=10, now=14.9)
    assert watch.stalled(stored=13, published=10, now=15)
