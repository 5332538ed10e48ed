"""A 40-person agency rated for 2026 through the HTTP API on PostgreSQL, relayed through Kafka
into the PostgreSQL read model, read back through the reporting API.

Sở NN (SNN, under UBND tỉnh): the director (head), 2 deputies, 30 civil servants (Decree 335,
monthly sheets) and 7 public employees (Decree 90/48 by the tenant default). One civil servant is
disciplined (not completed whatever the score), one was sick 7 months (reviewed, not rated), five
score 95 beside 22 "good" (over the 20 % cap: refused whole, then allowed by the
chairman's override decision). The head is rated after the unit, by the chairman, not above the
unit; the deputies' decision comes after 15/12 (late); one rating is redone."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from agency40_staff import (
    CHAIR,
    EXC,
    GOOD,
    HA,
    HEAD,
    TCCB,
    general_of,
    me,
    ok,
    people,
    problem,
    staff_rows,
    xlsx,
)
from assessment.adapters.relay import ApplicationSource, KafkaTarget, Relay
from assessment.bootstrap import build_application
from assessment.entrypoints.api.app import create_app as create_assessment
from helpers import TEST_ISSUER, headers
from reporting.adapters.db import PostgresDatabase
from reporting.consumer.runner import KafkaBoardConsumer, ensure_schema
from reporting.entrypoints.api.app import create_app as create_reporting
from shared.settings import AssessmentSettings


def _today_vn() -> str:
    """Today in Vietnam, where recognition decisions are dated."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat()


pytestmark = [pytest.mark.integration, pytest.mark.e2e]


