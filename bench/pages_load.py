"""The portal's heaviest pages under load: 50 concurrent users on a 2,000-unit tenant.

What runs, on a private data directory removed at the end (no servers needed: the embedded
system, SQLite and the in-process bus, as ``congvu run`` serves it):

1. setup (not measured): the demo (Đồng Nai 2013, some units published) plus, in the same
   tenant, ``--units`` more units enrolled in a 2025 cycle through the real use cases, every
   tenth flagged perfunctory; the relay drained so the board read model holds them all.
2. ``congvu run`` in a subprocess on a free loopback port; one development sign-in (Home
   Affairs, who sees the whole board and every unit's file) gives the session cookie.
3. baseline: the same page mix, one request at a time (1 user).
4. ``--users`` users (default 50), each a keep-alive connection sending its next request as
   soon as the previous answered, for ``--seconds`` (bounded; stops by itself).

With ``--think-ms T`` each variant also runs the same users with a think time (each waits
0.5–1.5 × T after every answer, as people read a page before the next click): an extra row,
said so in its label. The target is judged on the closed loop without think time.

Production runs the pages in one uvicorn process per service (``docker-compose.yml``: no
``--workers``; nginx sends ``/ho-so/`` and ``/don-vi`` to assessment-api, the other pages to
reporting-api), so there is no multi-worker layout to measure; this bench's single embedded
process serves both halves and is the stricter case.

The mix, round-robin: the board (``/bang-theo-doi?nam=2025`` plain, filtered ``loc=perfunctory``,
searched ``q=``, page 7), a unit's file (``/ho-so/2025/<code>``, codes rotating) and the public
results (``/cong-khai?tinh=dong-nai&nam=2013``, no session). Target (issue 14): p99 ≤ 200 ms, no
error. Prints p50/p90/p99 per page kind and overall, beside the 1-user baseline.

    .venv/bin/python bench/pages_load.py --seconds 20 --users 50
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

import httpx
from _common import (
    REPO,
    LatencyStats,
    children_of,
    cpu_seconds_of,
    exit_on_sigterm,
    free_port,
    machine_notes,
    print_table,
    py_spy,
)
from _common import summary as summary_line

TARGET_P99_MS = 200.0
YEAR = 2025
PUBLIC = "/cong-khai?tinh=dong-nai&nam=2013"
SEARCH = "%C4%90%C6%A1n+v%E1%BB%8B+th%E1%BB%AD+1"  # "Đơn vị thử 1", URL-encoded


# ------------------------------------------------------------------ setup
def seed(data_dir: Path, units: int) -> list[str]:
    """The demo, plus ``units`` units of the demo tenant in a 2025 cycle; returns their codes."""
    from embedded.app import build_embedded
    from embedded.demo import HOME_AFFAIRS, load_demo

    emb = build_embedded(data_dir)
    try:
        load_demo(emb.assessment)
        app = emb.assessment
        codes = [f"BU{i:05d}" for i in range(units)]
        ids = [
            app.register_unit(HOME_AFFAIRS, code=c, name=f"Đơn vị thử {i}", kind="department")["id"]
            for i, c in enumerate(codes)
        ]
        cycle = app.plan_cycle(
            HOME_AFFAIRS,
            year=YEAR,
            plan_reference="Kế hoạch thử tải trang",
            unit_ids=[uuid.UUID(u) for u in ids],
        )
        cid = uuid.UUID(cycle["id"])
        for u in ids[::10]:
            app.flag_perfunctory(
                HOME_AFFAIRS, cid, uuid.UUID(u), reason="Báo cáo sơ sài: thiếu số liệu minh chứng."
            )
        asyncio.run(emb.relay.drain())
    finally:
        emb.close()
    return codes


class Server:
    def __init__(self, data_dir: Path, log: Path, env_extra: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        cmd = [
            sys.executable, "-c", "from embedded.cli import cli; cli()", "run",
            "--host", "127.0.0.1", "--port", str(self.port),
            "--data-dir", str(data_dir), "--no-demo",
        ]  # fmt: skip
        env = {**os.environ, "CONGVU_AUTH_JWKS_URL": "", "CONGVU_LOG_LEVEL": "WARNING"}
        env.pop("CONGVU_AUTH_JWKS_URL")
        env.update(env_extra or {})
        self.proc = subprocess.Popen(
            cmd,
            cwd=REPO,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a stuck tree is killed by OUR group id
        )

    def wait_ready(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited:\n{self.log.read_text()[-1500:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.url + "/cong-khai", timeout=2).status_code == 200:
                    return
            time.sleep(0.3)
        raise RuntimeError(f"server not ready in {timeout}s:\n{self.log.read_text()[-1500:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


def sign_in(url: str, username: str = "snv.tonghop") -> str:
    """The development sign-in (CSRF cookie, then the form); returns the Cookie header."""
    with httpx.Client(base_url=url, timeout=30, follow_redirects=False) as http:
        http.get("/dang-nhap").raise_for_status()
        csrf = http.cookies.get("csrftoken")
        assert csrf, "no CSRF cookie from /dang-nhap"
        resp = http.post(
            "/dang-nhap/thu-nghiem",
            data={"csrftoken": csrf, "username": username, "next": "/viec-can-lam"},
        )
        assert resp.status_code == 303, (resp.status_code, resp.text[:300])
        return "; ".join(f"{k}={v}" for k, v in http.cookies.items())


# ------------------------------------------------------------------ load
class Conn:
    """A minimal HTTP/1.1 keep-alive GET client (Content-Length or chunked answers): it leaves
    the CPU to the server, unlike httpx on these 2 shared cores."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(
        self, path: str, cookie: str | None, extra: dict[str, str] | None = None
    ) -> tuple[int, int]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        head = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
        if cookie:
            head += f"Cookie: {cookie}\r\n"
        for name, value in (extra or {}).items():
            head += f"{name}: {value}\r\n"
        self.writer.write((head + "\r\n").encode())
        raw = await self.reader.readuntil(b"\r\n\r\n")
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        size = 0
        if status == 304:  # no body
            pass
        elif "content-length" in headers:
            size = int(headers["content-length"])
            await self.reader.readexactly(size)
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                n = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await self.reader.readexactly(n + 2)
                size += n
                if n == 0:
                    break
        else:
            raise ConnectionError("answer without length")
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, size

    async def close(self) -> None:
        writer, self.writer, self.reader = self.writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


