"""Benchmark: making a ballot in the voter's browser (headless Debian Chromium, bundled libsodium).

Run (needs Debian ``chromium`` and the web package's npm dependencies; no servers)::

    .venv/bin/python bench/ballot_browser.py
    .venv/bin/python bench/ballot_browser.py --rounds 20 --batch 20 --json var/bench/browser.json

What it does: builds ``services/ballot/web/dist/crypto.bundle.js`` with esbuild (the same build
as the voter page's bundle), opens a blank page in headless Chromium (Playwright, Debian
``chromium`` via ``executable_path``; no browser is downloaded) served from a private origin
with the voter page's Content-Security-Policy, imports the bundle there and runs
``bench/ballot_browser.mjs`` — the timing loop — on ballots of three shapes:

* 1 person × 3 levels (one confidence question of three options);
* 3 persons × 3 levels;
* 3 persons × 4 options (three levels + the "không đánh giá" box: what the form sends by default).

Two operations each: **make** (``makeBallot``: encrypt every option, 0/1 proofs, sum proofs,
Schnorr signature) — target ≤ 10 ms — and **cast** (what one click on the page computes:
credential derivation + make + self-verification + tracker). Also the one-off cost of a fresh
page: importing the bundle and initialising libsodium (WebAssembly).

BASELINES, same run, same machine, same inputs:

* **Node** running the same ``src/crypto.js`` unbundled (same engine family, no browser);
* **Python crypto core** in this process (``ballot.crypto``: libsodium through pysodium),
  the reference implementation the server uses.

Figures: milliseconds per ballot, the median (and p90) over rounds of the per-call mean of a
batch, which is robust to Chromium's coarse ``performance.now()`` (0.1 ms without cross-origin
isolation); single-call median and p95 beside them.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ballot.crypto import Point, derive_credential, generate_code, make_ballot, verify_ballot
from ballot.entrypoints.web import CSP, WEB_DIR, build_bundle

REPO = Path(__file__).resolve().parent.parent
HARNESS = Path(__file__).with_suffix(".mjs")
ORIGIN = "http://bench.localhost"
ELECTION = "bench-browser-2026"
SHAPES = [
    {"name": "1 person × 3 levels", "counts": [3], "choices": [1]},
    {"name": "3 persons × 3 levels", "counts": [3, 3, 3], "choices": [0, 1, 2]},
    {"name": "3 persons × 4 options", "counts": [4, 4, 4], "choices": [2, 0, 3]},
]
TARGET_MS = 10.0


def summarise(rounds: list[float], singles: list[float]) -> dict[str, float]:
    def pct(xs: list[float], q: float) -> float:
        xs = sorted(xs)
        return xs[min(len(xs) - 1, round(q * (len(xs) - 1)))]

    return {
        "median": statistics.median(rounds),
        "p90": pct(rounds, 0.9),
        "single_median": statistics.median(singles) if singles else float("nan"),
        "single_p95": pct(singles, 0.95) if singles else float("nan"),
    }


# ------------------------------------------------------------------ Python baseline
def python_bench(cfg: dict[str, Any]) -> dict[str, Any]:
    fp = bytes.fromhex(cfg["fingerprint"])
    key = Point.from_hex(cfg["jointKey"])
    credential = derive_credential(cfg["code"], cfg["electionId"])
    results: dict[str, Any] = {}
    for s in cfg["shapes"]:
        counts, choices = s["counts"], s["choices"]

        def make(counts: list[int] = counts, choices: list[int] = choices) -> object:
            return make_ballot(fp, key, credential, choices, counts)

        def cast(counts: list[int] = counts, choices: list[int] = choices) -> object:
            c = derive_credential(cfg["code"], cfg["electionId"])
            b = make_ballot(fp, key, c, choices, counts)
            verify_ballot(fp, key, b, counts)
            return b.tracker()

        ops: dict[str, Callable[[], object]] = {"make": make, "cast": cast}
        for op, fn in ops.items():
            for _ in range(cfg["warmup"]):
                fn()
            rounds = []
            for _ in range(cfg["rounds"]):
                t0 = time.perf_counter()
                for _ in range(cfg["batch"]):
                    fn()
                rounds.append((time.perf_counter() - t0) * 1000 / cfg["batch"])
            singles = []
            for _ in range(cfg["singles"]):
                t0 = time.perf_counter()
                fn()
                singles.append((time.perf_counter() - t0) * 1000)
            results[f"{s['name']}/{op}"] = {"rounds": rounds, "singles": singles}
    return {"init_ms": 0.0, "version": platform.python_version(), "results": results}


# ------------------------------------------------------------------ Node baseline
def node_bench(cfg: dict[str, Any]) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        sys.exit("node is not installed (deploy/local/packages.sh)")
    proc = subprocess.run(
        [node, str(HARNESS), json.dumps(cfg)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=REPO,
    )
    if proc.returncode != 0:
        sys.exit(f"node harness failed:\n{proc.stderr}")
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


# ------------------------------------------------------------------ Chromium
def chromium_bench(cfg: dict[str, Any], bundle: Path) -> dict[str, Any]:
    from playwright.sync_api import Route, sync_playwright

    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        sys.exit("Debian chromium is not installed: run deploy/local/packages.sh as root")
    files = {
        "/": (b"<!doctype html><title>bench</title>", "text/html; charset=utf-8"),
        "/crypto.bundle.js": (bundle.read_bytes(), "text/javascript; charset=utf-8"),
        "/ballot_browser.mjs": (HARNESS.read_bytes(), "text/javascript; charset=utf-8"),
    }

    def serve(route: Route) -> None:
        path = route.request.url.removeprefix(ORIGIN)
        body, media = files.get(path, (b"", "text/plain"))
        route.fulfill(
            status=200 if path in files else 404,
            body=body,
            headers={"Content-Type": media, "Content-Security-Policy": CSP},
        )

    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable)
        try:
            page = browser.new_page()
            page.route(f"{ORIGIN}/**", serve)
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(f"{ORIGIN}/")
            init = page.evaluate(
                """async () => {
                    const t0 = performance.now();
                    const bc = await import('/crypto.bundle.js');
                    await bc.ready();
                    window.bc = bc;
                    return performance.now() - t0;
                }"""
            )
            data = page.evaluate(
                """async (cfg) => {
                    const { runBench } = await import('/ballot_browser.mjs');
                    return runBench(window.bc, cfg);
                }""",
                cfg,
            )
            if errors:
                sys.exit(f"Chromium console errors: {errors}")
            return {"init_ms": init, "version": f"Chromium {browser.version}", "results": data}
        finally:
            browser.close()


# ------------------------------------------------------------------ main
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=12, help="rounds per measurement")
    ap.add_argument("--batch", type=int, default=10, help="calls per round")
    ap.add_argument("--warmup", type=int, default=10, help="unrecorded calls first")
    ap.add_argument("--singles", type=int, default=40, help="individually timed calls")
    ap.add_argument("--json", type=Path, help="also write every figure here")
    args = ap.parse_args()

    bundle = build_bundle(WEB_DIR).with_name("crypto.bundle.js")
    cfg = {
        "fingerprint": secrets.token_hex(32),
        # any non-identity point will do as the joint key: a fresh credential's public key
        "jointKey": derive_credential(generate_code(), ELECTION).public.hex(),
        "code": generate_code(),
        "electionId": ELECTION,
        "warmup": args.warmup,
        "rounds": args.rounds,
        "batch": args.batch,
        "singles": args.singles,
        "shapes": SHAPES,
    }
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"# {platform.node()} · {os.cpu_count()} CPUs · load avg {load}", flush=True)
    runs = {}
    for name, fn in (
        ("chromium", lambda: chromium_bench(cfg, bundle)),
        ("node", lambda: node_bench(cfg)),
        ("python", lambda: python_bench(cfg)),
    ):
        t0 = time.perf_counter()
        runs[name] = fn()
        print(f"# {name}: {runs[name]['version']} ({time.perf_counter() - t0:.1f} s)", flush=True)

    size = bundle.stat().st_size
    gz = len(gzip.compress(bundle.read_bytes(), 9))
    print()
    init = runs["chromium"]["init_ms"]
    print(
        f"one-off in a fresh Chromium page: import bundle + init libsodium (WASM) {init:.1f} ms;"
        f" bundle {size / 1000:.0f} kB ({gz / 1000:.0f} kB gzip)"
    )
    print(f"Node: import + init {runs['node']['init_ms']:.1f} ms")
    cols = ("chromium", "node", "python")
    head = ["Chromium (bundle)", "Node (same JS)", "Python core"]
    for op, title in (
        ("make", "make one ballot (encrypt + proofs + signature)"),
        ("cast", "one click: derive key + make + self-verify + tracker"),
    ):
        print()
        print(f"{title}, ms per ballot: median of rounds [p90] (single-call median / p95)")
        print(f"{'shape':<24}" + "".join(f"{h:>32}" for h in head))
        for s in SHAPES:
            key = f"{s['name']}/{op}"
            cells = []
            for c in cols:
                r = runs[c]["results"][key]
                f = summarise(r["rounds"], r["singles"])
                cells.append(
                    f"{f['median']:6.2f} [{f['p90']:6.2f}] ({f['single_median']:5.2f}/"
                    f"{f['single_p95']:5.2f})"
                )
            print(f"{s['name']:<24}" + "".join(f"{x:>32}" for x in cells))
    worst = max(
        statistics.median(runs["chromium"]["results"][f"{s['name']}/make"]["rounds"])
        for s in SHAPES[:2]
    )
    verdict = "met" if worst <= TARGET_MS else "NOT met"
    print()
    print(f"target: make ≤ {TARGET_MS:.0f} ms in Chromium (1×3, 3×3): {verdict} ({worst:.2f} ms)")
    print(f"command: .venv/bin/python bench/ballot_browser.py {' '.join(sys.argv[1:])}".rstrip())
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"config": cfg, "runs": runs}, indent=1))


if __name__ == "__main__":
    main()
