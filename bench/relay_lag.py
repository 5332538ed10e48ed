"""Store commit → read model lag through Kafka, p50/p99, at a fixed event rate.

In one invocation, each pipeline on its own private stores (created here, removed at the end):

1. baseline: the embedded pipeline, all in this process, wired as ``embedded.app.build_embedded``
   wires it: assessment store on SQLite, audit sealer, relay woken by the save hook,
   ``BusTarget`` → in-process bus → ``BoardProjector`` on SQLite (ARCHITECTURE §10 "25–39 ms
   p99 in-process").
2. for each ``--relay`` variant: the store on PostgreSQL (writers through the service's group
   commit unless ``--group-commit off``); the relay as its own process — the real entrypoint
   ``python -m assessment.entrypoints.relay`` (sealer + ``Relay`` + ``KafkaTarget``, a
   transactional producer), polling the store every ``POLL`` s when idle — or in this process,
   woken by the save hook; the reporting consumer as its own process, ``bench/_lag_consumer.py``
   (``KafkaBoardConsumer`` on PostgreSQL, read_committed, through a subclass that notes the time
   right after each read-model commit).

Writers: threads issue commands (perfunctory flags and sector reviews, one event each) on an
open-loop schedule at ``--rate`` per second for ``--warmup`` + ``--seconds``; the commit time of
every event is noted by a subclass of the application (``_notify``, called after the store
transaction commits). Lag = read-model commit time − store commit time (wall clock, same
machine), over the events committed in the measured window. Target: p99 ≤ 250 ms at 500/s.

    eval "$(deploy/local/infra.sh env)"
    .venv/bin/python bench/relay_lag.py --rate 500 --seconds 20 \
        --relay subprocess@0.5 subprocess inprocess
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
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
    REPO,
    CommandMix,
    LatencyStats,
    agencies_for,
    children_of,
    cpu_seconds_of,
    exit_on_sigterm,
    machine_notes,
    need_env,
    percentile,
    pg_backend_pids,
    print_table,
    private_database,
    private_topics,
    seed,
    summary,
    system_cpu_busy,
)
from eventsourcing.persistence import Recording
from pydantic import SecretStr

from assessment.adapters.relay import ApplicationSource, BusTarget, KafkaTarget, Relay
from assessment.application.service import AssessmentApplication
from assessment.bootstrap import (
    build_sealer,
    load_or_create_signing_key,
    start_group_commit,
    store_env,
)
from reporting.adapters.db import Database, PostgresDatabase, SqliteDatabase
from reporting.consumer.runner import BoardProjector, ensure_schema
from shared.bus import InProcessBus
from shared.envelope import Envelope
from shared.settings import AssessmentSettings

TARGET_P99_MS = 50.0  # issue 14 (was 250 ms in ARCHITECTURE §10)
TARGET_RATE = 500.0


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


def run_bus_baseline(args: argparse.Namespace) -> LagResult:
    """The embedded pipeline. ``--baseline-writers`` defaults to 1: with two or more writer
    threads the embedded store stalls (see --help)."""
    with tempfile.TemporaryDirectory(prefix="bench-bus-") as tmp:
        data_dir = Path(tmp)
        # Wired as embedded.app.build_embedded wires it, with the two timed subclasses.
        settings = AssessmentSettings(
            mode="embedded",
            sqlite_path=data_dir / "assessment.sqlite",
            audit_key_file=data_dir / "keys" / "audit-signing-key.pem",
            checkpoint_every_events=100,
        )
        app = TimedApplication(env=store_env(settings))
        sealer = build_sealer(app, settings)
        db = SqliteDatabase(data_dir / "reporting.sqlite")
        try:
            ensure_schema(db)
            bus = InProcessBus()
            projector = TimedBoardProjector(db)
            bus.subscribe(projector)
            relay = Relay(ApplicationSource(app, sealer), BusTarget(bus), poll_seconds=0.5)
            app.add_save_listener(relay.wake)
            seeded = seed(app, args.units, review_agencies(args), args.tenants)
            runner = RelayThread(relay)
            runner.start()
            try:
                wait_until(
                    lambda: len(board_versions(db)) >= args.units * args.tenants,
                    60,
                    "seed in read model",
                )
                meter = system_cpu_busy()
                cpu0 = time.process_time()
                t0 = time.perf_counter()
                write = write_at_rate(
                    app,
                    CommandMix(seeded, args.sector_share),
                    args.rate,
                    args.warmup,
                    args.seconds,
                    args.baseline_writers,
                )
                wait_until(caught_up(db, app.commits), args.drain_timeout, "read model to catch up")
                elapsed = time.perf_counter() - t0
                own, busy = (time.process_time() - cpu0) / elapsed, meter()
            finally:
                runner.stop()
            result = analyse(
                "baseline: in-process bus, SQLite", app.commits, projector.marks, write
            )
            result.stats.extra |= {
                "bench_process_cpu_cores": round(own, 2),
                "machine_busy_cores": round(busy, 2),
            }
            return result
        finally:
            sealer.db.close()
            app.close()
            db.close()


def _stop(proc: subprocess.Popen[bytes] | None, timeout: float = 20) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the group created for this child only
        proc.wait(timeout=10)


@dataclass(frozen=True)
class Variant:
    relay: str  # "subprocess" | "inprocess"
    poll: float | None  # None: the service default

    @classmethod
    def parse(cls, text: str) -> Variant:
        where, _, poll = text.partition("@")
        if where not in ("subprocess", "inprocess"):
            raise argparse.ArgumentTypeError("use subprocess[@SECONDS] or inprocess[@SECONDS]")
        return cls(where, float(poll) if poll else None)

    def label(self) -> str:
        if self.relay == "inprocess":
            return "Kafka, relay in writer process (woken)"
        if self.poll is None:
            fallback = AssessmentSettings.model_fields["relay_fallback_poll_seconds"].default
            return f"Kafka, relay process woken by LISTEN/NOTIFY (fallback poll {fallback:g} s)"
        return f"Kafka, relay process polling every {self.poll:g} s (no LISTEN)"


def run_kafka(
    args: argparse.Namespace, admin_url: str, bootstrap: str, variant: Variant
) -> LagResult:
    with (
        private_database(admin_url) as store_url,
        private_database(admin_url, "_rm") as rm_url,
        private_topics(bootstrap, partitions=args.partitions) as topics,
        tempfile.TemporaryDirectory(prefix="bench-kafka-") as tmp,
    ):
        key_file = Path(tmp) / "audit-signing-key.pem"
        load_or_create_signing_key(key_file, create=True)  # production reads an existing key
        settings = AssessmentSettings(
            mode="production",
            database_url=SecretStr(store_url),
            audit_key_file=key_file,
            checkpoints_topic=topics.checkpoints,
        )
        app = TimedApplication(env=store_env(settings))
        committer = start_group_commit(app, settings) if args.group_commit == "on" else None
        sealer = None
        rm = PostgresDatabase(rm_url, max_size=2)
        consumer: subprocess.Popen[bytes] | None = None
        relay_proc: subprocess.Popen[bytes] | None = None
        relay_thread: RelayThread | None = None
        marks_path = Path(tmp) / "marks.txt"
        logs = args.keep_logs or Path(tmp)
        logs.mkdir(parents=True, exist_ok=True)
        try:
            ensure_schema(rm)
            seeded = seed(app, args.units, review_agencies(args), args.tenants)
            group = f"bench-{uuid.uuid4().hex[:8]}"
            consumer = subprocess.Popen(
                [
                    sys.executable,
                    str(Path(__file__).with_name("_lag_consumer.py")),
                    "--db",
                    rm_url,
                    "--bootstrap",
                    bootstrap,
                    "--topic",
                    topics.events,
                    "--dlq",
                    topics.dlq,
                    "--group",
                    group,
                    "--out",
                    str(marks_path),
                ],
                cwd=REPO,
                stdout=subprocess.PIPE,
                stderr=(logs / "consumer.log").open("wb"),
                start_new_session=True,
            )
            assert consumer.stdout is not None
            ready = _read_ready(consumer, 90)
            if not ready:
                raise RuntimeError(
                    "consumer not ready: " + (logs / "consumer.log").read_text()[-2000:]
                )
            txid = f"bench-relay-{uuid.uuid4().hex[:8]}"
            if variant.relay == "subprocess":
                env = {
                    **os.environ,
                    "ASSESSMENT_MODE": "production",
                    "ASSESSMENT_DATABASE_URL": store_url,
                    "ASSESSMENT_KAFKA_BOOTSTRAP": bootstrap,
                    "ASSESSMENT_EVENTS_TOPIC": topics.events,
                    "ASSESSMENT_POSITION_TOPIC": topics.position,
                    "ASSESSMENT_CHECKPOINTS_TOPIC": topics.checkpoints,
                    "ASSESSMENT_AUDIT_KEY_FILE": str(key_file),
                    "ASSESSMENT_RELAY_TRANSACTIONAL_ID": txid,
                    "ASSESSMENT_LOG_LEVEL": "WARNING",
                }
                if variant.poll is not None:  # the poll alone, as before LISTEN/NOTIFY
                    env["ASSESSMENT_RELAY_POLL_SECONDS"] = str(variant.poll)
                    env["ASSESSMENT_RELAY_LISTEN"] = "false"
                relay_proc = subprocess.Popen(
                    [sys.executable, "-m", "assessment.entrypoints.relay"],
                    cwd=REPO,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=(logs / "relay.log").open("wb"),
                    start_new_session=True,
                )
            else:
                target = KafkaTarget(
                    bootstrap, topics.events, topics.position, txid, topics.checkpoints
                )
                sealer = build_sealer(app, settings)
                relay = Relay(
                    ApplicationSource(app, sealer),
                    target,
                    poll_seconds=variant.poll if variant.poll is not None else 0.5,
                )
                app.add_save_listener(relay.wake)
                relay_thread = RelayThread(relay)
                relay_thread.start()
            wait_until(
                lambda: len(board_versions(rm)) >= args.units * args.tenants,
                90,
                "seed in read model",
            )

            procs = [p.pid for p in (consumer, relay_proc) if p is not None]
            procs += [c for p in list(procs) for c in children_of(p)]
            pg_pids = pg_backend_pids(store_url) + pg_backend_pids(rm_url)
            cpu_procs0, cpu_pg0 = cpu_seconds_of(procs), cpu_seconds_of(pg_pids)
            meter = system_cpu_busy()
            cpu0 = time.process_time()
            t0 = time.perf_counter()
            write = write_at_rate(
                app,
                CommandMix(seeded, args.sector_share),
                args.rate,
                args.warmup,
                args.seconds,
                args.writers,
            )
            wait_until(caught_up(rm, app.commits), args.drain_timeout, "read model to catch up")
            elapsed = time.perf_counter() - t0
            extra = {
                "bench_process_cpu_cores": round((time.process_time() - cpu0) / elapsed, 2),
                "relay_and_consumer_processes_cpu_cores": round(
                    (cpu_seconds_of(procs) - cpu_procs0) / elapsed, 2
                ),
                "postgres_backends_cpu_cores": round(
                    (cpu_seconds_of(pg_pids) - cpu_pg0) / elapsed, 2
                ),
                "machine_busy_cores": round(meter(), 2),
            }
        except BaseException:
            for name in ("relay.log", "consumer.log"):
                with suppress(OSError):
                    tail = (logs / name).read_text(errors="replace")[-3000:]
                    print(f"--- {name} (tail)\n{tail}", file=sys.stderr)
            raise
        finally:
            if relay_thread is not None:
                relay_thread.stop()
            _stop(relay_proc)
            _stop(consumer)
            if committer is not None:
                committer.stop()
            if sealer is not None:
                sealer.db.close()
            app.close()
            rm.close()
        marks = []
        for line in marks_path.read_text().splitlines():
            agg, version, applied_ns, created_ms = line.split()
            marks.append((agg, int(version), int(applied_ns), int(created_ms)))
        gc = "group commit" if committer is not None else "one save per command"
        result = analyse(f"{variant.label()}, {gc}", app.commits, marks, write)
        if committer is not None and committer.batches:
            extra["commands_per_store_transaction"] = round(
                committer.commands / committer.batches, 1
            )
        result.stats.extra |= extra
        return result


def _read_ready(proc: subprocess.Popen[bytes], timeout: float) -> bool:
    """Wait for the consumer's READY line without blocking forever."""
    found = threading.Event()

    def reader() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.strip() == b"READY":
                found.set()
                return

    threading.Thread(target=reader, daemon=True).start()
    return found.wait(timeout)