def page_mix(codes: list[str]) -> itertools.cycle[tuple[str, str, bool]]:
    """(kind, path, needs the session), round-robin."""
    rotating = itertools.cycle(codes[:: max(1, len(codes) // 200)])
    mix: list[tuple[str, str, bool]] = []
    for _ in range(50):
        mix += [
            ("board", f"/bang-theo-doi?nam={YEAR}", True),
            ("board filtered", f"/bang-theo-doi?nam={YEAR}&loc=perfunctory", True),
            ("board search", f"/bang-theo-doi?nam={YEAR}&q={SEARCH}", True),
            ("board page 7", f"/bang-theo-doi?nam={YEAR}&trang=7", True),
            ("unit file", f"/ho-so/{YEAR}/{next(rotating)}", True),
            ("public results", PUBLIC, False),
            ("public, If-None-Match", PUBLIC, False),
        ]  # fmt: skip
    return itertools.cycle(mix)


async def drive(
    port: int,
    cookie: str,
    codes: list[str],
    users: int,
    seconds: float,
    max_requests: int,
    etag: str | None = None,
    think: float = 0.0,
) -> tuple[dict[str, list[float]], Counter[str], float]:
    """``etag``: the public page's validator, sent as ``If-None-Match`` by the conditional
    kind (a 304 is its success; without a validator it is a plain request). ``think``: seconds
    a user waits after each answer (0.5–1.5 × this, seeded); 0 is the closed loop without
    think time (the target's row)."""
    mix = page_mix(codes)
    took: dict[str, list[float]] = defaultdict(list)
    errors: Counter[str] = Counter()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    issued = 0

    async def user(n: int) -> None:
        nonlocal issued
        conn = Conn(port)
        pause = random.Random(n)
        try:
            while loop.time() < deadline and issued < max_requests:
                if think and issued >= users:  # every user's first request at once
                    await asyncio.sleep(think * pause.uniform(0.5, 1.5))
                    if loop.time() >= deadline:
                        break
                issued += 1
                kind, path, private = next(mix)
                conditional = kind.endswith("If-None-Match") and etag is not None
                extra = {"If-None-Match": etag} if conditional and etag else None
                t0 = time.perf_counter()
                try:
                    status, _ = await asyncio.wait_for(
                        conn.get(path, cookie if private else None, extra), 30.0
                    )
                except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
                    errors[f"{kind}: {type(exc).__name__}"] += 1
                    await conn.close()
                    await asyncio.sleep(0.01)
                    continue
                if status == 200 or (status == 304 and conditional):
                    took[kind].append(time.perf_counter() - t0)
                else:
                    errors[f"{kind}: {status}"] += 1
        finally:
            await conn.close()

    start = time.perf_counter()
    await asyncio.gather(*(user(n) for n in range(users)))
    return took, errors, time.perf_counter() - start


def rows_of(
    label: str, took: dict[str, list[float]], errors: Counter[str], elapsed: float
) -> list[LatencyStats]:
    every = [t for ts in took.values() for t in ts]
    rows = [LatencyStats.of(f"{label}: all pages", every, elapsed, errors=sum(errors.values()))]
    for kind in sorted(took):
        bad = sum(n for k, n in errors.items() if k.startswith(kind + ":"))
        rows.append(LatencyStats.of(f"{label}: {kind}", took[kind], elapsed, errors=bad))
    return rows


def variant_env(variant: str) -> dict[str, str]:
    """``cached`` (this tree), ``uncached`` (``CONGVU_PAGE_CACHE=off``), either with ``@N``
    for ``CONGVU_PAGE_THREADS=N``, or ``tree:PATH`` (the
    server imported from another checkout of the project, e.g. the commit before a change:
    its ``shared/src`` and ``services/*/src`` go first on ``PYTHONPATH``)."""
    name, _, threads = variant.partition("@")  # cached@8: CONGVU_PAGE_THREADS=8
    extra = {"CONGVU_PAGE_THREADS": threads} if threads.isdigit() else {}
    if name == "cached":
        return {"CONGVU_PAGE_CACHE": "on", **extra}
    if name == "uncached":
        return {"CONGVU_PAGE_CACHE": "off", **extra}
    if name == "nofreeze":  # cache on, CPython's collector as it comes (CONGVU_GC_TUNE=false)
        return {"CONGVU_PAGE_CACHE": "on", "CONGVU_GC_TUNE": "false", **extra}
    if variant.startswith("tree:"):
        root = Path(variant[5:]).resolve()
        paths = [root / "shared" / "src", *sorted((root / "services").glob("*/src"))]
        if not all(p.is_dir() for p in paths[:1]):
            raise SystemExit(f"{root}: no shared/src there")
        return {"PYTHONPATH": os.pathsep.join(map(str, paths))}
    raise SystemExit(f"unknown variant {variant!r} (cached, uncached, nofreeze, tree:PATH)")


def public_etag(url: str) -> str | None:
    return httpx.get(url + PUBLIC, timeout=30).headers.get("etag")


def load_avg() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def run_variant(
    variant: str, data: Path, tmp: Path, codes: list[str], args: argparse.Namespace, spy: bool
) -> tuple[list[LatencyStats], list[LatencyStats], Counter[str], str]:
    server = Server(
        data, tmp / f"server-{len(list(tmp.glob('server-*')))}.log", variant_env(variant)
    )
    try:
        server.wait_ready()
        cookie = sign_in(server.url)
        etag = public_etag(server.url)
        # warm-up: every page once (templates, caches)
        asyncio.run(drive(server.port, cookie, codes, 1, 3.0, 70, etag))
        before = load_avg()
        base_s = args.baseline_seconds or args.seconds / 2
        print(f"[{variant}] baseline: 1 user, {base_s:g} s (load {before}) …", flush=True)
        b_took, b_err, b_el = asyncio.run(
            drive(server.port, cookie, codes, 1, base_s, args.max_requests, etag)
        )
        print(f"[{variant}] load: {args.users} users, {args.seconds:g} s …", flush=True)
        prefix = (
            args.py_spy.with_name(f"{args.py_spy.name}-{variant.split(':')[0]}") if spy else None
        )
        pids = [server.proc.pid, *children_of(server.proc.pid)]
        cpu0 = cpu_seconds_of(pids)
        with py_spy(pids, prefix):
            took, err, el = asyncio.run(
                drive(server.port, cookie, codes, args.users, args.seconds, args.max_requests, etag)
            )
        cpu = cpu_seconds_of(pids) - cpu0
        pages = sum(len(t) for t in took.values())
        loads = (
            f"load {before} → {load_avg()}, ETag {'yes' if etag else 'no'}, server CPU "
            f"{cpu / el:.2f} cores, {1000 * cpu / max(1, pages):.2f} ms per page under load"
        )
        thinking: list[LatencyStats] = []
        if args.think_ms > 0:  # an extra row: users who read the page before the next click
            label = f"{variant} {args.users} users, think {args.think_ms:g} ms"
            print(f"[{variant}] {label}, {args.seconds:g} s …", flush=True)
            t_took, t_err, t_el = asyncio.run(
                drive(
                    server.port, cookie, codes, args.users, args.seconds, args.max_requests,
                    etag, args.think_ms / 1000,
                )
            )  # fmt: skip
            thinking = rows_of(label, t_took, t_err, t_el)[:1]
    finally:
        server.stop()
    return (
        rows_of(f"{variant} 1 user", b_took, b_err, b_el),
        rows_of(f"{variant} {args.users} users", took, err, el) + thinking,
        err,
        loads,
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--units", type=int, default=2000, help="units of the tenant (default 2000)")
    p.add_argument("--users", type=int, default=50, help="concurrent users (default 50)")
    p.add_argument("--seconds", type=float, default=20.0, help="measured seconds (max 300)")
    p.add_argument("--baseline-seconds", type=float, default=None, help="default: --seconds / 2")
    p.add_argument("--max-requests", type=int, default=100_000)
    p.add_argument(
        "--think-ms",
        type=float,
        default=0.0,
        help="also measure the users with a think time of this many ms after each answer "
        "(0.5-1.5 x, seeded) - an extra row; the target is judged on the closed loop without "
        "think time (default 0: no extra row)",
    )
    p.add_argument(
        "--variants",
        nargs="+",
        default=["cached", "uncached"],
        help="servers to measure one after the other on the same data: cached, uncached "
        "(CONGVU_PAGE_CACHE=off), tree:PATH (another checkout, e.g. before a change); "
        "the first is the one the target is judged on (default: cached uncached)",
    )
    p.add_argument(
        "--py-spy",
        type=Path,
        default=None,
        metavar="PREFIX",
        help="sample the server with py-spy during the loaded run (PREFIX-<variant>-0.svg/.txt)",
    )
    args = p.parse_args(argv)
    if not (0 < args.seconds <= 300 and 1 <= args.users <= 500 and 1 <= args.units <= 20_000):
        p.error("--seconds in (0, 300], --users in [1, 500], --units in [1, 20000]")
    for v in args.variants:
        variant_env(v)
    exit_on_sigterm()
    print(f"pages_load · {machine_notes()}")
    tmp = Path(tempfile.mkdtemp(prefix="pages-bench-"))
    results = []
    try:
        t0 = time.perf_counter()
        codes = seed(tmp / "data", args.units)
        print(
            f"seeded the demo + {len(codes)} units in a {YEAR} cycle "
            f"in {time.perf_counter() - t0:.1f}s"
        )
        for v in args.variants:
            results.append((v, *run_variant(v, tmp / "data", tmp, codes, args, bool(args.py_spy))))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print()
    print_table([r for _, b, lo, _, _ in results for r in (*b, *lo)], rate_name="pages/s")
    for v, _, _, err, loads in results:
        print(f"[{v}] {loads}" + (f"; errors under load: {dict(err)}" if err else ""))
    first, base_label = results[0], "1 user"
    overall, base = first[2][0], first[1][0]
    if len(results) > 1:  # the same-run baseline: the next variant under the same load
        base, base_label = results[1][2][0], f"{results[1][0]} {args.users} users"
    met = overall.p99_ms <= TARGET_P99_MS and overall.errors == 0
    print(
        f"\n[{first[0]}] {args.users} users: {overall.rate:.1f} pages/s, "
        f"p50 {overall.p50_ms:.0f} ms, "
        f"p99 {overall.p99_ms:.0f} ms, {overall.errors} errors; {base_label}: {base.rate:.1f} "
        f"pages/s, p50 {base.p50_ms:.0f} ms, p99 {base.p99_ms:.0f} ms; target p99 ≤ "
        f"{TARGET_P99_MS:.0f} ms, no error: {'MET' if met else 'NOT MET'}"
    )
    summary_line(
        f"pages under load ({args.users} users, {args.units}-unit tenant, {first[0]})",
        f"p50 {overall.p50_ms:.0f} / p99 {overall.p99_ms:.0f} ms, {overall.errors} errors",
        f"{base_label}: p50 {base.p50_ms:.0f} / p99 {base.p99_ms:.0f} ms",
        f"p99 ≤ {TARGET_P99_MS:.0f} ms, no error",
        met,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
