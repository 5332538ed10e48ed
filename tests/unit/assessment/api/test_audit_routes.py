"""History and "as of" over HTTP (embedded store), with tenant isolation."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient

from embedded.app import create_embedded_app
from helpers import TEST_ISSUER, headers


def test_history_and_as_of(tmp_path: Path) -> None:
    with TestClient(create_embedded_app(tmp_path, demo=False, issuer=TEST_ISSUER)) as client:
        unit = client.post(
            "/v1/units",
            json={"code": "SYT", "name": "Sở Y tế", "kind": "department"},
            headers=headers(),
        ).json()
        time.sleep(0.01)
        middle = client.get("/v1/health").json()  # a moment between the two events
        assert middle["status"] == "ok"
        client.post(
            f"/v1/units/{unit['id']}/rename", json={"name": "Sở Y tế tỉnh"}, headers=headers()
        )
        hist = client.get(f"/v1/audit/aggregates/{unit['id']}/history", headers=headers())
        assert hist.status_code == 200
        items = hist.json()["items"]
        assert [i["type"] for i in items] == [
            "assessment.Unit.Registered",
            "assessment.Unit.Renamed",
        ]
        assert items[1]["actor"]["subject"] == "snv.tonghop"
        v1 = client.get(f"/v1/audit/aggregates/{unit['id']}?version=1", headers=headers())
        assert v1.json()["state"]["name"] == "Sở Y tế"
        at = items[0]["occurred_at"]
        by_time = client.get(
            f"/v1/audit/aggregates/{unit['id']}", params={"at": at}, headers=headers()
        )
        assert by_time.json()["version"] == 1
        latest = client.get(f"/v1/audit/aggregates/{unit['id']}", headers=headers())
        assert latest.json()["state"]["name"] == "Sở Y tế tỉnh"
        bad = client.get(f"/v1/audit/aggregates/{unit['id']}?version=9", headers=headers())
        assert bad.status_code == 422
        assert bad.headers["content-type"].startswith("application/problem+json")
        naive = client.get(
            f"/v1/audit/aggregates/{unit['id']}",
            params={"at": "2013-01-01T00:00:00"},
            headers=headers(),
        )
        assert naive.status_code == 422
        other = client.get(
            f"/v1/audit/aggregates/{unit['id']}/history", headers=headers(tenant="quang-tri")
        )
        assert other.status_code == 404
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            cps = client.get("/v1/audit/checkpoints", headers=headers(role="auditor")).json()
            if cps["items"]:
                break
            time.sleep(0.05)
        assert cps["items"] and cps["items"][-1]["count"] >= 1
        assert "head" not in cps  # the live chain head (all tenants' count) is not served
        key = client.get("/v1/audit/public-key", headers=headers(role="auditor")).json()
        assert key["key_id"] == cps["items"][0]["key_id"]


def test_cycle_export_streams_a_verifiable_ndjson(tmp_path: Path) -> None:
    import json

    from shared.audit import load_public_key, verify_export

    with TestClient(create_embedded_app(tmp_path, demo=True, issuer=TEST_ISSUER)) as client:
        cycles = []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not cycles:
            cycles = client.get("/v1/reports/cycles", headers=headers(role="auditor")).json()[
                "items"
            ]
            time.sleep(0.05)
        cycle_id = cycles[0]["id"]
        denied = client.get(
            f"/v1/audit/cycles/{cycle_id}/export", headers=headers(role="unit_officer")
        )
        assert denied.status_code == 403
        foreign = client.get(
            f"/v1/audit/cycles/{cycle_id}/export",
            headers=headers(role="auditor", tenant="quang-tri"),
        )
        assert foreign.status_code == 404
        resp = client.get(f"/v1/audit/cycles/{cycle_id}/export", headers=headers(role="auditor"))
        assert resp.status_code == 200
        assert resp.headers["content-type"].startswith("application/x-ndjson")
        path = tmp_path / "x.ndjson"
        path.write_bytes(resp.content)
    from assessment.adapters.history import read_export

    export = read_export(path)
    assert export.envelopes and export.links
    key = load_public_key(export.header["public_key_pem"].encode())
    report = verify_export(
        export.envelopes, export.links, export.checkpoints, key, set(export.header["aggregate_ids"])
    )
    assert report.ok, report.findings
    assert json.loads(resp.content.splitlines()[0])["tenant"] == "dong-nai"
