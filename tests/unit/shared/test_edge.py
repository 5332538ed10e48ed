"""The HTTP edge: request ids on 500s, body limits, duplicate JSON keys, server timeouts,
and the verifier's refusals in production (fuzzing and operator findings of issue 15)."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from assessment.bootstrap import build_application
from assessment.entrypoints.api.app import create_app
from helpers import TEST_ISSUER, token
from shared import server as server_module
from shared.auth import AuthSettings, DevIssuer, build_verifier
from shared.http import install_problem_handlers
from shared.settings import AssessmentSettings, HttpSettings


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(
        app,
        body_limits={"/v1/big": 64 * 1024},
        settings=HttpSettings(max_body_bytes=2048, body_timeout_seconds=1.0),
    )

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("kaboom")

    @app.post("/v1/echo")
    async def echo(request: Request) -> dict[str, int]:
        return {"bytes": len(await request.body())}

    @app.post("/page")
    async def page(request: Request) -> dict[str, int]:
        return {"bytes": len(await request.body())}

    @app.post("/v1/big")
    async def big(request: Request) -> dict[str, int]:
        return {"bytes": len(await request.body())}

    return app


def test_a_500_carries_the_request_id_in_body_header_and_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = TestClient(_app(), raise_server_exceptions=False)
    with caplog.at_level(logging.ERROR, logger="congvu.http"):
        resp = client.get("/boom")
    assert resp.status_code == 500
    assert resp.headers["content-type"].startswith("application/problem+json")
    rid = resp.headers["x-request-id"]
    body = resp.json()
    assert body["code"] == "internal" and body["request_id"] == rid
    assert body["instance"] == f"urn:request:{rid}" and rid in body["detail"]
    assert any(rid in r.getMessage() and r.exc_info for r in caplog.records)


def test_a_given_request_id_is_echoed() -> None:
    resp = TestClient(_app(), raise_server_exceptions=False).get(
        "/boom", headers={"x-request-id": "abc-123"}
    )
    assert resp.headers["x-request-id"] == "abc-123" and resp.json()["request_id"] == "abc-123"


def test_request_bodies_are_bounded_per_route() -> None:
    client = TestClient(_app())
    assert client.post("/v1/echo", content=b"x" * 2048).json() == {"bytes": 2048}
    resp = client.post("/v1/echo", content=b"x" * 2049)
    assert resp.status_code == 413 and resp.json()["code"] == "request.too_large"
    assert resp.headers["content-type"].startswith("application/problem+json")
    assert client.post("/v1/big", content=b"x" * 60_000).json() == {"bytes": 60_000}
    # pages are bounded by the portal's own middleware, not here
    assert client.post("/page", content=b"x" * 60_000).json() == {"bytes": 60_000}

    def chunks() -> Iterator[bytes]:  # no content-length: counted while streaming
        for _ in range(10):
            yield b"y" * 1000

    resp = client.post("/v1/echo", content=chunks())
    assert resp.status_code == 413


@pytest.fixture
def assessment_client(tmp_path: Path) -> Iterator[TestClient]:
    app = build_application(AssessmentSettings(sqlite_path=tmp_path / "a.sqlite"))
    yield TestClient(create_app(app, verifier=TEST_ISSUER.verifier()))
    app.close()


def test_duplicate_json_keys_are_refused_and_store_nothing(
    assessment_client: TestClient,
) -> None:
    hdrs = {"Authorization": f"Bearer {token()}", "Content-Type": "application/json"}
    body = b'{"code": "SYT", "name": "S\\u1edf Y t\\u1ebf", "kind": "department", "code": "SXD"}'
    resp = assessment_client.post("/v1/units", content=body, headers=hdrs)
    assert resp.status_code == 422, resp.text
    assert resp.json()["code"] == "request.invalid"
    assert resp.json()["errors"][0] == {
        "loc": ["body", "code"],
        "msg": "duplicate key",
        "type": "duplicate_key",
    }
    nested = b'{"code": "SYT", "name": "x", "kind": "department", "extra": {"a": 1, "a": 2}}'
    resp = assessment_client.post("/v1/units", content=nested, headers=hdrs)
    assert resp.json()["errors"][0]["type"] == "duplicate_key"
    store = assessment_client.app.state.assessment  # type: ignore[attr-defined]
    assert not store.recorder.max_notification_id()


# ------------------------------------------------------------------ server timeouts
@pytest.fixture(params=["h11", "httptools"])
def live_server(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    monkeypatch.setenv("CONGVU_HTTP_PARSER", request.param)
    monkeypatch.setenv("CONGVU_HTTP_HEADER_TIMEOUT_SECONDS", "1")
    monkeypatch.setenv("CONGVU_HTTP_BODY_TIMEOUT_SECONDS", "1")
    server_module._settings.cache_clear()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/v1/echo")
    async def echo(request: Request) -> dict[str, int]:
        return {"bytes": len(await request.body())}

    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", **server_module.uvicorn_options()
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield port
    server.should_exit = True
    thread.join(timeout=10)
    server_module._settings.cache_clear()


def _closed_within(sock: socket.socket, seconds: float) -> tuple[bool, bytes]:
    sock.settimeout(seconds)
    data = b""
    try:
        while chunk := sock.recv(4096):
            data += chunk
    except TimeoutError:
        return False, data
    return True, data


def test_idle_and_half_sent_connections_are_closed(live_server: int) -> None:
    with socket.create_connection(("127.0.0.1", live_server)) as idle:
        closed, _ = _closed_within(idle, 5)
        assert closed, "an idle connection that never sends a request must be closed"
    with socket.create_connection(("127.0.0.1", live_server)) as half:
        half.sendall(b"POST /v1/echo HTTP/1.1\r\nHost: x\r\n")  # head never finished
        closed, _ = _closed_within(half, 5)
        assert closed, "a half-sent request head must be closed"
    with socket.create_connection(("127.0.0.1", live_server)) as slow:
        slow.sendall(
            b"POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + b"x" * 10
        )
        closed, data = _closed_within(slow, 5)
        assert b" 408 " in data.split(b"\r\n", 1)[0], data[:200]
        assert b"request.timeout" in data


def test_a_head_over_16_kib_is_refused_and_a_large_body_is_not(live_server: int) -> None:
    with socket.create_connection(("127.0.0.1", live_server)) as big:
        # 20 × 1 KiB headers in one write, never the blank line that ends a head
        big.sendall(
            b"POST /v1/echo HTTP/1.1\r\nHost: x\r\n"
            + b"".join(b"X-Filler-%d: " % n + b"a" * 1000 + b"\r\n" for n in range(20))
        )
        closed, data = _closed_within(big, 5)
        assert closed and data.startswith(b"HTTP/1.1 4"), data[:200]
    body = b"x" * 40_000  # a whole request in one write: the head is small, the body is not
    with socket.create_connection(("127.0.0.1", live_server)) as ok:
        ok.sendall(
            b"POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
        )
        ok.settimeout(5)
        answer = ok.recv(4096)
        assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
        assert b'{"bytes":40000}' in answer


def test_the_parser_is_chosen_by_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    server_module._settings.cache_clear()
    try:
        monkeypatch.setenv("CONGVU_HTTP_PARSER", "httptools")
        chosen = server_module.uvicorn_options()
        assert chosen["http"].__name__ == "GuardedHttpToolsProtocol"
        assert chosen["loop"] == "uvloop"
        server_module._settings.cache_clear()
        monkeypatch.setenv("CONGVU_HTTP_PARSER", "h11")
        assert server_module.uvicorn_options()["http"] is server_module.GuardedH11Protocol
        server_module._settings.cache_clear()
        monkeypatch.setenv("CONGVU_HTTP_PARSER", "picohttp")
        with pytest.raises(ValueError):
            server_module.uvicorn_options()
    finally:
        server_module._settings.cache_clear()


# ------------------------------------------------------------------ verifier settings
def test_production_refuses_the_development_issuer(tmp_path: Path) -> None:
    key = tmp_path / "dev.pem"
    DevIssuer.from_file(key)
    with pytest.raises(ValueError, match="JWKS"):
        build_verifier(AuthSettings(dev_key_file=key), production=True)
    with pytest.raises(ValueError, match="development issuer"):
        build_verifier(AuthSettings(jwks_url="https://idp.example/jwks"), production=True)
    # explicit opt-in (benchmarks) and embedded mode still work
    assert build_verifier(AuthSettings(dev_key_file=key, allow_dev_issuer=True), production=True)
    assert build_verifier(AuthSettings(dev_key_file=key), production=False)


def test_production_mode_is_read_from_the_service_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = tmp_path / "dev.pem"
    DevIssuer.from_file(key)
    monkeypatch.setenv("REPORTING_MODE", "production")
    with pytest.raises(ValueError):
        build_verifier(AuthSettings(dev_key_file=key))


def test_a_missing_dev_key_file_is_an_error_not_a_new_key(tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "dev.pem"
    with pytest.raises(FileNotFoundError):
        build_verifier(AuthSettings(dev_key_file=missing), production=False)
    assert not missing.exists() and not missing.parent.exists()