def test_an_agency_of_40_rated_through_the_api(
    pg_url: str, kafka_bootstrap: str, kafka_topics: dict[str, str]
) -> None:
    store = build_application(AssessmentSettings(mode="production", database_url=SecretStr(pg_url)))
    db = PostgresDatabase(pg_url)
    ensure_schema(db)
    try:
        api = TestClient(create_assessment(store, verifier=TEST_ISSUER.verifier()))
        count = lambda: store.recorder.max_notification_id() or 0  # noqa: E731
        ok(
            api.post(
                "/v1/units",
                json={"code": "UBND", "name": "UBND tỉnh", "kind": "peoples_committee"},
                headers=HA,
            )
        )
        snn = ok(
            api.post(
                "/v1/units",
                json={
                    "code": "SNN",
                    "name": "Sở Nông nghiệp",
                    "kind": "department",
                    "parent_code": "UBND",
                },
                headers=HA,
            )
        )["id"]
        # ---- the staff list: a bad file refused row by row, nothing stored
        rows = staff_rows()
        bad = [list(r) for r in rows]
        bad[3][2], bad[7][7] = "Hợp đồng", "31/02/2016"
        before = count()
        body = problem(
            api.post(
                "/v1/people/imports/xlsx", headers=TCCB, files={"file": ("ds.xlsx", xlsx(bad))}
            ),
            422,
            "individual.staff_file_invalid",
        )
        assert {(e["row"], e["column"]) for e in body["errors"]} == {
            (5, "Đối tượng"),
            (9, "Ngày bắt đầu công tác"),
        }
        assert count() == before
        problem(
            api.post(
                "/v1/people/imports/xlsx",
                headers=headers(role="personnel", unit="STC"),
                files={"file": ("ds.xlsx", xlsx(rows))},
            ),
            403,
            "auth.outside_assignment",
        )
        imported = ok(
            api.post(
                "/v1/people/imports/xlsx", headers=TCCB, files={"file": ("ds.xlsx", xlsx(rows))}
            )
        )
        pid = {i["code"]: i["id"] for i in imported["items"]}
        assert len(pid) == 40
        # ---- facts of the year
        ok(
            api.post(
                f"/v1/people/{pid['CC06']}/disciplines",
                headers=TCCB,
                json={
                    "violation_id": "VP-2026-1",
                    "track": "administrative",
                    "form": "khien_trach",
                    "decided_on": "2026-06-01",
                    "decision_number": "QĐ-KL 3",
                },
            )
        )
        ok(
            api.post(
                f"/v1/people/{pid['CC07']}/absences",
                headers=TCCB,
                json={
                    "kind": "sick",
                    "start": "2026-01-01",
                    "end": "2026-07-31",
                    "reference": "GCN",
                },
            )
        )
        # ---- Decree 335 monthly sheets for the 33 civil servants
        sheets = []
        for code, cat, _pos, _g in people():
            if cat != "Công chức":
                continue
            general, completed = general_of(code)
            months = range(8, 13) if code == "CC07" else range(1, 13)
            sheets += [
                {
                    "person_code": code,
                    "period": m,
                    "general": general,
                    "products": [{"code": "SP", "assigned": "2", "completed": completed}],
                }
                for m in months
            ]
        ok(api.post("/v1/sheets/imports", headers=TCCB, json={"year": 2026, "sheets": sheets}))
        # ---- the collective result of the unit (seed 001), recognised "good"
        cycle = ok(
            api.post(
                "/v1/cycles",
                headers=HA,
                json={"year": 2026, "plan_reference": "KH 2026", "unit_ids": [snn]},
            )
        )["id"]
        ua = f"/v1/cycles/{cycle}/units/{snn}"
        groups = {
            g: {"results": "r" * 90, "limitations": "l"}
            for g in ("tham_muu", "nhiem_vu", "ky_luat")
        }
        ok(
            api.post(
                f"{ua}/self-assessment",
                headers=headers(role="unit_officer", unit="SNN"),
                json={"groups": groups, "proposed_level": GOOD},
            )
        )
        ok(
            api.post(
                f"{ua}/consolidation",
                headers=HA,
                json={"summary": "Tổng hợp", "proposed_level": GOOD},
            )
        )
        ok(
            api.post(
                f"{ua}/caucus-review",
                headers=headers(role="party_caucus", unit="BCS"),
                json={"comment": "Nhất trí"},
            )
        )
        ok(
            api.post(
                f"{ua}/recognition",
                headers=CHAIR,
                json={
                    "decision_number": "QĐ 1/UBND",
                    # the caucus reviewed it just now (the clock is real): the decision is of today,
                    # neither in the future nor before that review
                    "decision_date": _today_vn(),
                    "signer": "Chủ tịch",
                    "level": GOOD,
                },
            )
        )
        # ---- open every rating, then the procedure for each person
        opened = ok(
            api.post(
                "/v1/ratings/openings",
                headers=TCCB,
                json={"agency_id": "SNN", "year": 2026, "person_codes": list(pid)},
            )
        )
        rid = {code: i["id"] for code, i in zip(pid, opened["items"], strict=True)}
        problem(
            api.post(
                f"/v1/ratings/{rid['CC10']}/self-assessment",
                headers=me("CC11"),
                json={"form": "phieu_diem_335", "content": {"kq": "x"}},
            ),
            403,
            "auth.forbidden",
        )
        for code, cat, _pos, _g in people():
            form = {"Công chức": "phieu_diem_335", "Viên chức": "mau_03"}[cat]
            body = {"form": form, "content": {"ket_qua": f"Kết quả của {code}"}}
            if cat == "Viên chức":
                body["proposed_level"] = EXC if code == "VC0" else GOOD
            ok(api.post(f"/v1/ratings/{rid[code]}/self-assessment", headers=me(code), json=body))
            r = f"/v1/ratings/{rid[code]}"
            ok(
                api.post(
                    f"{r}/meeting",
                    headers=TCCB,
                    json={
                        "minutes_number": "BB-01",
                        "held_on": "2026-12-08",
                        "attendees": 40,
                        "comments": [{"by": "Công đoàn", "text": "Nhất trí"}],
                    },
                )
            )
            ok(api.post(f"{r}/minutes-approval", headers=TCCB, json={"approved_on": "2026-12-08"}))
            ok(
                api.post(
                    f"{r}/party-committee",
                    headers=TCCB,
                    json={"document_number": "NX-01", "comments": "Chi bộ nhất trí"},
                )
            )
            got = ok(api.get(r, headers=TCCB), 200)
            proposed = got["steps"]["self_assessment"]["proposed_level"]
            if code == "CC06":
                proposed = "khong_hoan_thanh"
            if code == "CC07":
                proposed = None
            ok(
                api.post(
                    f"{r}/proposal",
                    headers=TCCB,
                    json={"proposed_level": proposed, "summary": "Tổng hợp ý kiến"},
                )
            )
        # the disciplined official cannot be "good", whatever the score
        problem(
            api.post(
                f"/v1/ratings/{rid['CC06']}/decision",
                headers=HEAD,
                json={"level": GOOD, "decision_number": "QĐ 20", "decided_on": "2026-12-10"},
            ),
            422,
            "individual.level_forced",
        )

        # ---- bulk decision for the staff: 5 excellent of 24 good is over 20 %
        def level_of(code: str) -> str | None:
            if code in ("CC00", "CC01", "CC02", "CC03", "CC04", "VC0"):
                return EXC
            return {"CC05": "hoan_thanh", "CC06": "khong_hoan_thanh", "CC07": None}.get(code, GOOD)

        staff = [c for c, _, pos, _ in people() if pos == "Không"]
        batch = {
            "decision_number": "QĐ 21/SNN",
            "decided_on": "2026-12-10",
            "decisions": [{"rating_id": rid[c], "level": level_of(c)} for c in staff],
        }
        before = count()
        problem(
            api.post("/v1/ratings/decisions", headers=HEAD, json=batch),
            409,
            "individual.excellent_quota_exceeded",
        )
        assert count() == before
        quota = ok(
            api.get(
                "/v1/quotas",
                headers=HEAD,
                params={"agency_id": "SNN", "task_group": "chuyen_vien", "year": 2026},
            ),
            200,
        )
        assert quota["excellent"] == 0 and quota["holders"] == []
        ok(
            api.post(
                "/v1/quotas/overrides",
                headers=CHAIR,
                json={
                    "agency_id": "SNN",
                    "task_group": "chuyen_vien",
                    "year": 2026,
                    "percent": "25",
                    "decision_number": "QĐ 7/UBND",
                    "decided_on": "2026-12-09",
                    "reason": "Đơn vị có thành tích nổi trội, đổi mới sáng tạo",
                },
            )
        )
        decided = ok(api.post("/v1/ratings/decisions", headers=HEAD, json=batch))
        assert len(decided["items"]) == 37 and decided["late"] is False
        quota = ok(
            api.get(
                "/v1/quotas",
                headers=HEAD,
                params={"agency_id": "SNN", "task_group": "chuyen_vien", "year": 2026},
            ),
            200,
        )
        assert (quota["good"], quota["excellent"], quota["allowed"]) == (22, 5, 5)
        # ---- deputies by the head, after 15/12 (late); the head by the chairman, = the unit
        for code in ("PGD1", "PGD2"):
            late = ok(
                api.post(
                    f"/v1/ratings/{rid[code]}/decision",
                    headers=HEAD,
                    json={"level": GOOD, "decision_number": "QĐ 22", "decided_on": "2026-12-17"},
                )
            )
            assert late["late"] is True
        problem(
            api.post(
                f"/v1/ratings/{rid['GD']}/decision",
                headers=HEAD,
                json={"level": GOOD, "decision_number": "QĐ 23", "decided_on": "2026-12-11"},
            ),
            403,
            "auth.outside_assignment",
        )
        ok(
            api.post(
                f"/v1/ratings/{rid['GD']}/decision",
                headers=CHAIR,
                json={"level": GOOD, "decision_number": "QĐ 23/UBND", "decided_on": "2026-12-11"},
            )
        )
        # ---- notice, publication, a redo
        ok(
            api.post(
                f"/v1/ratings/{rid['CC10']}/notice",
                headers=TCCB,
                json={"notified_on": "2026-12-12", "channel": "văn bản"},
            )
        )
        ok(
            api.post(
                f"/v1/ratings/{rid['CC10']}/publication",
                headers=TCCB,
                json={"published_on": "2026-12-12", "channel": "cổng nội bộ"},
            )
        )
        ok(
            api.post(
                f"/v1/ratings/{rid['VC1']}/redo",
                headers=HA,
                json={
                    "reason": "Kiểm tra của Sở Nội vụ: biên bản thiếu chữ ký",
                    "basis": "decree_90_48",
                },
            )
        )
        # ---- reads of a file: by the person (not logged), by another official (refused)
        ok(api.get(f"/v1/people/{pid['CC10']}", headers=me("CC10")), 200)
        problem(
            api.get(f"/v1/people/{pid['CC10']}", headers=me("CC11")),
            403,
            "individual.file_access_denied",
        )
        problem(
            api.get(f"/v1/people/{pid['CC10']}", headers=headers(tenant="quang-tri")),
            404,
            "resource.not_found",
        )

        # ---- relay → Kafka → read model
        async def pipeline() -> None:
            target = KafkaTarget(
                kafka_bootstrap,
                kafka_topics["events"],
                kafka_topics["position"],
                f"r-{uuid.uuid4().hex[:6]}",
            )
            await target.start()
            try:
                await Relay(ApplicationSource(store), target).drain()
            finally:
                await target.stop()
            consumer = KafkaBoardConsumer(
                db,
                kafka_bootstrap,
                kafka_topics["events"],
                f"g-{uuid.uuid4().hex[:6]}",
                kafka_topics["dlq"],
            )
            await consumer.start()
            try:
                await consumer.run_until_caught_up(timeout=120)
            finally:
                await consumer.stop()

        asyncio.run(pipeline())
        reports = TestClient(create_reporting(db, verifier=TEST_ISSUER.verifier()))
        year = ok(
            reports.get(
                "/v1/reports/agencies/SNN/ratings/2026", headers=headers(role="auditor", unit=None)
            ),
            200,
        )
        assert year["rated"] == 40
        assert year["distribution"] == {
            EXC: 5 + 1,  # CC00–CC04 at 95; VC0
            GOOD: 22 + 5 + 3,  # civil servants, public employees (VC1 redone), leaders
            "hoan_thanh": 1,
            "khong_hoan_thanh": 1,
            "not_rated": 1,
            "pending": 1,  # VC1, redone
        }
        quotas = {q["task_group"]: q for q in year["quota"]}
        assert quotas["chuyen_vien"]["percent"] == "25"
        assert (quotas["chuyen_vien"]["good"], quotas["chuyen_vien"]["excellent"]) == (22, 5)
        assert quotas["chuyen_vien"]["override"]["decision_number"] == "QĐ 7/UBND"
        assert (quotas["vien_chuc"]["good"], quotas["vien_chuc"]["excellent"]) == (5, 1)
        assert quotas["lanh_dao"]["good"] == 3
        (head,) = year["heads"]
        assert (head["code"], head["level"], head["unit_level"], head["relation"]) == (
            "GD",
            GOOD,
            GOOD,
            "equal",
        )
        assert sorted(x["code"] for x in year["late"]) == ["PGD1", "PGD2"]
        assert all(x["late_by_days"] == 2 for x in year["late"])
        (redo,) = year["redone"]
        assert redo["code"] == "VC1" and redo["reasons"][0].startswith("Kiểm tra")
        scores = {x["code"]: x["score"] for x in year["late"]}
        assert scores == {"PGD1": "85.00", "PGD2": "85.00"}
        problem(
            reports.get("/v1/reports/agencies/SNN/ratings/2026", headers=me("CC10")),
            403,
            "auth.forbidden",
        )
        history = ok(reports.get(f"/v1/reports/people/{pid['CC06']}/ratings", headers=TCCB), 200)
        (only,) = history["ratings"]
        assert only["level"] == "khong_hoan_thanh" and only["score"] == "80.00"
        problem(
            reports.get(f"/v1/reports/people/{pid['CC06']}/ratings", headers=me("CC10")),
            403,
            "individual.file_access_denied",
        )
        with db.transaction() as tx:
            logged = tx.fetchall(
                "SELECT reader, role FROM rm_ind_reads WHERE person_id = %s", (pid["CC06"],)
            )
        assert logged == [("tccb.snn", "personnel")]
        other = reports.get(
            "/v1/reports/agencies/SNN/ratings/2026",
            headers=headers(tenant="quang-tri", role="auditor"),
        )
        problem(other, 404, "resource.not_found")
    finally:
        store.close()
        db.close()
