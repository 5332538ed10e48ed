"""Snapshots tag-checked on read: a snapshot row that the application did not write is ignored.

A snapshot is a shortcut: the aggregate is rebuilt from it and the events after it, so a row
inserted by SQL into ``assessment_snapshots`` (the service role may INSERT there) would become
the aggregate's state without passing the sealer. With the event tag key configured, every
snapshot read is checked like an event; one without a valid tag is skipped (logged once, naming
the row) and the next older snapshot, or the events themselves, are used instead — the answer
stays what the sealed events say. Without a key (an auditor's reader) nothing is checked.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from eventsourcing.persistence import EventStore

from assessment.adapters.event_tags import check_tag

log = logging.getLogger("congvu.snapshots")


class CheckedSnapshotStore(EventStore[Any]):
    """eventsourcing's snapshot store, refusing rows without a valid tag."""

    def __init__(self, mapper: Any, recorder: Any, tag_key: bytes | None) -> None:
        super().__init__(mapper=mapper, recorder=recorder)
        self.tag_key = tag_key
        self.refused: set[tuple[str, int]] = set()  # logged once each

    def _valid(self, stored: Any) -> bool:
        if not self.tag_key:
            return True
        problem = check_tag(
            self.tag_key,
            stored.originator_id,
            stored.originator_version,
            stored.topic,
            stored.state,
        )
        if problem is None:
            return True
        key = (str(stored.originator_id), int(stored.originator_version))
        if key not in self.refused:
            self.refused.add(key)
            log.error(
                "snapshot refused: aggregate %s version %s (%s, %s); rebuilt from its events "
                "instead",
                key[0],
                key[1],
                stored.topic,
                problem,
            )
        return False

    def accepts(self, stored: Any) -> bool:
        """True when ``stored`` (a snapshot row) may be loaded: its tag checks (or no key)."""
        return self._valid(stored)

    def get(
        self,
        originator_id: Any,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Iterator[Any]:
        found: list[Any] = []
        while True:
            rows = self.recorder.select_events(
                originator_id=originator_id, gt=gt, lte=lte, desc=desc, limit=limit
            )
            found += [r for r in rows if self._valid(r)]
            # a refused row took a place of the page: read on past it (newest first only,
            # which is how the repository asks: desc=True, limit=1)
            if limit is None or not desc or len(rows) < limit or len(found) >= limit:
                break
            lte = min(int(r.originator_version) for r in rows) - 1
            if gt is not None and lte <= gt:
                break
        return map(self.mapper.to_domain_event, found[:limit] if limit else found)
