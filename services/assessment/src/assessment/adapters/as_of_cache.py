"""What recent as-of reads fetched, kept in the process: a snapshot row and the events after it.

Sound because what it holds never changes. The event and snapshot tables are append-only, by
privilege and by trigger (``schema``: the service role may only SELECT and INSERT; UPDATE,
DELETE and TRUNCATE are refused, for the owner too) and nothing in the code erases a tenant;
an aggregate's versions are unique, so a row at a version, once committed and read, is the row
at that version for good. A row added later (a newer event, a newer snapshot, a forged one)
changes no answer a segment gives: the state at version ``v`` is the state of the snapshot at
``s <= v`` and the events ``s+1..v``, whichever snapshot it starts from.

A segment, keyed by (aggregate id, snapshot version; 0 without a snapshot), holds the rows as
stored: the snapshot (its tag is checked again on every read, by the caller) and the events
``s+1..e``, contiguous (checked; otherwise nothing is kept). A read at ``s <= v <= e`` needs no
query; any other read queries, reading on past ``v`` up to ``s + ahead`` (the snapshot
interval: an auditor stepping through versions stays in one segment), and keeps what came back
(a longer segment replaces a shorter one). Rows, not decoded objects: the caller decodes them
on every read, so each read rebuilds its own aggregate from bytes no one can change (replay
puts an event's dicts and lists into the aggregate, which later events may change in place:
decoded events could not be shared).

Bounded by the bytes of the stored rows it holds and by the number of segments, least recently
used first out. Not a tenant boundary and no shortcut past one: it answers what the store
would, and the caller checks ownership on the rebuilt aggregate at every read, hit or miss.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from uuid import UUID

from eventsourcing.persistence import StoredEvent

Query = Callable[[UUID, int, int], tuple[StoredEvent | None, list[StoredEvent]]]
ROW_OVERHEAD = 200  # bytes counted per row beyond its state: the objects around it


class _Segment:
    __slots__ = ("events", "size", "snapshot", "start")

    def __init__(
        self, start: int, snapshot: StoredEvent | None, events: list[StoredEvent], size: int
    ) -> None:
        self.start, self.snapshot, self.events, self.size = start, snapshot, events, size

    @property
    def end(self) -> int:
        return self.start + len(self.events)


class AsOfCache:
    """``get(id, version)``: what ``query(id, version)`` (``snapshot_and_events``) answers,
    ``(snapshot row | None, [event rows])``, from what it answered before when it can."""

    def __init__(
        self, query: Query, *, max_bytes: int, ahead: int = 0, max_segments: int = 1024
    ) -> None:
        self.query, self.ahead = query, ahead
        self.max_bytes, self.max_segments = max_bytes, max_segments
        self._segments: OrderedDict[tuple[UUID, int], _Segment] = OrderedDict()
        self._starts: dict[UUID, set[int]] = {}
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    @property
    def size(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._segments)

    def clear(self) -> None:
        with self._lock:
            self._segments.clear()
            self._starts.clear()
            self._bytes = 0

    def get(
        self, originator_id: UUID, version: int
    ) -> tuple[StoredEvent | None, list[StoredEvent]]:
        segment = self._find(originator_id, version)
        if segment is None:
            self.misses += 1
            snapshot, rows = self.query(originator_id, version, self.ahead)
            self._keep(originator_id, snapshot, rows)
            return snapshot, [r for r in rows if r.originator_version <= version]
        self.hits += 1
        return segment.snapshot, segment.events[: version - segment.start]

    def _find(self, originator_id: UUID, version: int) -> _Segment | None:
        with self._lock:
            for start in self._starts.get(originator_id, ()):
                segment = self._segments[(originator_id, start)]
                if start <= version <= segment.end:
                    self._segments.move_to_end((originator_id, start))
                    return segment
        return None

    def _keep(
        self, originator_id: UUID, snapshot: StoredEvent | None, rows: list[StoredEvent]
    ) -> None:
        start = int(snapshot.originator_version) if snapshot is not None else 0
        if [int(r.originator_version) for r in rows] != list(
            range(start + 1, start + 1 + len(rows))
        ):
            return  # not contiguous (a row out of place): nothing to vouch for
        size = sum(len(r.state) + ROW_OVERHEAD for r in rows)
        size += len(snapshot.state) + ROW_OVERHEAD if snapshot is not None else 0
        if size > self.max_bytes or self.max_segments < 1:
            return
        segment = _Segment(start, snapshot, list(rows), size)
        key = (originator_id, start)
        with self._lock:
            old = self._segments.pop(key, None)
            if old is not None:
                self._bytes -= old.size
                if old.end > segment.end:  # a longer one came in meanwhile: keep it
                    segment = old
            self._segments[key] = segment
            self._starts.setdefault(originator_id, set()).add(start)
            self._bytes += segment.size
            while self._segments and (
                self._bytes > self.max_bytes or len(self._segments) > self.max_segments
            ):
                (ident, first), out = self._segments.popitem(last=False)
                self._bytes -= out.size
                starts = self._starts[ident]
                starts.discard(first)
                if not starts:
                    del self._starts[ident]