def review_agencies(args: argparse.Namespace) -> int:
    commands = int(args.rate * (args.warmup + args.seconds)) + 1
    return agencies_for(args.units * args.tenants, commands, args.sector_share)


# ------------------------------------------------------------------ main
def bounded(kind: Callable[[str], Any], upper: float) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        value = kind(text)
        if not 0 < value <= upper:
            raise argparse.ArgumentTypeError(f"must be in (0, {upper}]")
        return value

    return parse


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="Store commit → read model lag via Kafka, beside the in-process bus.",
        epilog="Needs TEST_DATABASE_URL and TEST_KAFKA_BOOTSTRAP: "
        'eval "$(deploy/local/infra.sh env)".',
    )
    p.add_argument(
        "--rate",
        type=bounded(float, 5000),
        default=500.0,
        help="events (= commands, one save each) per second (default 500)",
    )
    p.add_argument(
        "--seconds",
        type=bounded(float, 300),
        default=20.0,
        help="measured seconds at that rate (default 20, max 300)",
    )
    p.add_argument(
        "--warmup",
        type=float,
        default=3.0,
        help="seconds at that rate before measuring (default 3)",
    )
    p.add_argument(
        "--writers",
        type=bounded(int, 64),
        default=8,
        help="writer threads issuing the commands on PostgreSQL (default 8)",
    )
    p.add_argument(
        "--units",
        type=bounded(int, 20_000),
        default=400,
        help="units per tenant, one unit assessment each (default 400)",
    )
    p.add_argument(
        "--group-commit",
        choices=["on", "off"],
        default="on",
        help="PostgreSQL writers commit through the service's group commit, as the API does "
        "by default (default on)",
    )
    p.add_argument(
        "--baseline-writers",
        type=bounded(int, 64),
        default=1,
        help="writer threads for the embedded baseline (default 1: with 2 or more, the "
        "embedded store deadlocks between the audit sealer's SQLite transaction and "
        "eventsourcing's reader/writer pool until a 5-10 s timeout)",
    )
    p.add_argument(
        "--tenants",
        type=bounded(int, 100),
        default=4,
        help="provinces (tenants), each with --units units and one cycle (default 4)",
    )
    p.add_argument(
        "--relay",
        type=Variant.parse,
        nargs="+",
        default=[Variant("subprocess", None)],
        metavar="WHERE[@POLL]",
        help="Kafka runs, one each: 'subprocess' = the real `python -m "
        "assessment.entrypoints.relay` process, woken by PostgreSQL's NOTIFY (LISTEN); "
        "'subprocess@POLL' = the same process without LISTEN, polling every POLL s; "
        "'inprocess' = Relay in this process woken by the save hook; "
        "e.g. --relay subprocess subprocess@0.05 inprocess (default: subprocess)",
    )
    p.add_argument(
        "--partitions",
        type=bounded(int, 64),
        default=3,
        help="partitions of the events topic (default 3)",
    )
    p.add_argument(
        "--drain-timeout",
        type=float,
        default=60.0,
        help="max seconds to wait for the read model to catch up (default 60)",
    )
    p.add_argument(
        "--keep-logs",
        type=Path,
        default=None,
        help="directory to keep the relay and consumer logs in",
    )
    p.add_argument(
        "--sector-share",
        type=float,
        default=0.25,
        help="share of sector reviews in the mix, the rest perfunctory flags (default 0.25)",
    )
    p.add_argument("--skip-baseline", action="store_true", help="only the Kafka pipeline")
    p.add_argument("--skip-kafka", action="store_true", help="only the in-process baseline")
    p.add_argument("--json", type=Path, default=None, help="also write the results as JSON here")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    exit_on_sigterm()
    admin_url = need_env("TEST_DATABASE_URL")
    bootstrap = need_env("TEST_KAFKA_BOOTSTRAP")
    print(f"relay_lag · {machine_notes()}")
    print(
        f"rate {args.rate:g}/s for {args.seconds:g}s (+{args.warmup:g}s warm-up), "
        f"{args.tenants}×{args.units} unit assessments, writer threads: "
        f"{args.baseline_writers} (embedded), {args.writers} (PostgreSQL)"
    )
    results: list[LagResult] = []
    if not args.skip_baseline:
        print("baseline: in-process bus on SQLite …", flush=True)
        results.append(run_bus_baseline(args))
    if not args.skip_kafka:
        for variant in args.relay:
            print(f"{variant.label()}, consumer subprocess, PostgreSQL …", flush=True)
            results.append(run_kafka(args, admin_url, bootstrap, variant))

    print()
    print_table([r.stats for r in results], rate_name="events/s")
    print(
        "(count = events committed in the measured window and seen in the read model; "
        "errors = events never seen + writer failures; latencies = lag)"
    )
    for r in results:
        s, x = r.stats, r.stats.extra
        rate_ok = r.achieved_rate >= 0.95 * args.rate
        line = (
            f"{s.label}: {r.achieved_rate:.0f} events/s committed (asked {args.rate:g}), "
            f"lag p50 {s.p50_ms:.1f} ms, p99 {s.p99_ms:.1f} ms, max {s.max_ms:.1f} ms"
        )
        if r.relay_ms and r.consume_ms:
            line += (
                f"\n    commit → Kafka record created p50/p99 {r.relay_ms[0]:.0f}/"
                f"{r.relay_ms[1]:.0f} ms; record → read model {r.consume_ms[0]:.0f}/"
                f"{r.consume_ms[1]:.0f} ms"
            )
        if not s.label.startswith("baseline"):
            met = s.p99_ms <= TARGET_P99_MS and rate_ok and r.missing == 0
            line += (
                f"\n    target p99 ≤ {TARGET_P99_MS:.0f} ms at {TARGET_RATE:.0f}/s sustained: "
                f"{'MET' if met and args.rate >= TARGET_RATE else 'NOT MET'}"
                + ("" if args.rate >= TARGET_RATE else f" (this run asked only {args.rate:g}/s)")
            )
            base = next((b.stats for b in results if b.stats.label.startswith("baseline")), None)
            summary(
                f"relay lag, {s.label}",
                f"p99 {s.p99_ms:.0f} ms at {r.achieved_rate:.0f}/s",
                f"p99 {base.p99_ms:.0f} ms in-process bus" if base else "—",
                f"p99 ≤ {TARGET_P99_MS:.0f} ms at {TARGET_RATE:.0f}/s",
                met and args.rate >= TARGET_RATE,
            )
        if not rate_ok:
            line += "\n    warning: the writers did not sustain the asked rate"
        if x["writer_errors"]:
            line += f"\n    writer errors: {x['writer_errors']}"
        cpu = ", ".join(
            f"{k.removesuffix('_cpu_cores')} {v}" for k, v in x.items() if k.endswith("_cpu_cores")
        )
        line += (
            f"\n    CPU cores busy: {cpu}; machine {x['machine_busy_cores']} of {os.cpu_count()}"
        )
        print(line)
    if len(results) >= 2 and results[0].stats.label.startswith("baseline"):
        base = results[0].stats.p99_ms
        for r in results[1:]:
            print(f"{r.stats.label}: p99 = {r.stats.p99_ms / base:.1f}× the in-process p99")
    if args.json:
        payload = {
            "bench": "relay_lag",
            "machine": machine_notes(),
            "args": {k: str(v) for k, v in vars(args).items()},
            "rows": [r.stats.as_dict() for r in results],
        }
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
