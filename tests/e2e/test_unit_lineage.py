"""The 2025 reform: a unit merged in 2025 keeps its old name in its 2024 evaluation and is
reported under its successor afterwards (embedded mode, over HTTP)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from embedded.app import create_embedded_app
from helpers import TEST_ISSUER, headers


def _today_vn() -> str:
    """Today in Vietnam, where recognition decisions are dated."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat()


GROUPS = {c: {"results": "r" * 90, "limitations": "l"} for c in ("tham_muu", "nhiem_vu", "ky_luat")}


def wait(client: TestClient, url: str, ok: Any, timeout: float = 10) -> Any:
    end = time.monotonic() + timeout
    body = None
    while time.monotonic() < end:
        resp = client.get(url, headers=headers(role="auditor"))
        if resp.status_code == 200:
            body = resp.json()
            if ok(body):
                return body
        time.sleep(0.05)
    raise AssertionError(f"not reached: {body}")


def test_merged_unit_old_name_in_2024_successor_later(tmp_path: Path) -> None:
    with TestClient(create_embedded_app(tmp_path, demo=False, issuer=TEST_ISSUER)) as client:
        h = headers()

        def post(url: str, body: dict[str, Any], **kw: str) -> dict[str, Any]:
            resp = client.post(url, json=body, headers=headers(**kw) if kw else h)
            assert resp.status_code in (200, 201), resp.text
            return dict(resp.json())

        old = post(
            "/v1/units",
            {
                "code": "STTTT",
                "name": "Sở Thông tin và Truyền thông",
                "kind": "department",
                "valid_from": "2008-04-01",
            },
        )
        new = post(
            "/v1/units",
            {
                "code": "SKHCN",
                "name": "Sở Khoa học và Công nghệ",
                "kind": "department",
                "valid_from": "2008-04-01",
            },
        )
        y2024 = post(
            "/v1/cycles",
            {"year": 2024, "plan_reference": "KH 2024", "unit_ids": [old["id"], new["id"]]},
        )
        for unit, code in ((old, "STTTT"), (new, "SKHCN")):
            post(
                f"/v1/cycles/{y2024['id']}/units/{unit['id']}/self-assessment",
                {"groups": GROUPS, "proposed_level": "hoan_thanh_tot"},
                role="unit_officer",
                unit=code,
            )
            post(
                f"/v1/cycles/{y2024['id']}/units/{unit['id']}/consolidation",
                {"summary": "ok", "proposed_level": "hoan_thanh_tot"},
            )
            post(
                f"/v1/cycles/{y2024['id']}/units/{unit['id']}/caucus-review",
                {"comment": "ok"},
                role="party_caucus",
                unit="UBND-TINH",
            )
            post(
                f"/v1/cycles/{y2024['id']}/units/{unit['id']}/recognition",
                {
                    "decision_number": "12/QĐ-UBND",
                    # the caucus reviewed it just now (the clock is real): the decision is of today,
                    # neither in the future nor before that review
                    "decision_date": _today_vn(),
                    "signer": "Chủ tịch",
                    "level": "hoan_thanh_tot",
                },
                role="chairman",
                unit="UBND-TINH",
            )
        # 1 July 2025: the two departments merge (Decree 150/2025 reorganisation)
        post(
            f"/v1/units/{old['id']}/merger",
            {
                "successor_id": new["id"],
                "effective_date": "2025-07-01",
                "decision_number": "1200/QĐ-UBND",
            },
        )
        post(
            f"/v1/units/{new['id']}/rename",
            {"name": "Sở Khoa học, Công nghệ và Chuyển đổi số", "effective_date": "2025-07-01"},
        )
        # a merged unit cannot be enrolled in a later cycle; its successor is
        refused = client.post(
            "/v1/cycles",
            json={"year": 2026, "plan_reference": "KH 2026", "unit_ids": [old["id"]]},
            headers=h,
        )
        assert refused.status_code == 422, refused.text
        post("/v1/cycles", {"year": 2026, "plan_reference": "KH 2026", "unit_ids": [new["id"]]})

        board = wait(
            client,
            f"/v1/reports/cycles/{y2024['id']}/board",
            lambda b: b["total"] == 2 and all(r["recognised_level"] for r in b["items"]),
        )
        rows = {r["unit_code"]: r for r in board["items"]}
        assert rows["STTTT"]["unit_name"] == "Sở Thông tin và Truyền thông"
        assert rows["SKHCN"]["unit_name"] == "Sở Khoa học và Công nghệ"  # its 2024 name
        wait(client, f"/v1/reports/units/{new['id']}/history", lambda b: b["predecessors"])
        hist = client.get(
            f"/v1/reports/units/{new['id']}/history", headers=headers(role="auditor")
        ).json()
        assert hist["unit"]["name"] == "Sở Khoa học, Công nghệ và Chuyển đổi số"
        assert hist["predecessors"] == [old["id"]]
        by_code = {i["unit_code"]: i for i in hist["items"]}
        assert by_code["STTTT"]["unit_name_then"] == "Sở Thông tin và Truyền thông"
        assert by_code["STTTT"]["successor"]["code"] == "SKHCN"
        assert (
            by_code["STTTT"]["reported_under"]["name"] == "Sở Khoa học, Công nghệ và Chuyển đổi số"
        )
        public = client.get(
            f"/v1/reports/units/{new['id']}/history", headers=headers(role="public")
        )
        assert public.status_code == 403
