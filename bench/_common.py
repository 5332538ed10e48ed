"""Shared plumbing for the benchmarks: private databases and topics, seeding, the command mix.

Not a benchmark itself. Every benchmark creates its OWN PostgreSQL database(s) on the server named
by ``TEST_DATABASE_URL`` and its OWN Kafka topics on ``TEST_KAFKA_BOOTSTRAP`` (random names),
and removes them when it ends, also on Ctrl-C.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import platform
import signal
import socket
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import psycopg

from assessment.application.service import AssessmentApplication, CommandContext

TENANT = "bench-tinh"
HOME_AFFAIRS = {"subject": "snv.bench", "role": "home_affairs", "acting_for": "SNV"}
CTX = CommandContext(tenant=TENANT, actor=HOME_AFFAIRS)
YEAR = 2025

REPO = Path(__file__).resolve().parent.parent


# ------------------------------------------------------------------ environment
def need_env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        sys.exit(
            f"{name} is not set. Start the servers (deploy/local/infra.sh start) and run\n"
            f'  eval "$(deploy/local/infra.sh env)"'
        )
    return value


def exit_on_sigterm() -> None:
    """SIGTERM (e.g. from ``timeout``) unwinds like Ctrl-C, so databases, topics and child
    processes are still removed."""

    def handler(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def code_version() -> str:
    """The commit measured (``+dirty`` when tracked files differ from it)."""
    import subprocess

    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def machine_notes() -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M UTC} · commit {code_version()} · "
        f"{platform.node()} · {os.cpu_count()} CPUs · Python {platform.python_version()} · "
        f"load avg {load}"
    )


# ------------------------------------------------------------------ PostgreSQL
@contextlib.contextmanager
def private_database(admin_url: str, label: str = "") -> Iterator[str]:
    """CREATE DATABASE bench_<random> on the server of ``admin_url``; DROP it afterwards."""
    name = f"bench_{uuid.uuid4().hex[:10]}{label}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = urlunparse(urlparse(admin_url)._replace(path=f"/{name}"))
    try:
        yield url
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# ------------------------------------------------------------------ Kafka
@dataclass(frozen=True)
class Topics:
    events: str
    position: str
    dlq: str
    checkpoints: str

    def all(self) -> list[str]:
        return [self.events, self.position, self.dlq, self.checkpoints]


@contextlib.contextmanager
def private_topics(bootstrap: str, partitions: int = 3) -> Iterator[Topics]:
    """Topics with a random prefix (the broker refuses auto-creation); deleted afterwards."""
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic

    prefix = f"bench{uuid.uuid4().hex[:10]}"
    topics = Topics(
        events=f"{prefix}.assessment.events.v1",
        position=f"{prefix}.assessment.relay-position",
        dlq=f"{prefix}.reporting.dlq.v1",
        checkpoints=f"{prefix}.audit.checkpoints.v1",
    )

    async def create() -> None:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        await admin.start()
        try:
            await admin.create_topics(
                [
                    NewTopic(topics.events, partitions, 1),
                    NewTopic(topics.position, 1, 1, topic_configs={"cleanup.policy": "compact"}),
                    NewTopic(topics.dlq, 1, 1),
                    NewTopic(topics.checkpoints, 1, 1),
                ]
            )
        finally:
            await admin.close()

    async def delete() -> None:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        await admin.start()
        try:
            await admin.delete_topics(topics.all())
        finally:
            await admin.close()

    asyncio.run(create())
    try:
        yield topics
    finally:
        try:
            asyncio.run(delete())
        except Exception as exc:  # best effort, but say so
            print(f"warning: could not delete topics {topics.all()}: {exc}", file=sys.stderr)


# ------------------------------------------------------------------ seeding
@dataclass(frozen=True)
class Target:
    """One unit assessment: a unit in its tenant's cycle."""

    tenant: str
    cycle_id: str
    unit_id: str


@dataclass(frozen=True)
class Seeded:
    tenants: list[str]
    targets: list[Target]  # every unit assessment, tenants interleaved
    agencies: list[str]  # agency codes, in every tenant assigned every unit

    def token_actors(self) -> list[tuple[str, dict[str, Any]]]:
        """Every (tenant, actor) the mix acts as."""
        out = [(t, HOME_AFFAIRS) for t in self.tenants]
        for t in self.tenants:
            out += [(t, reviewer(code)) for code in self.agencies]
        return out


def reviewer(agency: str) -> dict[str, Any]:
    return {"subject": f"cn.{agency}", "role": "sector_reviewer", "acting_for": agency}


