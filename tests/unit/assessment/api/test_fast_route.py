"""``CommandRoute``'s direct path answers exactly as FastAPI's own handler does.

The same requests go to two apps: one as served (the direct path taken for well-formed
commands), one with a dependency override, which sends every request to FastAPI's handler.
Status, problem code and answer shape must be the same for every request, good or bad.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assessment.bootstrap import build_application
from assessment.entrypoints.api import fast_route
from assessment.entrypoints.api.app import create_app
from helpers import TEST_ISSUER, MutableClock, headers
from shared.settings import AssessmentSettings


def _client(tmp: Path, clock: MutableClock, slow: bool) -> Iterator[TestClient]:
    app = build_application(
        AssessmentSettings(mode="embedded", sqlite_path=tmp / "a.sqlite"), clock=clock
    )
    api = create_app(app, verifier=TEST_ISSUER.verifier())
    if slow:
        api.dependency_overrides[_client] = lambda: None  # any override: FastAPI's handler
    with TestClient(api) as client:
        yield client
    app.close()


@pytest.fixture
def fast(tmp_path: Path, clock: MutableClock) -> Iterator[TestClient]:
    yield from _client(tmp_path / "fast", clock, slow=False)


@pytest.fixture
def slow(tmp_path: Path, clock: MutableClock) -> Iterator[TestClient]:
    yield from _client(tmp_path / "slow", clock, slow=True)


def _shape(answer: Any) -> tuple[int, Any]:
    body = answer.json()
    if answer.status_code >= 400:
        return answer.status_code, (body.get("code"), answer.headers["content-type"])
    return answer.status_code, sorted(body)


def _script(client: TestClient) -> list[tuple[int, Any]]:
    unit = {"code": "SNV", "name": "Sở Nội vụ", "kind": "department"}
    out = [_shape(client.post("/v1/units", json=unit, headers=headers()))]
    first = client.post(
        "/v1/units",
        json={**unit, "code": "STC"},
        headers=headers(**{"Idempotency-Key": "k-1"}),
    )
    again = client.post(
        "/v1/units",
        json={**unit, "code": "STC"},
        headers=headers(**{"Idempotency-Key": "k-1"}),
    )
    assert first.json() == again.json()  # the idempotent replay
    out += [_shape(first), _shape(again)]
    reused = client.post(
        "/v1/units", json={**unit, "code": "SYT"}, headers=headers(**{"Idempotency-Key": "k-1"})
    )
    out.append(_shape(reused))
    out.append(_shape(client.post("/v1/units", json={**unit, "kind": "?"}, headers=headers())))
    out.append(_shape(client.post("/v1/units", json=[1], headers=headers())))
    out.append(_shape(client.post("/v1/units", content=b"{", headers=headers())))
    out.append(_shape(client.post("/v1/units", content=b"", headers=headers())))
    out.append(_shape(client.post("/v1/units", data={"code": "X"}, headers=headers())))
    out.append(_shape(client.post("/v1/units", json=unit)))  # no token
    out.append(
        _shape(client.post("/v1/units", json=unit, headers=headers(**{"Idempotency-Key": ""})))
    )
    out.append(_shape(client.post("/v1/units", json=unit, headers=headers(role="nobody"))))
    missing = uuid.uuid4()
    rename = {"name": "Tên mới"}
    out.append(_shape(client.post(f"/v1/units/{missing}/rename", json=rename, headers=headers())))
    out.append(_shape(client.post("/v1/units/not-a-uuid/rename", json=rename, headers=headers())))
    return out


def test_the_direct_path_answers_as_fastapi_does(
    fast: TestClient, slow: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken: list[str] = []
    original = fast_route.in_thread

    async def spy(fn: Any, *args: Any) -> Any:
        taken.append(getattr(fn, "__name__", "?"))
        return await original(fn, *args)

    monkeypatch.setattr(fast_route, "in_thread", spy)
    direct = _script(fast)
    assert len(taken) >= 4  # the well-formed commands went the direct way
    taken.clear()
    assert _script(slow) == direct
    assert taken == []  # and none of them with an override
    assert [status for status, _ in direct] == [
        *(201, 201, 201, 422),
        *(422, 422, 422, 422, 422),
        *(401, 400, 403, 404, 422),
    ]
    assert direct[3][1][0] == "request.idempotency_key_reused"
