"""Group commit: many concurrent commands' events in one store transaction.

PostgreSQL with fsync on manages a few hundred commits a second, however small; throughput
comes from putting many commands in one transaction (ARCHITECTURE §4). Request threads hand
their aggregates to one committer thread and wait; it saves everything pending in one
``save(...)``. If the batch fails on a conflict (one stale aggregate spoils the transaction),
each command of the batch is saved alone, so only the conflicting ones see ``IntegrityError``
(and get the application's retry-then-409). A command is answered only after its own events
are committed: nothing is acknowledged that could still be lost.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Any

from eventsourcing.persistence import IntegrityError

log = logging.getLogger("congvu.group_commit")

SaveFn = Callable[..., Any]


class GroupCommitter:
    def __init__(self, save: SaveFn, *, max_batch: int = 200, max_wait: float = 0.002) -> None:
        self._save = save
        self.max_batch = max_batch
        self.max_wait = max_wait
        self._queue: queue.Queue[tuple[Sequence[Any], Future[None]] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.batches = 0
        self.commands = 0

    def start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="group-commit", daemon=True)
                self._thread.start()

    def stop(self) -> None:
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join(timeout=10)

    def save(self, aggregates: Sequence[Any]) -> None:
        """Blocks until the aggregates' events are committed (raises what saving raised)."""
        if self._thread is None:
            self._save(*aggregates)
            return
        future: Future[None] = Future()
        self._queue.put((aggregates, future))
        future.result()

    def _take(self) -> list[tuple[Sequence[Any], Future[None]]] | None:
        first = self._queue.get()
        if first is None:
            return None
        batch = [first]
        while len(batch) < self.max_batch:
            try:
                item = (
                    self._queue.get(timeout=self.max_wait)
                    if len(batch) == 1
                    else self._queue.get_nowait()
                )
            except queue.Empty:
                break
            if item is None:
                self._queue.put(None)
                break
            batch.append(item)
        return batch

    def _run(self) -> None:
        while True:
            batch = self._take()
            if batch is None:
                return
            self.batches += 1
            self.commands += len(batch)
            if len(batch) > 1 and self._distinct(batch):
                try:
                    self._save(*[a for aggs, _ in batch for a in aggs])
                except IntegrityError:
                    log.debug("group of %d conflicted; saving one by one", len(batch))
                except BaseException as exc:
                    for _, fut in batch:
                        fut.set_exception(exc)
                    continue
                else:
                    for _, fut in batch:
                        fut.set_result(None)
                    continue
            for aggs, fut in batch:
                try:
                    self._save(*aggs)
                except BaseException as exc:
                    fut.set_exception(exc)
                else:
                    fut.set_result(None)

    @staticmethod
    def _distinct(batch: list[tuple[Sequence[Any], Future[None]]]) -> bool:
        """Two commands on one aggregate cannot share a transaction (both would write the
        same version): such a batch is saved command by command."""
        seen: set[Any] = set()
        for aggs, _ in batch:
            for agg in aggs:
                if agg.id in seen:
                    return False
                seen.add(agg.id)
        return True
