"""The Kafka variants of ``relay_lag.py``: the relay (in the writer process or its own) →
Kafka → the reporting consumer process (``_lag_consumer.py``) on PostgreSQL."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from _common import (
    REPO,
    CommandMix,
    children_of,
    cpu_seconds_of,
    pg_backend_pids,
    private_database,
    private_topics,
    seed,
    system_cpu_busy,
)
from _lag_parts import (
    LagResult,
    RelayThread,
    TimedApplication,
    analyse,
    board_versions,
    caught_up,
    review_agencies,
    trace_summary,
    wait_until,
    write_at_rate,
)
from pydantic import SecretStr

from assessment.adapters.relay import ApplicationSource, KafkaTarget, Relay
from assessment.bootstrap import (
    build_application,
    build_sealer,
    load_or_create_signing_key,
    start_group_commit,
    store_env,
)
from reporting.adapters.db import PostgresDatabase
from reporting.consumer.runner import ensure_schema
from shared.settings import AssessmentSettings


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
    tree: bool = False  # relay and consumer processes import the code of --tree

    @classmethod
    def parse(cls, text: str) -> Variant:
        text, tree = (text[: -len(":tree")], True) if text.endswith(":tree") else (text, False)
        where, _, poll = text.partition("@")
        if where not in ("subprocess", "inprocess") or (tree and where != "subprocess"):
            raise argparse.ArgumentTypeError(
                "use subprocess[@SECONDS][:tree] or inprocess[@SECONDS]"
            )
        return cls(where, float(poll) if poll else None, tree)

    def label(self) -> str:
        if self.relay == "inprocess":
            return "Kafka, relay in writer process (woken)"
        tree = ", relay+consumer of --tree" if self.tree else ""
        if self.poll is None:
            fallback = AssessmentSettings.model_fields["relay_fallback_poll_seconds"].default
            return (
                f"Kafka, relay process woken by LISTEN/NOTIFY (fallback poll {fallback:g} s)" + tree
            )
        return f"Kafka, relay process polling every {self.poll:g} s (no LISTEN){tree}"


def timed(app: Any) -> Any:
    """The application as the service builds it, noting wall-clock time after every committed
    save (as ``TimedApplication`` does for a bare one)."""
    app.commits = []
    notify = app._notify

    def _notify(recordings: list[Any]) -> None:
        now = time.time_ns()
        for r in recordings:
            event = r.domain_event
            app.commits.append((str(event.originator_id), int(event.originator_version), now))
        notify(recordings)

    app._notify = _notify
    return app


def _tree_env(args: argparse.Namespace, variant: Variant) -> dict[str, str]:
    """``PYTHONPATH`` for a ``:tree`` variant: that tree's sources first."""
    if not variant.tree:
        return {}
    if args.tree is None:
        raise SystemExit("a ':tree' variant needs --tree PATH")
    root = Path(args.tree)
    paths = [
        root / "services" / "assessment" / "src",
        root / "services" / "reporting" / "src",
        root / "shared" / "src",
    ]
    rest = os.environ.get("PYTHONPATH", "")
    return {"PYTHONPATH": os.pathsep.join([*map(str, paths), *([rest] if rest else [])])}


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
        if args.writer_app == "service":  # as the API builds it (bootstrap.build_application)
            app = timed(build_application(settings))
        else:
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
            tree_env = _tree_env(args, variant)
            trace = ["--trace", str(logs / "consumer-trace.txt")] if args.trace else []
            consumer = subprocess.Popen(
                [
                    sys.executable,
                    str(Path(__file__).with_name("_lag_consumer.py")),
                    *trace,
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
                env={**os.environ, **tree_env},
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
                    **tree_env,
                }
                if variant.poll is not None:  # the poll alone, as before LISTEN/NOTIFY
                    env["ASSESSMENT_RELAY_POLL_SECONDS"] = str(variant.poll)
                    env["ASSESSMENT_RELAY_LISTEN"] = "false"
                command = (
                    [str(Path(__file__).with_name("_lag_relay.py")), str(logs / "relay-trace.txt")]
                    if args.trace
                    else ["-m", "assessment.entrypoints.relay"]
                )
                relay_proc = subprocess.Popen(
                    [sys.executable, *command],
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
            xacts0 = (transactions(store_url), transactions(rm_url))
            commits0 = len(app.commits)
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
        # every backend has exited (relay, consumer, writers' pool): their counts are flushed
        events = max(len(app.commits) - commits0, 1)
        extra["pg_transactions_per_event"] = {
            "store": round((transactions(store_url) - xacts0[0]) / events, 2),
            "read_model": round((transactions(rm_url) - xacts0[1]) / events, 2),
        }
        marks = []
        for line in marks_path.read_text().splitlines():
            agg, version, applied_ns, created_ms = line.split()
            marks.append((agg, int(version), int(applied_ns), int(created_ms)))
        if args.trace:
            extra["trace"] = trace_summary(
                [logs / "relay-trace.txt", logs / "consumer-trace.txt"], write
            )
        gc = "group commit" if committer is not None else "one save per command"
        result = analyse(f"{variant.label()}, {gc}", app.commits, marks, write)
        if committer is not None and committer.batches:
            extra["commands_per_store_transaction"] = round(
                committer.commands / committer.batches, 1
            )
        result.stats.extra |= extra
        return result


def transactions(url: str) -> int:
    """Transactions committed or rolled back in the database of ``url`` so far (the server's
    statistics: each backend reports its own at least every second and when it exits)."""
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database "
            "WHERE datname = current_database()"
        ).fetchone()
    return int(row[0]) if row else 0


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
