"""Helpers of the stack test: the podman stack, Keycloak's admin API and password grant, the
counts of events in the store, in Kafka and in the read model."""

from __future__ import annotations

import asyncio
import json
import subprocess
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg

REPO = Path(__file__).resolve().parents[3]
STACK = REPO / "deploy" / "containers" / "stack.sh"
PODMAN_RUNC = REPO / "deploy" / "containers" / "podman-runc"
ENVFILE = REPO / "var" / "containers" / "stack.env"
PROJECT = "congvu-ci"
TENANT = "dong-nai"  # the tenant of the realm's demo users


def podman(*args: str, check: bool = True) -> str:
    proc = subprocess.run(
        [str(PODMAN_RUNC), *args], capture_output=True, text=True, check=False, timeout=120
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"podman {' '.join(args)}: {proc.stderr[-2000:]}")
    return proc.stdout.strip()


def container(service: str) -> str:
    return podman(
        "ps",
        "-a",
        "--filter",
        f"label=io.podman.compose.project={PROJECT}",
        "--filter",
        f"label=com.docker.compose.service={service}",
        "--format",
        "{{.Names}}",
    ).splitlines()[0]


def state(service: str) -> dict[str, Any]:
    return dict(json.loads(podman("inspect", "-f", "{{json .State}}", container(service))))


def restart_count(service: str) -> int:
    return int(podman("inspect", "-f", "{{.RestartCount}}", container(service)))


def healthy(service: str) -> bool:
    """Run the container's health check now (podman 4.3 has no timer without systemd)."""
    podman("healthcheck", "run", container(service), check=False)
    return bool(state(service).get("Running")) and state(service)["Health"]["Status"] == "healthy"


def wait_for(what: str, predicate: Callable[[], Any], timeout: float = 180) -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
            if last:
                return last
        except (httpx.HTTPError, psycopg.Error, AssertionError, KeyError) as exc:
            last = exc
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {what}: {last!r}")


def read_env() -> dict[str, str]:
    out = {}
    for line in ENVFILE.read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            k, v = line.split("=", 1)
            out[k] = v
    return out


@dataclass
class Stack:
    env: dict[str, str]
    gateway: str
    keycloak: str
    passwords: dict[str, str] = field(default_factory=dict)
    _tokens: dict[str, tuple[float, str]] = field(default_factory=dict)

    def pg(
        self, database: str, user: str = "congvu", password: str | None = None
    ) -> psycopg.Connection[Any]:
        """A connection to the stack's PostgreSQL: the superuser unless a role is given."""
        return psycopg.connect(
            host="127.0.0.1",
            port=int(self.env["HOST_POSTGRES_PORT"]),
            user=user,
            password=password or self.env["POSTGRES_PASSWORD"],
            dbname=database,
            connect_timeout=5,
        )

    # ----------------------------------------------------------------- Keycloak
    def admin_token(self) -> str:
        r = httpx.post(
            f"{self.keycloak}/realms/master/protocol/openid-connect/token",
            data={
                "grant_type": "password",
                "client_id": "admin-cli",
                "username": "admin",
                "password": self.env["KEYCLOAK_ADMIN_PASSWORD"],
            },
            timeout=30,
        )
        r.raise_for_status()
        return str(r.json()["access_token"])

    def ensure_user(self, username: str, role: str, unit: str | None) -> None:
        """Create (or find) a realm user and give it a fresh random password."""
        admin = {"Authorization": f"Bearer {self.admin_token()}"}
        base = f"{self.keycloak}/admin/realms/congvu/users"
        found = httpx.get(base, params={"username": username, "exact": "true"}, headers=admin)
        found.raise_for_status()
        if not found.json():
            attributes = {"tenant": [TENANT], "role": [role]} | ({"unit": [unit]} if unit else {})
            created = httpx.post(
                base,
                headers=admin,
                json={
                    "username": username,
                    "enabled": True,
                    "emailVerified": True,
                    "firstName": username,
                    "lastName": "ci",
                    "email": f"{username}@congvu.invalid",
                    "attributes": attributes,
                },
            )
            assert created.status_code == 201, created.text
            found = httpx.get(base, params={"username": username, "exact": "true"}, headers=admin)
        user_id = found.json()[0]["id"]
        password = uuid.uuid4().hex
        reset = httpx.put(
            f"{base}/{user_id}/reset-password",
            headers=admin,
            json={"type": "password", "value": password, "temporary": False},
        )
        assert reset.status_code == 204, reset.text
        self.passwords[username] = password

    def token(self, username: str) -> str:
        cached = self._tokens.get(username)
        if cached and cached[0] > time.monotonic() + 60:
            return cached[1]
        r = httpx.post(
            f"{self.keycloak}/realms/congvu/protocol/openid-connect/token",
            data={
                "grant_type": "password",
                "client_id": "congvu-web",
                "username": username,
                "password": self.passwords[username],
                "scope": "openid",
            },
            timeout=30,
        )
        assert r.status_code == 200, r.text
        body = r.json()
        self._tokens[username] = (time.monotonic() + body["expires_in"], body["access_token"])
        return str(body["access_token"])

    def headers(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(username)}"}

    # ----------------------------------------------------------------- counts
    def store_versions(self) -> dict[str, int]:
        """Latest version of every aggregate in the assessment event store."""
        with self.pg("assessment") as conn:
            rows = conn.execute(
                "SELECT originator_id::text, max(originator_version), count(*)"
                " FROM assessment_events GROUP BY originator_id"
            ).fetchall()
        for oid, latest, count in rows:
            assert latest == count, f"{oid}: {count} events up to version {latest}"
        return {oid: latest for oid, latest, _ in rows}

    def read_model_versions(self) -> dict[str, int]:
        with self.pg("reporting") as conn:
            out: dict[str, int] = {}
            for table, key in (
                ("rm_unit", "unit_id"),
                ("rm_cycle", "cycle_id"),
                ("rm_board", "assessment_id"),
            ):
                out.update({k: v for k, v in conn.execute(f"SELECT {key}, version FROM {table}")})
            return out

    def kafka_event_ids(self, topic: str = "assessment.events.v1") -> list[str]:
        """Every committed record on the topic, from the start (read_committed)."""
        from aiokafka import AIOKafkaConsumer

        async def read() -> list[str]:
            consumer = AIOKafkaConsumer(
                topic,
                bootstrap_servers=f"127.0.0.1:{self.env['HOST_KAFKA_PORT']}",
                group_id=None,
                auto_offset_reset="earliest",
                enable_auto_commit=False,
                isolation_level="read_committed",
            )
            await consumer.start()
            try:
                ids: list[str] = []
                while True:
                    batch = await consumer.getmany(timeout_ms=3000, max_records=1000)
                    if not batch:
                        return ids
                    for records in batch.values():
                        ids += [json.loads(r.value)["event_id"] for r in records]
            finally:
                await consumer.stop()

        # in a thread of its own: Playwright's sync API keeps an event loop in this one
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(lambda: asyncio.run(read())).result(timeout=120)
