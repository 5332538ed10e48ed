"""Drive a whole election over HTTP from one process: tests and benchmarks only.

Trustees with fresh keys, an in-process credential authority and voters, all talking to the
API through any client with ``get``/``post`` (FastAPI's ``TestClient`` or ``httpx.Client``).
Production roles are the separate CLIs (``ballot-ca``, ``ballot-trustee``, ``ballot-verify``).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from ballot import trustee as ops
from ballot.crypto import (
    Ballot,
    CommitmentReveal,
    Point,
    Polynomial,
    Scalar,
    TrusteePrivateKeys,
    derive_credential,
    generate_credentials,
    make_ballot,
)
from ballot.verifier import Verified, read_ndjson, verify_record
from shared.sql import Database

PREFIX = "/v1/ballot/elections"
BALLOT_TABLES = (
    "ballot_elections",
    "ballot_board",
    "ballot_checkpoints",
    "ballot_credentials",
    "ballot_trackers",
    "ballot_alphas",
    "ballot_audits",
    "ballot_outbox",
    "ballot_outbox_head",
    "ballot_idempotency",
)


class Response(Protocol):
    status_code: int
    text: str

    def json(self) -> Any: ...


class Client(Protocol):
    def get(self, url: str, **kwargs: Any) -> Any: ...
    def post(self, url: str, **kwargs: Any) -> Any: ...


Headers = Callable[[str], dict[str, str]]
"""role → request headers carrying a bearer token of that role (and the election's tenant)."""


def dump_tables(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every ballot table (to prove that a refused request stored nothing)."""
    with db.transaction() as tx:
        return {
            t: sorted(tx.fetchall(f"SELECT * FROM {t}"), key=repr)  # noqa: S608
            for t in BALLOT_TABLES
        }


class HarnessError(AssertionError):
    pass


def _ok(response: Any, expected: int = 200) -> Any:
    if response.status_code != expected:
        raise HarnessError(f"HTTP {response.status_code} (expected {expected}): {response.text}")
    return response.json()


@dataclass
class Trustee:
    name: str
    keys: TrusteePrivateKeys
    polynomial: Polynomial | None = None
    reveal: CommitmentReveal | None = None
    secret: Scalar | None = None

    @classmethod
    def generate(cls, index: int) -> Trustee:
        return cls(f"Thành viên {index}", TrusteePrivateKeys.generate(index))

    def public(self) -> dict[str, str]:
        pub = self.keys.public()
        return {"name": self.name, "sign_key": pub.sign_key.hex(), "kx_key": pub.kx_key.hex()}


def election_request(
    trustees: Sequence[Trustee],
    *,
    summoned: int,
    threshold: int,
    opens_at: datetime,
    hours: float = 4,
    scale: str = "confidence",
    persons: Sequence[tuple[str, str]] = (("Nguyễn Văn An", "Giám đốc Sở"),),
    min_ballots: int = 3,
    percent_base: str = "returned",
    allow_blank: bool = True,
    unit: str = "SNV",
    title: str = "Lấy phiếu tín nhiệm lãnh đạo Sở Nội vụ năm 2026",
) -> dict[str, Any]:
    return {
        "unit": unit,
        "title": title,
        "scale": scale,
        "persons": [{"name": n, "position": p} for n, p in persons],
        "summoned": summoned,
        "opens_at": opens_at.isoformat(),
        "closes_at": (opens_at + timedelta(hours=hours)).isoformat(),
        "min_ballots": min_ballots,
        "threshold": threshold,
        "trustees": [t.public() for t in trustees],
        "percent_base": percent_base,
        "allow_blank": allow_blank,
    }


@dataclass
class ElectionDriver:
    client: Client
    headers: Headers
    trustees: list[Trustee]
    election_id: str = ""
    codes: list[str] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)

    def url(self, suffix: str = "") -> str:
        return f"{PREFIX}/{self.election_id}{suffix}"

    # ------------------------------------------------------------------ reads
    def record_lines(self, after: int = 0) -> list[dict[str, Any]]:
        r = self.client.get(self.url("/record"), params={"after": after})
        if r.status_code != 200:
            raise HarnessError(f"record: HTTP {r.status_code}")
        return read_ndjson(r.text.splitlines())

    def verified(self) -> Verified:
        v = verify_record(self.record_lines())
        if not v.report.ok or v.state is None:
            raise HarnessError(f"record does not verify: {v.report.to_dict()['findings']}")
        return v

    # ------------------------------------------------------------------ organiser
    def create(self, request: dict[str, Any]) -> str:
        body = _ok(
            self.client.post(PREFIX, json=request, headers=self.headers("ballot_organiser")), 201
        )
        self.election_id = body["election_id"]
        for t in self.trustees:
            t.keys = TrusteePrivateKeys(
                self.trustees.index(t) + 1, t.keys.sign, t.keys.kx
            )  # roster order
        return self.election_id

    def organiser(self, action: str) -> Any:
        return _ok(
            self.client.post(self.url(f"/{action}"), headers=self.headers("ballot_organiser"))
        )

    # ------------------------------------------------------------------ trustees
    def trustee_post(self, path: str, body: dict[str, Any]) -> Any:
        return _ok(self.client.post(self.url(path), json=body, headers=self.headers("trustee")))

    def run_ceremony(self) -> None:
        state = self.verified().state
        assert state is not None
        for t in self.trustees:
            r1 = ops.make_round1(state, t.keys)
            t.polynomial, t.reveal = r1.polynomial, r1.reveal
            self.trustee_post("/ceremony/round1", {"message": r1.message.to_dict()})
        state = self.verified().state
        assert state is not None
        for t in self.trustees:
            assert t.polynomial is not None and t.reveal is not None
            msg, shares = ops.make_round2(state, t.keys, t.polynomial, t.reveal)
            self.trustee_post(
                "/ceremony/round2",
                {"message": msg.to_dict(), "shares": [s.to_dict() for s in shares]},
            )
        state = self.verified().state
        assert state is not None
        for t in self.trustees:
            assert t.reveal is not None
            t.secret, confirmation = ops.open_shares(state, t.keys, t.reveal)
            self.trustee_post("/ceremony/confirm", confirmation)

    def decrypt(self, indices: Sequence[int]) -> list[Any]:
        state = self.verified().state
        assert state is not None
        answers = []
        for i in indices:
            t = self.trustees[i - 1]
            assert t.secret is not None
            share = ops.decrypt(state, t.keys, t.secret)
            answers.append(self.trustee_post("/decryption", {"share": share.to_dict()}))
        return answers

    # ------------------------------------------------------------------ credential authority
    def publish_credentials(self, count: int) -> list[str]:
        pairs = generate_credentials(self.election_id, count)
        self.codes = [code for code, _ in pairs]
        _ok(
            self.client.post(
                self.url("/credentials"),
                json={"credentials": [p.hex() for _, p in pairs]},
                headers=self.headers("credential_authority"),
            )
        )
        return self.codes

    # ------------------------------------------------------------------ voters
    def load_manifest(self) -> dict[str, Any]:
        self.manifest = _ok(self.client.get(self.url("/manifest")))
        return self.manifest

    def make_ballot(self, code: str, choices: Sequence[int]) -> Ballot:
        m = self.manifest or self.load_manifest()
        return make_ballot(
            bytes.fromhex(m["fingerprint"]),
            Point.from_hex(m["manifest"]["joint_key"]),
            derive_credential(code, self.election_id),
            choices,
            m["option_counts"],
        )

    def cast(self, ballot: Ballot | dict[str, Any]) -> Any:
        data = ballot.to_dict() if isinstance(ballot, Ballot) else ballot
        return self.client.post(
            self.url("/ballots"),
            content=json.dumps(data),
            headers={"Content-Type": "application/json"},
        )

    # ------------------------------------------------------------------ all of it
    def setup_open(self, request: dict[str, Any], voters: int) -> None:
        self.create(request)
        self.run_ceremony()
        self.publish_credentials(voters)
        self.organiser("open")
        self.load_manifest()


class LiveServer:
    """A real uvicorn server on 127.0.0.1 in a background thread (tests, benchmarks)."""

    def __init__(self, app: Any, *, access_log: bool = True, log_config: Any = None) -> None:
        import uvicorn

        self.config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=0,
            access_log=access_log,
            log_config=log_config,
            log_level="info",
            lifespan="on",
        )
        self.server = uvicorn.Server(self.config)
        self.thread: threading.Thread | None = None
        self.url = ""

    def __enter__(self) -> LiveServer:
        self.thread = threading.Thread(target=self.server.run, name="ballot-live", daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        if self.thread is not None:
            self.thread.join(timeout=30)