def seed(app: AssessmentApplication, units: int, agencies: int = 0, tenants: int = 1) -> Seeded:
    """Through the real use cases (setup, not measured), in each of ``tenants`` provinces:
    ``units`` units, one cycle enrolling them all (one UnitAssessment each), and ``agencies``
    sector-management agencies, each assigned every unit for the cycle's year (so each may
    review each unit once)."""
    from concurrent.futures import ThreadPoolExecutor

    names = [TENANT if i == 0 else f"{TENANT}-{i}" for i in range(tenants)]
    codes = [f"SRA{i:03d}" for i in range(agencies)]
    per_tenant: list[list[Target]] = []
    for tenant in names:
        ctx = CommandContext(tenant=tenant, actor=HOME_AFFAIRS)
        ids = [
            app.register_unit(ctx, code=f"BU{i:05d}", name=f"Đơn vị thử {i}", kind="department")[
                "id"
            ]
            for i in range(units)
        ]
        cycle = app.plan_cycle(
            ctx, year=YEAR, plan_reference="Kế hoạch thử tải", unit_ids=[uuid.UUID(u) for u in ids]
        )
        per_tenant.append([Target(tenant, cycle["id"], u) for u in ids])

        def agency(code: str, ctx: CommandContext = ctx, ids: list[str] = ids) -> None:
            app.register_unit(ctx, code=code, name=f"Sở chuyên ngành {code}", kind="department")
            app.grant_assignment(
                ctx,
                kind="sector_management",
                holder=code,
                unit_ids=[uuid.UUID(u) for u in ids],
                decision_number=f"{code}/QĐ-UBND",
                decision_date=f"{YEAR}-01-02",
                valid_from=f"{YEAR}-01-01",
            )

        with ThreadPoolExecutor(4) as pool:
            list(pool.map(agency, codes))
    targets = [t for group in zip(*per_tenant, strict=True) for t in group]
    return Seeded(names, targets, codes)


