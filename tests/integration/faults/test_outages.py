"""Processes that survive: the real servers are stopped mid-stream (issue 15).

A private PostgreSQL + Kafka pair (``deploy/local/infra.sh start`` with its own ports and
state directory) serves real processes: the assessment API (uvicorn, least-privilege role,
schema made by ``migrate`` as the owner) and the relay. Clients send 2,000+ commands over HTTP,
each retried with its ``Idempotency-Key`` until acknowledged. Mid-stream PostgreSQL is stopped
(``pg_ctl stop -m fast``) and later the Kafka broker is killed (SIGKILL); both are started
again and nothing is restarted by hand. Then: every acknowledged command is stored once, the
Kafka topic holds each event once (read_committed), and the outage answers were fast 503s.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg
import pytest

from assessment.adapters.event_tags import load_or_create_tag_key
from assessment.bootstrap import load_or_create_signing_key
from shared.auth import DevIssuer

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[3]
INFRA = REPO / "deploy" / "local" / "infra.sh"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
COMMANDS = 2_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Servers:
    var: Path
    env: dict[str, str]
    pg_port: int
    kafka_port: int

    def infra(self, *args: str) -> None:
        proc = subprocess.run(
            ["bash", str(INFRA), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if proc.returncode != 0:
            message = f"infra.sh {' '.join(args)} failed:\n{proc.stderr[-3000:]}"
            if IN_CI:
                pytest.fail(message)
            pytest.skip(message)

    def url(self, user: str, db: str) -> str:
        return f"postgresql://{user}:{user}@127.0.0.1:{self.pg_port}/{db}"

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.kafka_port}"

    def stop_postgres(self) -> None:
        data = next(p for p in (self.var / "pg" / "data", *self._alt_roots()) if p.exists())
        pg_ctl = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))[-1]
        cmd = [str(pg_ctl), "-D", str(data), "-m", "fast", "-w", "stop"]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=60)

    def _alt_roots(self) -> list[Path]:
        # This pair's own cluster, named as infra.sh names it (sha256 of the var/ path): a glob
        # of /tmp/congvu-pg-* picked another clone's cluster, so PostgreSQL was never stopped.
        digest = hashlib.sha256(str(self.var.resolve()).encode()).hexdigest()[:12]
        return [Path(f"/tmp/congvu-pg-{digest}") / "data"]

    def kill_kafka(self) -> None:
        pid = int((self.var / "kafka" / "kafka.pid").read_text().strip())
        os.kill(pid, signal.SIGKILL)
        for _ in range(100):
            if not Path(f"/proc/{pid}").exists() or "Z" in _state(pid):
                return
            time.sleep(0.1)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "X"


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    var = tmp_path_factory.mktemp("faults-var")
    pg_port, kafka_port, controller = _free_port(), _free_port(), _free_port()
    env = {
        **os.environ,
        "CONGVU_VAR_DIR": str(var),
        "CONGVU_PG_PORT": str(pg_port),
        "CONGVU_KAFKA_PORT": str(kafka_port),
        "CONGVU_KAFKA_CONTROLLER_PORT": str(controller),
        "CONGVU_KEYCLOAK": "off",  # not needed here; its port would collide with the shared one
        "CONGVU_KEYCLOAK_PORT": str(_free_port()),
    }
    srv = Servers(var, env, pg_port, kafka_port)
    srv.infra("start")
    try:
        yield srv
    finally:
        subprocess.run(["bash", str(INFRA), "reset"], env=env, capture_output=True, timeout=300)


@dataclass
class Load:
    acked: dict[str, str] = field(default_factory=dict)  # code -> unit id
    statuses: Counter[int] = field(default_factory=Counter)
    slowest_503: float = 0.0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _send(base: str, auth: str, code: str, load: Load, deadline: float) -> None:
    body = {"code": code, "name": f"Đơn vị {code}", "kind": "department"}
    headers = {"Authorization": auth, "Idempotency-Key": f"k-{code}"}
    with httpx.Client(base_url=base, timeout=30) as client:
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                resp = client.post("/v1/units", json=body, headers=headers)
            except httpx.TransportError:
                time.sleep(0.2)
                continue
            took = time.monotonic() - started
            with load.lock:
                load.statuses[resp.status_code] += 1
                if resp.status_code == 503:
                    load.slowest_503 = max(load.slowest_503, took)
            if resp.status_code in (200, 201):
                with load.lock:
                    load.acked[code] = resp.json()["id"]
                return
            if resp.status_code == 503:
                assert resp.headers.get("retry-after"), resp.headers
                assert resp.headers["content-type"].startswith("application/problem+json")
                time.sleep(0.3)
                continue
            with load.lock:
                load.errors.append(f"{code}: {resp.status_code} {resp.text[:300]}")
            return
    with load.lock:
        load.errors.append(f"{code}: not acknowledged before the deadline")


def _start(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("wb")
    return subprocess.Popen(cmd, env=env, stdout=handle, stderr=subprocess.STDOUT, cwd=REPO)


def _wait_http(base: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(300):
        if proc.poll() is not None:
            pytest.fail(f"process exited: {log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base}/openapi.json", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"API did not start: {log.read_text()[-3000:]}")


def _topic_events(bootstrap: str, topic: str) -> list[dict[str, object]]:
    from reporting.adapters.topic_reader import read_topic

    return [json.loads(r.value) for r in asyncio.run(read_topic(bootstrap, topic, timeout=60))]


@pytest.mark.timeout(900)
def test_postgres_stop_and_kafka_kill_mid_stream_lose_and_duplicate_nothing(
    servers: Servers, tmp_path: Path
) -> None:
    keys = tmp_path / "keys"
    load_or_create_signing_key(keys / "audit.pem", create=True)
    load_or_create_tag_key(keys / "event-tag.key", create=True)
    issuer = DevIssuer.from_file(keys / "issuer.pem")
    env = {
        **servers.env,
        "ASSESSMENT_MODE": "production",
        "ASSESSMENT_DATABASE_URL": servers.url("assessment_app", "assessment"),
        "ASSESSMENT_OWNER_DATABASE_URL": servers.url("assessment_owner", "assessment"),
        "ASSESSMENT_CREATE_TABLES": "false",
        "ASSESSMENT_EVENT_KEY_FILE": str(keys / "event-tag.key"),
        "ASSESSMENT_AUDIT_KEY_FILE": str(keys / "audit.pem"),
        "ASSESSMENT_KAFKA_BOOTSTRAP": servers.bootstrap,
        "ASSESSMENT_CHECKPOINT_EVERY_EVENTS": "500",
        "CONGVU_AUTH_DEV_KEY_FILE": str(keys / "issuer.pem"),
        "CONGVU_AUTH_ALLOW_DEV_ISSUER": "true",
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("CONGVU_AUTH_JWKS_URL", "CONGVU_AUTH_ISSUER", "CONGVU_AUTH_AUDIENCE"):
        env.pop(name, None)
    subprocess.run(
        [sys.executable, "-m", "assessment.entrypoints.migrate"],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    logs = Path(os.environ.get("FAULTS_LOG_DIR") or tmp_path)
    logs.mkdir(parents=True, exist_ok=True)
    api_log, relay_log = logs / "api.log", logs / "relay.log"
    api = _start(
        [
            sys.executable, "-m", "uvicorn", "--factory",
            "assessment.entrypoints.api.app:create_app",
            "--http", "shared.server:GuardedHttpToolsProtocol", "--loop", "uvloop",
            "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
        ],
        env,
        api_log,
    )  # fmt: skip
    relay_env = {**env, "ASSESSMENT_LOG_LEVEL": os.environ.get("FAULTS_RELAY_LOG_LEVEL", "INFO")}
    relay = _start([sys.executable, "-m", "assessment.entrypoints.relay"], relay_env, relay_log)
    reporting_env = _reporting_env(servers, env, "reporting")
    consumer_log, reports_log = logs / "consumer.log", logs / "reports.log"
    consumer = _start(
        [sys.executable, "-m", "reporting.entrypoints.consumer"], reporting_env, consumer_log
    )
    reports_port = _free_port()
    reports_base = f"http://127.0.0.1:{reports_port}"
    reports = _start(
        [
            sys.executable, "-m", "uvicorn", "--factory",
            "reporting.entrypoints.api.app:create_app",
            "--http", "shared.server:GuardedHttpToolsProtocol", "--loop", "uvloop",
            "--host", "127.0.0.1", "--port", str(reports_port), "--log-level", "warning",
        ],
        reporting_env,
        reports_log,
    )  # fmt: skip
    processes = (api, relay, consumer, reports)
    try:
        _wait_http(base, api, api_log)
        _wait_http(reports_base, reports, reports_log)
        auth = "Bearer " + issuer.mint(
            subject="snv", tenant="dong-nai", role="home_affairs", unit="SNV", ttl=3600
        )
        reads: Counter[int] = Counter()
        reading = threading.Event()

        def read_reports() -> None:  # the reporting API through the outage
            with httpx.Client(base_url=reports_base, timeout=30) as client:
                while not reading.is_set():
                    try:
                        resp = client.get("/v1/reports/cycles", headers={"Authorization": auth})
                        reads[resp.status_code] += 1
                    except httpx.TransportError:
                        reads[0] += 1
                    time.sleep(0.1)

        reader = threading.Thread(target=read_reports)
        reader.start()
        load = Load()
        deadline = time.monotonic() + 480  # generous: shared 2-core machines are noisy
        codes = [f"F{i:05d}" for i in range(COMMANDS)]
        outages: dict[str, float] = {}

        def faults() -> None:
            while len(load.acked) < COMMANDS * 0.3:
                time.sleep(0.05)
            servers.stop_postgres()
            outages["pg_stopped_at_acked"] = len(load.acked)
            time.sleep(3)
            servers.infra("start")
            outages["pg_back"] = time.monotonic()
            print(f"\n[{time.strftime('%X')}] PostgreSQL back")
            while len(load.acked) < COMMANDS * 0.6:
                time.sleep(0.05)
            servers.kill_kafka()
            outages["kafka_killed_at_acked"] = len(load.acked)
            time.sleep(3)
            servers.infra("start")
            outages["kafka_back"] = time.monotonic()
            print(f"\n[{time.strftime('%X')}] Kafka back")

        chaos = threading.Thread(target=faults)
        chaos.start()
        with ThreadPoolExecutor(max_workers=8) as pool:
            for code in codes:
                pool.submit(_send, base, auth, code, load, deadline)
        load_done = time.monotonic()
        chaos.join(timeout=120)
        reading.set()
        reader.join(timeout=60)
        assert reads[500] == 0 and reads[503] > 0, reads  # 503 in the outage, never a 500
        assert not load.errors, load.errors[:5]
        assert len(load.acked) == COMMANDS
        assert load.statuses[503] > 0, "the PostgreSQL outage was not seen by any request"
        assert load.statuses[500] == 0, load.statuses
        assert load.slowest_503 < 10, f"a 503 took {load.slowest_503:.1f} s: not failing fast"
        assert all(p.poll() is None for p in processes), "a process exited"

        # every acknowledged command stored once, by the application (tagged, sealed)
        with psycopg.connect(servers.url("assessment_app", "assessment")) as conn:
            rows = conn.execute(
                "SELECT originator_id::text, count(*) FROM assessment_events "
                "WHERE topic LIKE %s GROUP BY originator_id",
                ("%Unit.Registered",),
            ).fetchall()
        stored = dict(rows)
        assert set(stored) == set(load.acked.values())
        assert set(stored.values()) == {1}

        # the relay recovered by itself: every event on Kafka, once (read_committed)
        recovered_at = None
        caught_up = time.monotonic() + 90
        while time.monotonic() < caught_up:
            events = _topic_events(servers.bootstrap, "assessment.events.v1")
            ids = [e["event_id"] for e in events if str(e["type"]).endswith("Unit.Registered")]
            if len(set(ids)) >= COMMANDS:
                recovered_at = time.monotonic()
                break
            time.sleep(1)
        assert recovered_at is not None, relay_log.read_text()[-3000:]
        assert len(ids) == len(set(ids)) == COMMANDS, "duplicates visible to readers"
        assert {e["aggregate_id"] for e in events} >= set(load.acked.values())

        # the reporting consumer survived both outages: the read model is complete, once each
        complete_by = time.monotonic() + 90
        while time.monotonic() < complete_by:
            units = _read_model_units(servers, "reporting")
            if len(units) >= COMMANDS:
                break
            time.sleep(1)
        assert set(units) == set(load.acked.values())
        print(
            f"\nfaults: {COMMANDS} acknowledged; statuses {dict(load.statuses)}; slowest 503 "
            f"{load.slowest_503:.2f} s; PostgreSQL stopped at {outages['pg_stopped_at_acked']} "
            f"acks, Kafka killed at {outages['kafka_killed_at_acked']}; Kafka complete "
            f"{recovered_at - load_done:.1f} s after the last acknowledgement"
        )
        relay_lines = relay_log.read_text()
        print("\n".join(line[:240] for line in relay_lines.splitlines() if "relay" in line))
        changes = [ln for ln in relay_lines.splitlines() if "ERROR congvu.relay" in ln]
        assert len(changes) <= 4, relay_lines[-3000:]  # one line per state change
        consumer_lines = consumer_log.read_text()
        print("\n".join(ln[:240] for ln in consumer_lines.splitlines() if "consumer" in ln))
        changes = [ln for ln in consumer_lines.splitlines() if "ERROR congvu.reporting" in ln]
        assert len(changes) <= 4, consumer_lines[-3000:]
    finally:
        _stop_all(processes)


def _stop_all(processes: tuple[subprocess.Popen[bytes], ...]) -> None:
    for proc in processes:
        proc.send_signal(signal.SIGTERM)
    for proc in processes:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _reporting_env(servers: Servers, env: dict[str, str], db: str) -> dict[str, str]:
    return {
        **env,
        "REPORTING_MODE": "production",
        "REPORTING_DATABASE_URL": servers.url("reporting_app", db),
        "REPORTING_KAFKA_BOOTSTRAP": servers.bootstrap,
        "REPORTING_CONSUMER_GROUP": f"faults-{db}",
    }


def _read_model_units(servers: Servers, db: str) -> list[str]:
    with psycopg.connect(servers.url("reporting_app", db)) as conn:
        rows = conn.execute("SELECT unit_id FROM rm_unit").fetchall()
    return [str(r[0]) for r in rows]


@pytest.mark.timeout(300)
def test_the_consumer_starts_while_kafka_is_down_and_catches_up(
    servers: Servers, tmp_path: Path
) -> None:
    with psycopg.connect(servers.url("congvu", "congvu"), autocommit=True) as conn:
        conn.execute("CREATE DATABASE reporting_late OWNER reporting_app")
    servers.kill_kafka()
    env = _reporting_env(servers, dict(servers.env), "reporting_late")
    log = tmp_path / "consumer-late.log"
    consumer = _start([sys.executable, "-m", "reporting.entrypoints.consumer"], env, log)
    try:
        time.sleep(8)
        assert consumer.poll() is None, log.read_text()[-3000:]
        assert "Kafka unavailable" in log.read_text(), log.read_text()[-3000:]
        servers.infra("start")
        expected = {
            e["aggregate_id"]
            for e in _topic_events(servers.bootstrap, "assessment.events.v1")
            if str(e["type"]).endswith("Unit.Registered")
        }
        assert expected, "the first test leaves events on the topic"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if set(_read_model_units(servers, "reporting_late")) >= expected:
                break
            time.sleep(1)
        assert set(_read_model_units(servers, "reporting_late")) == expected
        assert "reachable again" in log.read_text()
    finally:
        _stop_all((consumer,))
