"""The assessment side of the relay: the event store's notification log as a source.

The loop and its targets (Kafka, in-process bus) live in ``shared.relay``.
"""

from __future__ import annotations

from typing import Any

from assessment.adapters.contract_mapping import is_published, to_envelope
from assessment.adapters.sealer import Sealer
from shared.relay import Batch, BusTarget, KafkaTarget, NotificationSource, Relay, RelayTarget

__all__ = [
    "ApplicationSource",
    "Batch",
    "BusTarget",
    "KafkaTarget",
    "NotificationSource",
    "Relay",
    "RelayTarget",
]


class ApplicationSource:
    """Reads the notification log; with a sealer, only sealed events, carrying their hashes."""

    def __init__(self, app: Any, sealer: Sealer | None = None) -> None:
        self.app = app
        self.sealer = sealer
        # last checkpoint already published (set by the relay from its stored position);
        # None: those after the events' position
        self.checkpoints_after: int | None = None

    def _pending_checkpoints(self, after: int, up_to: int) -> list[Any]:
        assert self.sealer is not None
        start = after if self.checkpoints_after is None else self.checkpoints_after
        seen = self.sealer.checkpoint_seen  # by the seal that just committed
        if seen is not None and seen <= start:
            return []  # none newer than those already published: no query
        return self.sealer.checkpoints(start, up_to)

    def read_batch(self, after: int, limit: int) -> Batch:
        stop = None
        if self.sealer is not None:
            self.sealer.seal(limit)
            fresh = self.sealer.last_sealed
            if fresh is not None and fresh[0] == after:
                # exactly the notifications this read would return, already read, converted
                # and chained by the seal that just committed: read and convert each event once
                _, last, envelopes = fresh
                return Batch(envelopes, last, self._pending_checkpoints(after, last))
            stop = self.sealer.read_position()
            if stop <= after:
                # nothing new, but a checkpoint may have been signed while idle
                return Batch([], after, self._pending_checkpoints(after, after))
        notifications = self.app.recorder.select_notifications(
            start=after, limit=limit, stop=stop, inclusive_of_start=False
        )
        if not notifications:
            if self.sealer is not None:
                return Batch([], after, self._pending_checkpoints(after, after))
            return Batch([], after)
        last = int(notifications[-1].id)
        envelopes = [
            to_envelope(self.app.mapper, n) for n in notifications if is_published(n.topic)
        ]
        if self.sealer is None:
            return Batch(envelopes, last)
        return Batch(
            self.sealer.sealed(envelopes, after, last),
            last,
            self._pending_checkpoints(after, last),
        )
