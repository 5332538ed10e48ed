"""The in-process bus used in embedded mode in place of Kafka.

Subscribers are projections that record their own position in the same transaction as their
rows; the relay asks the bus for the lowest position any subscriber has reached, so a crash
between delivery and acknowledgement re-delivers, and the subscribers' version guards make the
repeat harmless (the same contract as Kafka + read_committed consumers).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Protocol

from shared.envelope import Envelope


class BusSubscriber(Protocol):
    name: str

    def position(self) -> int:
        """Highest global position already applied (0 when nothing)."""
        ...

    def handle_batch(self, envelopes: Sequence[Envelope], up_to_position: int) -> None:
        """Apply the batch and record ``up_to_position`` atomically."""
        ...


class InProcessBus:
    def __init__(self) -> None:
        self._subscribers: list[BusSubscriber] = []
        self._lock = threading.Lock()

    def subscribe(self, subscriber: BusSubscriber) -> None:
        with self._lock:
            self._subscribers.append(subscriber)

    @property
    def subscribers(self) -> list[BusSubscriber]:
        return list(self._subscribers)

    def position(self) -> int:
        subs = self.subscribers
        if not subs:
            return 0
        return min(s.position() for s in subs)

    def publish(self, envelopes: Sequence[Envelope], up_to_position: int) -> None:
        for sub in self.subscribers:
            mine = sub.position()
            todo = [e for e in envelopes if e.global_position > mine]
            if up_to_position > mine:
                sub.handle_batch(todo, up_to_position)
