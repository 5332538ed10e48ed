"""The measuring parts of ``relay_lag.py``: timestamped writers and projectors, the
open-loop writer, the lag analysis and the in-process relay thread."""

from __future__ import annotations

import argparse
import asyncio
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _common import (
    CommandMix,
    LatencyStats,
    agencies_for,
    percentile,
)
from eventsourcing.persistence import Recording

from assessment.adapters.relay import Relay
from assessment.application.service import AssessmentApplication
from reporting.adapters.db import Database
from reporting.consumer.runner import BoardProjector
from shared.envelope import Envelope


# ------------------------------------------------------------------ timestamps
class TimedApplication(AssessmentApplication):
    """The assessment application, noting wall-clock time after every committed save."""

    name = AssessmentApplication.name  # same tables (eventsourcing names them after this)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commits: list[tuple[str, int, int]] = []

    def _notify(self, recordings: list[Recording[uuid.UUID]]) -> None:
        now = time.time_ns()
        for r in recordings:
            event = r.domain_event
            self.commits.append((str(event.originator_id), int(event.originator_version), now))
        super()._notify(recordings)  # wakes an in-process relay after the time is taken


class TimedBoardProjector(BoardProjector):
    """The embedded read-model subscriber, noting wall-clock time after each commit."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.marks: list[tuple[str, int, int, int]] = []

    def handle_batch(self, envelopes: Sequence[Envelope], up_to_position: int) -> None:
        super().handle_batch(envelopes, up_to_position)  # commits
        now = time.time_ns()
        for env in envelopes:
            self.marks.append((env.aggregate_id, env.aggregate_version, now, 0))


# ------------------------------------------------------------------ writer
@dataclass
class WriteResult:
    window_start_ns: int
    window_end_ns: int
    scheduled: int
    failed: int
    behind_ms_max: float
    errors: dict[str, int] = field(default_factory=dict)


def write_at_rate(
    app: AssessmentApplication,
    mix: CommandMix,
    rate: float,
    warmup: float,
    seconds: float,
    writers: int,
) -> WriteResult:
    """Open loop: command i is handed to the pool at start + i/rate, whatever came before."""
    errors: dict[str, int] = {}
    lock = threading.Lock()

    def one() -> None:
        try:
            mix.next().call(app)
        except Exception as exc:
            with lock:
                kind = f"{type(exc).__name__}: {str(exc)[:80]}"
                errors[kind] = errors.get(kind, 0) + 1

    total = int(rate * (warmup + seconds))
    behind_max = 0.0
    pool = ThreadPoolExecutor(writers, thread_name_prefix="writer")
    try:
        start = time.perf_counter()
        start_ns = time.time_ns()
        for i in range(total):
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            else:
                behind_max = max(behind_max, -delay)
            pool.submit(one)
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)  # interrupted: drop the backlog
        raise
    pool.shutdown(wait=True)  # let the backlog (if the writers fell behind) commit
    # The window is by commit time: events committed after warm-up until the schedule's end.
    window_start = start_ns + int(warmup * 1e9)
    window_end = start_ns + int((warmup + seconds) * 1e9)
    return WriteResult(
        window_start, window_end, total, sum(errors.values()), behind_max * 1000, errors
    )


# ------------------------------------------------------------------ analysis
@dataclass
class LagResult:
    stats: LatencyStats
    achieved_rate: float
    missing: int
    relay_ms: tuple[float, float] | None = None  # p50, p99 commit → Kafka record created
    consume_ms: tuple[float, float] | None = None  # p50, p99 Kafka record → read model


def analyse(
    label: str,
    commits: Sequence[tuple[str, int, int]],
    marks: Sequence[tuple[str, int, int, int]],
    write: WriteResult,
) -> LagResult:
    applied: dict[tuple[str, int], tuple[int, int]] = {}
    for agg, version, t_ns, created_ms in marks:
        applied.setdefault((agg, version), (t_ns, created_ms))
    lags: list[float] = []
    relay: list[float] = []
    consume: list[float] = []
    missing = 0
    in_window = [c for c in commits if write.window_start_ns <= c[2] < write.window_end_ns]
    for agg, version, t_commit in in_window:
        got = applied.get((agg, version))
        if got is None:
            missing += 1
            continue
        t_applied, created_ms = got
        lags.append((t_applied - t_commit) / 1e9)
        if created_ms:
            relay.append(created_ms - t_commit / 1e6)
            consume.append(t_applied / 1e6 - created_ms)
    window_s = (write.window_end_ns - write.window_start_ns) / 1e9
    stats = LatencyStats.of(label, lags, window_s, errors=missing + write.failed)
    result = LagResult(stats, len(in_window) / window_s, missing)
    if relay:
        relay.sort()
        consume.sort()
        result.relay_ms = (percentile(relay, 50), percentile(relay, 99))
        result.consume_ms = (percentile(consume, 50), percentile(consume, 99))
    stats.extra = {
        "achieved_events_per_s": round(result.achieved_rate, 1),
        "missing": missing,
        "writer_errors": write.errors,
        "writer_behind_schedule_max_ms": round(write.behind_ms_max, 1),
        "commit_to_kafka_ms_p50_p99": result.relay_ms,
        "kafka_to_read_model_ms_p50_p99": result.consume_ms,
    }
    return result


def trace_summary(paths: Sequence[Path], write: WriteResult) -> list[str]:
    """One line per traced step (``_lag_relay.py``, ``_lag_consumer.py --trace``), over the
    steps that began in the measured window: how many, items per step, duration p50/p99, and
    the share of the window the step kept its process busy (steps run one at a time)."""
    lo, hi = write.window_start_ns / 1e9, write.window_end_ns / 1e9
    steps: dict[str, list[tuple[float, int]]] = {}
    for path in paths:
        if not path.exists():
            continue
        for line in path.read_text().splitlines():
            stage, start, end, count = line.split()
            if lo <= float(start) < hi:
                steps.setdefault(stage, []).append((float(end) - float(start), int(count)))
    lines = []
    for stage, rows in steps.items():
        if stage == "relay.wake":
            lines.append(f"{stage}: {len(rows) / (hi - lo):.0f} per s")
            continue
        durations = sorted(d * 1000 for d, _ in rows)
        items = sum(c for _, c in rows) / len(rows)
        lines.append(
            f"{stage}: {len(rows)} × {items:.1f} items, p50 {percentile(durations, 50):.1f} ms, "
            f"p99 {percentile(durations, 99):.1f} ms, busy {sum(durations) / 10 / (hi - lo):.0f} %"
        )
    return lines


# ------------------------------------------------------------------ pipelines
def wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise TimeoutError(f"timed out after {timeout}s waiting for {what}")


def board_versions(db: Database) -> dict[str, int]:
    with db.transaction() as tx:
        rows = tx.fetchall("SELECT assessment_id, version FROM rm_board")
    return {str(r[0]): int(r[1]) for r in rows}


def caught_up(db: Database, commits: Sequence[tuple[str, int, int]]) -> Callable[[], bool]:
    """True once every board row shows the last version committed for its unit assessment."""
    rows = set(board_versions(db))  # the unit assessments (units and the cycle have no row)
    latest: dict[str, int] = {}
    for agg, version, _ in commits:
        if agg in rows:
            latest[agg] = max(latest.get(agg, 0), version)

    def check() -> bool:
        seen = board_versions(db)
        return all(seen.get(agg, -1) >= v for agg, v in latest.items())

    return check


class RelayThread:
    """Relay.run in its own event loop thread (for the in-process variants)."""

    def __init__(self, relay: Relay) -> None:
        self.relay = relay
        self.loop = asyncio.new_event_loop()
        self.stop_event: asyncio.Event | None = None
        self.thread = threading.Thread(target=self._main, name="relay", daemon=True)
        self.error: BaseException | None = None

    def _main(self) -> None:
        asyncio.set_event_loop(self.loop)

        async def go() -> None:
            self.stop_event = asyncio.Event()
            await self.relay.run(self.stop_event)

        try:
            self.loop.run_until_complete(go())
        except BaseException as exc:  # reported by stop()
            self.error = exc
        finally:
            self.loop.close()

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        if self.stop_event is not None and not self.loop.is_closed():
            with suppress(RuntimeError):
                self.loop.call_soon_threadsafe(self.stop_event.set)
        self.thread.join(timeout=30)
        if self.error is not None:
            raise RuntimeError(f"relay failed: {self.error!r}")


def review_agencies(args: argparse.Namespace) -> int:
    commands = int(args.rate * (args.warmup + args.seconds)) + 1
    return agencies_for(args.units * args.tenants, commands, args.sector_share)


# ------------------------------------------------------------------ main
