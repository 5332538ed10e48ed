#!/usr/bin/env python3
"""Create the project's Kafka topics from deploy/kafka/topics.json (idempotent).

Usage:
    python deploy/kafka/create_topics.py [--bootstrap HOST:PORT] [--timeout SECONDS]
    python deploy/kafka/create_topics.py --wait-only    # only wait until the broker answers

The bootstrap address defaults to $TEST_KAFKA_BOOTSTRAP, else 127.0.0.1:19092. The broker may
still be starting: connecting and creating are retried until --timeout (default 60 s) runs out.
Topics that already exist are left alone (a differing partition count is reported, not changed).
At the end it waits until every partition of every listed topic has a leader, so producers that
start right after this script do not see LEADER_NOT_AVAILABLE.

Exit status: 0 on success, 1 when the broker cannot be reached or a topic cannot be created.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError, for_code

TOPICS_FILE = Path(__file__).resolve().with_name("topics.json")
DEFAULT_BOOTSTRAP = "127.0.0.1:19092"


class SetupError(Exception):
    """A failure that should end the script with a clear message."""


def load_topics(path: Path = TOPICS_FILE) -> list[dict[str, Any]]:
    """The topic specs of topics.json: name, partitions, replication_factor, configs."""
    with path.open(encoding="utf-8") as f:
        topics: list[dict[str, Any]] = json.load(f)["topics"]
    return topics


def _log(msg: str) -> None:
    print(f"create_topics: {msg}", file=sys.stderr, flush=True)


async def _connect(bootstrap: str, deadline: float) -> AIOKafkaAdminClient:
    last: BaseException | None = None
    attempt = 0
    while time.monotonic() < deadline:
        attempt += 1
        admin = AIOKafkaAdminClient(
            bootstrap_servers=bootstrap,
            request_timeout_ms=10_000,
            client_id="congvu-create-topics",
        )
        try:
            await admin.start()
            await admin.list_topics()  # a real round trip, not only a TCP connect
            return admin
        except (TimeoutError, KafkaError, OSError) as exc:
            last = exc
            await admin.close()
            if attempt == 1 or attempt % 10 == 0:
                _log(f"broker at {bootstrap} not ready yet ({type(exc).__name__}: {exc}); retrying")
            await asyncio.sleep(1.0)
    raise SetupError(
        f"cannot reach a Kafka broker at {bootstrap} "
        f"(last error: {type(last).__name__ if last else 'timeout'}: {last}). "
        "Is it running? Try: deploy/local/infra.sh start (or status)"
    )


async def _create(admin: AIOKafkaAdminClient, specs: list[dict[str, Any]], deadline: float) -> None:
    pending = {s["name"]: s for s in specs}
    while pending:
        new = [
            NewTopic(
                s["name"],
                int(s["partitions"]),
                int(s.get("replication_factor", 1)),
                topic_configs={k: str(v) for k, v in s.get("configs", {}).items()},
            )
            for s in pending.values()
        ]
        try:
            resp = await admin.create_topics(new, timeout_ms=10_000)
        except (TimeoutError, KafkaError, OSError) as exc:
            if time.monotonic() >= deadline:
                raise SetupError(f"create_topics failed: {type(exc).__name__}: {exc}") from exc
            _log(f"create_topics request failed ({type(exc).__name__}: {exc}); retrying")
            await asyncio.sleep(1.0)
            continue
        retry: dict[str, dict[str, Any]] = {}
        for item in resp.to_object()["topic_errors"]:
            name, code, message = item["topic"], item["error_code"], item.get("error_message")
            if code == 0:
                _log(f"created {name}")
                continue
            err = for_code(code)
            if err is TopicAlreadyExistsError:
                _log(f"exists  {name}")
                continue
            if getattr(err, "retriable", False) and time.monotonic() < deadline:
                retry[name] = pending[name]
                continue
            raise SetupError(f"cannot create topic {name}: {err.__name__}: {message}")
        pending = retry
        if pending:
            await asyncio.sleep(1.0)


async def _wait_for_leaders(
    admin: AIOKafkaAdminClient, specs: list[dict[str, Any]], deadline: float
) -> None:
    names = [s["name"] for s in specs]
    wanted = {s["name"]: int(s["partitions"]) for s in specs}
    while True:
        problems: list[str] = []
        for t in await admin.describe_topics(names):
            name = t["topic"]
            if t["error_code"] != 0:
                problems.append(f"{name}: {for_code(t['error_code']).__name__}")
                continue
            parts = t["partitions"]
            leaderless = [p["partition"] for p in parts if p["leader"] < 0]
            if leaderless:
                problems.append(f"{name}: no leader for partitions {leaderless}")
            if len(parts) != wanted[name]:
                _log(
                    f"WARNING: topic {name} has {len(parts)} partitions, topics.json says "
                    f"{wanted[name]}; delete the topic or run deploy/local/infra.sh reset"
                )
                wanted[name] = len(parts)  # warn once
        if not problems:
            return
        if time.monotonic() >= deadline:
            raise SetupError("topics not ready: " + "; ".join(problems))
        await asyncio.sleep(0.5)


async def run(bootstrap: str, timeout: float, wait_only: bool) -> None:
    deadline = time.monotonic() + timeout
    specs = load_topics()
    admin = await _connect(bootstrap, deadline)
    try:
        if wait_only:
            _log(f"broker at {bootstrap} is up")
            return
        await _create(admin, specs, deadline)
        await _wait_for_leaders(admin, specs, deadline)
        _log(f"{len(specs)} topics ready on {bootstrap}")
    finally:
        await admin.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--bootstrap",
        default=os.environ.get("TEST_KAFKA_BOOTSTRAP") or DEFAULT_BOOTSTRAP,
        help="HOST:PORT of the broker (default: $TEST_KAFKA_BOOTSTRAP or %(default)s)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        help="seconds to keep retrying (default: %(default)s)",
    )
    parser.add_argument(
        "--wait-only",
        action="store_true",
        help="only wait until the broker answers; create nothing",
    )
    args = parser.parse_args(argv)
    # aiokafka logs every refused connection while the broker starts; we report progress ourselves.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    try:
        asyncio.run(run(args.bootstrap, args.timeout, args.wait_only))
    except SetupError as exc:
        _log(f"ERROR: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
