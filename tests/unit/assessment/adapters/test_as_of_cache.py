"""``AsOfCache`` answers what the query answers, from what it answered before when it holds the
rows: no query then; bounded by bytes and by segments (least recently used out); a segment
whose versions are not contiguous is never kept."""

from __future__ import annotations

import uuid
from typing import Any

from eventsourcing.persistence import StoredEvent

from assessment.adapters.as_of_cache import ROW_OVERHEAD, AsOfCache

A, B = uuid.uuid4(), uuid.uuid4()


def _row(ident: uuid.UUID, version: int, size: int = 10) -> StoredEvent:
    return StoredEvent(
        originator_id=ident, originator_version=version, topic="t", state=b"x" * size
    )


class Store:
    """``snapshot_and_events`` over snapshots every ``every`` versions of ``last`` events."""

    def __init__(self, last: int = 250, every: int = 100) -> None:
        self.last, self.every, self.calls = last, every, 0
        self.holes: set[int] = set()

    def __call__(
        self, ident: uuid.UUID, version: int, ahead: int = 0
    ) -> tuple[Any, list[StoredEvent]]:
        self.calls += 1
        start = min(version, self.last) // self.every * self.every
        snapshot = _row(ident, start, 50) if start else None
        top = min(max(version, start + ahead), self.last)
        return snapshot, [_row(ident, v) for v in range(start + 1, top + 1) if v not in self.holes]


def _versions(answer: tuple[Any, list[StoredEvent]]) -> tuple[int | None, list[int]]:
    snapshot, rows = answer
    start = snapshot.originator_version if snapshot is not None else None
    return start, [r.originator_version for r in rows]


def test_a_read_inside_a_kept_segment_asks_nothing_and_answers_the_same() -> None:
    store = Store()
    cache = AsOfCache(store, max_bytes=1 << 20)
    assert _versions(cache.get(A, 150)) == _versions(store(A, 150))
    store.calls = 0
    for v in (150, 100, 101, 149, 120):  # all inside (100, 150]: no query
        assert _versions(cache.get(A, v)) == _versions(store(A, v))
    assert cache.hits == 5 and store.calls == 5  # the five comparisons' own calls only
    store.calls = 0
    cache.get(A, 151)  # past what is kept: asked, and the longer segment replaces it
    cache.get(A, 130)
    assert store.calls == 1 and len(cache) == 1
    cache.get(A, 99)  # before the snapshot: another segment (no snapshot, events 1..99)
    cache.get(A, 5)
    assert store.calls == 2 and len(cache) == 2
    cache.get(B, 5)  # another aggregate: its own segments
    assert store.calls == 3


def test_it_reads_ahead_to_the_end_of_the_interval_and_answers_only_up_to_the_version() -> None:
    store = Store()
    cache = AsOfCache(store, max_bytes=1 << 20, ahead=100)
    assert _versions(cache.get(A, 110)) == _versions(store(A, 110))  # events 101..110 only
    store.calls = 0
    for v in (111, 150, 199):
        assert _versions(cache.get(A, v)) == _versions(store(A, v))
    # the next snapshot's version is still in the segment: the same state, by the events
    assert _versions(cache.get(A, 200)) == (100, list(range(101, 201)))
    assert store.calls == 3 and cache.hits == 4
    assert _versions(cache.get(A, 250)) == (200, list(range(201, 251)))
    assert _versions(cache.get(A, 5)) == (None, list(range(1, 6)))
    assert _versions(cache.get(A, 99)) == (None, list(range(1, 100)))
    assert cache.hits == 5


def test_past_the_last_version_it_answers_the_last_and_asks_again() -> None:
    store = Store(last=120)
    cache = AsOfCache(store, max_bytes=1 << 20)
    assert _versions(cache.get(A, 500)) == (100, list(range(101, 121)))
    assert store.calls == 1
    assert _versions(cache.get(A, 500)) == (100, list(range(101, 121)))
    assert store.calls == 2  # not known to be the same answer: the aggregate may have grown
    assert _versions(cache.get(A, 120)) == (100, list(range(101, 121)))
    assert store.calls == 2


def test_rows_out_of_place_are_never_kept() -> None:
    store = Store()
    store.holes = {140}
    cache = AsOfCache(store, max_bytes=1 << 20)
    assert _versions(cache.get(A, 150)) == _versions(store(A, 150))
    assert len(cache) == 0
    cache.get(A, 130)
    assert cache.hits == 0


def test_bounded_by_bytes_and_by_segments_least_recently_used_first() -> None:
    store = Store(last=1000)
    one = 50 + 10 * 10 + 11 * ROW_OVERHEAD  # a snapshot and ten events
    cache = AsOfCache(store, max_bytes=3 * one, max_segments=10)
    for start in (100, 200, 300):
        cache.get(A, start + 10)
    assert len(cache) == 3 and cache.size == 3 * one
    cache.get(A, 105)  # 100 used again: 200 is now the oldest
    cache.get(A, 410)
    assert len(cache) == 3 and cache.size <= 3 * one
    calls = store.calls
    cache.get(A, 105), cache.get(A, 305), cache.get(A, 405)
    assert store.calls == calls
    cache.get(A, 205)
    assert store.calls == calls + 1  # it was the one evicted
    few = AsOfCache(store, max_bytes=1 << 20, max_segments=2)
    for start in (100, 200, 300):
        few.get(A, start + 10)
    assert len(few) == 2
    huge = AsOfCache(store, max_bytes=one - 1)  # a segment larger than the bound: not kept
    huge.get(A, 110)
    assert len(huge) == 0 and huge.size == 0
    cache.clear()
    assert len(cache) == 0 and cache.size == 0
