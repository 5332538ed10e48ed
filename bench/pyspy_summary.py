"""Summarise py-spy collapsed stacks (``--format raw``): where the samples of a process go.

Run::

    .venv/bin/python bench/pyspy_summary.py /tmp/prof-0.txt [/tmp/prof-1.txt …] [--top 25]

Prints (1) the share of samples whose *innermost* frame lies in each package (own time: who
burns the CPU), and (2) the inclusive share of the heaviest functions of the project and of the
frameworks (who asks for it). Idle samples (py-spy ``--idle`` off) are not recorded, so the
shares are of busy time.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

_FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^:()]+)(?::\d+)?\)$")

BUCKETS = (
    ("psycopg", "psycopg / libpq"),
    ("eventsourcing/", "eventsourcing"),
    ("starlette/", "starlette"),
    ("fastapi/", "fastapi"),
    ("pydantic", "pydantic"),
    ("anyio/", "anyio (thread pool, task groups)"),
    ("uvicorn/", "uvicorn"),
    ("h11/", "h11"),
    ("httptools", "httptools"),
    ("asyncio/", "asyncio event loop"),
    ("threading.py", "threading"),
    ("concurrent/", "threading"),
    ("queue.py", "threading"),
    ("jwt/", "JWT (PyJWT)"),
    ("cryptography/", "cryptography"),
    ("json/", "json (stdlib)"),
    ("orjson", "json (orjson)"),
    ("pysodium", "libsodium (ballot crypto)"),
    ("ballot/crypto/", "ballot crypto (ours)"),
    ("ballot/", "ballot service (ours)"),
    ("assessment/", "assessment (ours)"),
    ("reporting/", "reporting (ours)"),
    ("shared/", "shared (ours)"),
    ("logging/", "logging"),
    ("typing.py", "typing (runtime checks)"),
    ("uuid.py", "uuid"),
    ("datetime", "datetime"),
)


def bucket(file: str) -> str:
    for needle, name in BUCKETS:
        if needle in file:
            return name
    return "other: " + file.rsplit("/", 1)[-1]


def parse(line: str) -> tuple[list[tuple[str, str]], int]:
    stack, _, count = line.rstrip().rpartition(" ")
    frames = []
    for raw in stack.split(";"):
        m = _FRAME.match(raw.strip())
        frames.append((m["func"], m["file"]) if m else (raw, "?"))
    return frames, int(count)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()
    own: Counter[str] = Counter()
    incl: Counter[str] = Counter()
    total = 0
    for path in args.files:
        for line in path.read_text().splitlines():
            if not line.strip():
                continue
            frames, n = parse(line)
            total += n
            own[bucket(frames[-1][1])] += n
            seen = set()
            for func, file in frames:
                key = f"{func} ({file.split('site-packages/')[-1]})"
                if key not in seen:
                    seen.add(key)
                    incl[key] += n
    print(f"{total} samples in {len(args.files)} file(s)\n\nown time by package:")
    for name, n in own.most_common():
        if n / total >= 0.005:
            print(f"  {100 * n / total:5.1f} %  {name}")
    print(f"\ninclusive, top {args.top} (excluding the event loop's own frames):")
    skip = ("runpy", "click/", "uvicorn/main.py", "uvicorn/server.py", "_compat.py", "runners.py")
    shown = 0
    for key, n in incl.most_common():
        if any(s in key for s in skip) or "base_events.py" in key or "events.py" in key:
            continue
        print(f"  {100 * n / total:5.1f} %  {key}")
        shown += 1
        if shown >= args.top:
            break


if __name__ == "__main__":
    main()