def agencies_for(targets: int, commands: int, sector_share: float) -> int:
    """Agencies needed so that ``commands`` commands of the mix never run out of fresh
    (agency, unit assessment) pairs for their sector reviews."""
    return max(1, -(-int(commands * sector_share) // targets))


# ------------------------------------------------------------------ command mix
@dataclass(frozen=True)
class Command:
    """One command of the mix, usable both over HTTP and in-process."""

    kind: str  # "flag" | "sector_review"
    target: Target
    agency: str  # the acting unit: SNV (home affairs) for flags, a reviewer agency otherwise

    def path(self) -> str:
        suffix = "perfunctory-flags" if self.kind == "flag" else "sector-reviews"
        return f"/v1/cycles/{self.target.cycle_id}/units/{self.target.unit_id}/{suffix}"

    def body(self) -> dict[str, Any]:
        if self.kind == "flag":
            return {"reason": "Báo cáo sơ sài: thiếu số liệu minh chứng cho nhóm nhiệm vụ."}
        return {
            "comment": "Nhận xét của cơ quan chuyên ngành: hoàn thành đúng tiến độ.",
            "proposed_level": "hoan_thanh_tot",
            "published": False,
        }

    def actor(self) -> dict[str, Any]:
        return HOME_AFFAIRS if self.kind == "flag" else reviewer(self.agency)

    def token_key(self) -> tuple[str, str]:
        return self.target.tenant, self.agency

    def call(self, app: AssessmentApplication) -> dict[str, Any]:
        cid, uid = uuid.UUID(self.target.cycle_id), uuid.UUID(self.target.unit_id)
        ctx = CommandContext(tenant=self.target.tenant, actor=self.actor())
        body = self.body()
        if self.kind == "flag":
            return app.flag_perfunctory(ctx, cid, uid, reason=body["reason"])
        return app.submit_sector_review(
            ctx,
            cid,
            uid,
            comment=body["comment"],
            proposed_level=body["proposed_level"],
            published=body["published"],
        )


class CommandMix:
    """Round-robin over every unit assessment of every tenant (concurrent commands rarely touch
    the same aggregate). A share ``sector_share`` of commands are sector reviews, each by an
    (agency, unit assessment) pair never used before (an agency reviews a unit once); the rest,
    and any sector review once the pairs run out (counted in ``fallbacks``), are perfunctory
    flags by home affairs.

    One mix object is shared by every phase of a run, so no pair is ever used twice. Thread-safe.
    """

    def __init__(self, seeded: Seeded, sector_share: float = 0.25) -> None:
        import itertools
        import threading

        self.targets = seeded.targets
        self.agencies = seeded.agencies
        self.every = round(1 / sector_share) if sector_share > 0 else 0
        self._counter = itertools.count()
        self._reviews = itertools.count()
        self._lock = threading.Lock()
        self.fallbacks = 0

    def next(self) -> Command:
        with self._lock:
            n = next(self._counter)
            target = self.targets[n % len(self.targets)]
            if self.every and n % self.every == self.every - 1 and self.agencies:
                r = next(self._reviews)
                count = len(self.targets)
                if r < count * len(self.agencies):
                    # pair r: target r % count, agency r // count (targets rotate fastest)
                    return Command(
                        "sector_review", self.targets[r % count], self.agencies[r // count]
                    )
                self.fallbacks += 1
            return Command("flag", target, "SNV")


# ------------------------------------------------------------------ statistics
def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of already sorted values (q in 0..100)."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), round(q / 100 * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


@dataclass
class LatencyStats:
    label: str
    count: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds > 0 else 0.0

    @classmethod
    def of(
        cls, label: str, latencies_s: Sequence[float], seconds: float, errors: int = 0
    ) -> LatencyStats:
        ordered = sorted(latencies_s)
        ms = [v * 1000 for v in ordered]
        return cls(
            label=label,
            count=len(ms),
            seconds=seconds,
            p50_ms=percentile(ms, 50),
            p90_ms=percentile(ms, 90),
            p99_ms=percentile(ms, 99),
            max_ms=ms[-1] if ms else float("nan"),
            errors=errors,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "count": self.count,
            "seconds": round(self.seconds, 3),
            "rate_per_s": round(self.rate, 1),
            "p50_ms": round(self.p50_ms, 2),
            "p90_ms": round(self.p90_ms, 2),
            "p99_ms": round(self.p99_ms, 2),
            "max_ms": round(self.max_ms, 2),
            "errors": self.errors,
            **self.extra,
        }


def print_table(rows: Sequence[LatencyStats], rate_name: str = "per s") -> None:
    header = (
        f"{'run':<52} {'count':>7} {'errors':>6} {rate_name:>9} "
        f"{'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r.label:<52} {r.count:>7} {r.errors:>6} {r.rate:>9.1f} "
            f"{r.p50_ms:>8.1f} {r.p90_ms:>8.1f} {r.p99_ms:>8.1f} {r.max_ms:>8.1f}"
        )


def cpu_seconds_of(pids: Sequence[int]) -> float:
    """user+system CPU seconds of processes (Linux /proc), 0 for any that vanished."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def children_of(pid: int) -> list[int]:
    """Direct children of ``pid`` (Linux /proc)."""
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(p) for p in found]


def system_cpu_busy() -> Callable[[], float]:
    """Start a whole-machine CPU meter; calling the result gives busy fraction (0..ncpu)."""

    def read() -> tuple[int, int]:
        parts = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = parts[3] + parts[4]
        return sum(parts) - idle, sum(parts)

    busy0, total0 = read()
    ncpu = os.cpu_count() or 1

    def stop() -> float:
        busy1, total1 = read()
        return (busy1 - busy0) / max(1, total1 - total0) * ncpu

    return stop


def now_s() -> float:
    return time.perf_counter()


def pg_backend_pids(url: str) -> list[int]:
    """Server process ids of every session on the database of ``url`` (not this query's)."""
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return [int(r[0]) for r in rows]


@contextlib.contextmanager
def py_spy(pids: Sequence[int], out: Path | None, rate: int = 97) -> Iterator[None]:
    """Sample ``pids`` with py-spy while the block runs; one flame graph SVG (and a collapsed
    stack file, ``.txt``) per pid, named ``<out>-<n>.svg``. ``out=None`` does nothing.

    py-spy (a dev dependency) attaches with ptrace and samples from outside the process, so the
    server runs unchanged; at ~100 Hz it costs the sampled process a few per cent.
    """
    if out is None:
        yield
        return
    import shutil
    import subprocess

    exe = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    out.parent.mkdir(parents=True, exist_ok=True)
    procs = []
    for n, pid in enumerate(pids):
        for fmt, suffix in (("flamegraph", "svg"), ("raw", "txt")):
            procs.append(
                subprocess.Popen(
                    [exe, "record", "--pid", str(pid), "--rate", str(rate), "--gil",
                     "--format", fmt, "-o", f"{out}-{n}.{suffix}"],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )  # fmt: skip
    try:
        yield
    finally:
        for p in procs:
            p.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()


def summary(what: str, figure: str, baseline: str, target: str, met: bool) -> None:
    """One line for ``bench/run_all.py``'s closing table (it collects lines starting SUMMARY)."""
    load = os.getloadavg()[0]
    print(
        f"SUMMARY\t{what}\t{figure}\t{baseline}\t{target}\t{'MET' if met else 'NOT MET'}"
        f"\tload {load:.1f}\t{code_version()}",
        flush=True,
    )
