"""End to end in embedded mode: an HTTP command shows up on the cycle board."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from embedded.app import create_embedded_app
from helpers import TEST_ISSUER, headers


def wait_for(client: TestClient, url: str, predicate: Any, timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    body: Any = None
    while time.monotonic() < deadline:
        resp = client.get(url, headers=headers(role="auditor"))
        if resp.status_code == 200:
            body = resp.json()
            if predicate(body):
                return body
        time.sleep(0.05)
    raise AssertionError(f"condition not met in {timeout}s; last: {body}")


def test_command_reaches_the_board_through_the_in_process_relay(tmp_path: Path) -> None:
    app = create_embedded_app(tmp_path, demo=False, issuer=TEST_ISSUER)
    with TestClient(app) as client:
        unit = client.post(
            "/v1/units",
            json={"code": "SYT", "name": "Sở Y tế", "kind": "department"},
            headers=headers(),
        ).json()
        cycle = client.post(
            "/v1/cycles",
            json={"year": 2025, "plan_reference": "KH 2025", "unit_ids": [unit["id"]]},
            headers=headers(),
        ).json()
        board_url = f"/v1/reports/cycles/{cycle['id']}/board"
        wait_for(client, board_url, lambda b: b["total"] == 1)
        groups = {
            c: {"results": "r" * 100, "limitations": "l"}
            for c in ("tham_muu", "nhiem_vu", "ky_luat")
        }
        resp = client.post(
            f"/v1/cycles/{cycle['id']}/units/{unit['id']}/self-assessment",
            json={"groups": groups, "proposed_level": "hoan_thanh_tot"},
            headers=headers(role="unit_officer", unit="SYT"),
        )
        assert resp.status_code == 201, resp.text
        board = wait_for(
            client, board_url, lambda b: b["items"][0]["levels"].get("self_assessment")
        )
        row = board["items"][0]
        assert row["unit_name"] == "Sở Y tế"
        assert row["levels"]["self_assessment"] == "hoan_thanh_tot"
        assert row["steps"]["self_assessment"]["status"] in ("on_time", "late")
        other = client.get(board_url, headers=headers(tenant="quang-tri"))
        assert other.status_code == 404


def test_demo_is_served_and_rebuild_gives_the_same_board(tmp_path: Path) -> None:
    from assessment.adapters.history import iter_envelope_batches
    from embedded.app import build_embedded
    from reporting.consumer.rebuild import rebuild_from_envelopes

    app = create_embedded_app(tmp_path, demo=True, issuer=TEST_ISSUER)
    with TestClient(app) as client:
        cycles = wait_for(client, "/v1/reports/cycles", lambda b: b["items"])
        cycle_id = cycles["items"][0]["id"]
        board = wait_for(
            client,
            f"/v1/reports/cycles/{cycle_id}/board?page_size=500",
            lambda b: b["total"] == 7 and any(r["recognised_level"] for r in b["items"]),
        )
        page = client.get("/")
        assert page.status_code == 200 and "Đánh giá kết quả công vụ" in page.text
    recognised = {r["unit_code"]: r["recognised_level"] for r in board["items"]}
    assert recognised["SNV"] == "hoan_thanh_xuat_sac"
    assert recognised["STC"] == "hoan_thanh_tot"
    longkhanh = next(r for r in board["items"] if r["unit_code"] == "UBND-LONGKHANH")
    assert longkhanh["perfunctory"] and "sector_review" in longkhanh["late_steps"]

    import asyncio

    emb = build_embedded(tmp_path)
    try:
        rebuild_from_envelopes(emb.db, iter_envelope_batches(emb.assessment, page=7), "cycle-board")
        asyncio.run(emb.relay.drain())  # nothing left to deliver: position came with the swap
        with emb.db.transaction() as tx:
            from reporting.read_models.cycle_board.board import board_rows

            _, rows, _ = board_rows(tx, "dong-nai", cycle_id, limit=500)
    finally:
        emb.close()
    assert {r["unit_code"]: r["recognised_level"] for r in rows} == recognised
