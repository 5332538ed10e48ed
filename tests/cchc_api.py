"""A whole CCHC year through the HTTP API, shared by the embedded (SQLite) API test and the
production-mode integration test (PostgreSQL + Kafka): set imported from XLSX and published,
units' self-scoring with evidence, head approval, a withdrawal, a supplement request and its one
reply, appraisal by Home Affairs and by the sector agency named for a criterion, reconciliation,
council confirmation, the ranking decision and its scheduled publication, a flag on a criterion.

Per-criterion answers are constructed (``plan_answers``) to reach chosen totals.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import openpyxl
from fastapi.testclient import TestClient

from assessment.domain.cchc import demo
from cchc_builders import demo_content, plan_answers
from helpers import MutableClock, headers
from tree_content import content_tree

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TENANT = "dong-nai"
HA = headers(tenant=TENANT, subject="snv.cchc", role="home_affairs", unit="SNV")
STP = headers(tenant=TENANT, subject="stp.thamdinh", role="sector_reviewer", unit="STP")
CHAIR = headers(tenant=TENANT, subject="ct.ubnd", role="chairman", unit="UBND")
AUDITOR = headers(tenant=TENANT, subject="kt.1", role="auditor", unit=None)
UNITS = {"SA": ("Sở A (dựng cho kiểm thử)", "63"), "SB": ("Sở B (dựng cho kiểm thử)", "66.5")}


def officer(code: str) -> dict[str, Any]:
    return headers(tenant=TENANT, subject=f"{code.lower()}.canbo", role="unit_officer", unit=code)


def head(code: str) -> dict[str, Any]:
    return headers(tenant=TENANT, subject=f"{code.lower()}.gd", role="unit_head", unit=code)


def workbook(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Bộ tiêu chí"
    ws.append(["BỘ TIÊU CHÍ (dựng theo cấu trúc công bố)"])
    ws.append(demo.HEADER)
    for row in rows:
        ws.append(row)
    ps = book.create_sheet("Thông số")
    for _, p in demo.params("so_nganh"):
        ps.append(p)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ok(resp: Any, status: int = 200) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    body: dict[str, Any] = resp.json()
    return body


def run_cycle(
    api: TestClient,
    clock: MutableClock,
    before_publication: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Drive a year; return the ids and figures the callers check further.
    ``before_publication(ids)``: called once the ranking is decided and its publication
    scheduled, before it is published."""
    clock.set("2021-01-04T08:00:00+07:00")
    ids: dict[str, Any] = {}
    for code, (name, _) in {**UNITS, "SNV": ("Sở Nội vụ", ""), "STP": ("Sở Tư pháp", "")}.items():
        unit = ok(
            api.post(
                "/v1/units", json={"code": code, "name": name, "kind": "department"}, headers=HA
            ),
            201,
        )
        ids[code] = unit["id"]
    query = {"year": 2020, "block": "so_nganh", "title": "Bộ tiêu chí CCHC khối sở 2020"}
    # a file whose total is wrong: refused, the row named, nothing stored
    bad = workbook([*demo.ROWS[:-1], ["", "Tổng cộng", "98"]])
    resp = api.post(
        "/v1/cchc/criteria-sets/import",
        params=query,
        content=bad,
        headers={**HA, "content-type": XLSX},
    )
    assert resp.status_code == 422 and resp.headers["content-type"].startswith(
        "application/problem+json"
    )
    problem = resp.json()
    assert problem["code"] == "cchc.sheet_rejected"
    assert problem["errors"][0]["row"] == 2 + len(demo.ROWS)  # title, header, rows
    # a unit officer may not import a set (403 before the file is read)
    resp = api.post(
        "/v1/cchc/criteria-sets/import",
        params=query,
        content=bad,
        headers={**officer("SA"), "content-type": XLSX},
    )
    assert resp.status_code == 403
    good = ok(
        api.post(
            "/v1/cchc/criteria-sets/import",
            params=query,
            content=workbook(demo.ROWS),
            headers={**HA, "content-type": XLSX},
        ),
        201,
    )
    set_id = ids["set"] = good["id"]
    assert ok(api.get(f"/v1/cchc/criteria-sets/{set_id}", headers=AUDITOR))["content"] == (
        demo_content()
    )
    ok(
        api.post(
            f"/v1/cchc/criteria-sets/{set_id}/publication",
            json={
                "decision_number": "123/QĐ-UBND",
                "decision_date": "2020-03-05",
                "signer": "Chủ tịch UBND tỉnh",
            },
            headers=HA,
        )
    )
    resp = api.post(
        f"/v1/cchc/criteria-sets/{set_id}/revisions",
        json={"content": demo_content(), "reason": "sửa"},
        headers=HA,
    )
    assert resp.status_code == 409 and resp.json()["code"] == "cchc.set_published"
    exported = api.get(f"/v1/cchc/criteria-sets/{set_id}/export.xlsx", headers=AUDITOR)
    assert exported.status_code == 200 and exported.headers["content-type"] == XLSX
    ids["export"] = exported.content

    tree = content_tree()
    for code, (_, total) in UNITS.items():
        scoring = ok(
            api.post(
                f"/v1/cchc/criteria-sets/{set_id}/scorings",
                json={
                    "unit_id": ids[code],
                    "year": 2020,
                    "self_deadline": "2021-01-15T17:00:00+07:00",
                },
                headers=HA,
            ),
            201,
        )
        sid = ids[f"scoring:{code}"] = scoring["id"]
        self_answers = plan_answers(tree, Decimal(total) + 2)
        for i, (crit, (answer, _)) in enumerate(self_answers.items()):
            body: dict[str, Any] = {"code": crit, "answer": answer}
            if i % 4:
                body["evidence"] = [{"name": f"{crit}.pdf", "sha256": f"{i:064x}", "size": 10}]
            else:
                body["explanation"] = "Chưa có văn bản; đơn vị tự chấm theo báo cáo năm."
            ok(
                api.post(f"/v1/cchc/scorings/{sid}/self-scores", json=body, headers=officer(code)),
                201,
            )
        ids[f"self:{code}"] = self_answers
    sa, sb = ids["scoring:SA"], ids["scoring:SB"]
    # another unit's officer cannot touch SA's sheet
    resp = api.post(
        f"/v1/cchc/scorings/{sa}/self-scores",
        json={"code": "5", "answer": {"yes": True}, "explanation": "x"},
        headers=officer("SB"),
    )
    assert resp.status_code == 403 and resp.json()["code"] == "auth.outside_assignment"
    # the officer may not approve; the head does
    resp = api.post(
        f"/v1/cchc/scorings/{sa}/approval", json={"summary": "x"}, headers=officer("SA")
    )
    assert resp.status_code == 403
    for code, sid in (("SA", sa), ("SB", sb)):
        ok(
            api.post(
                f"/v1/cchc/scorings/{sid}/approval",
                json={
                    "summary": "Báo cáo tự đánh giá năm 2020",
                    "difficulties": "Thiếu nhân lực",
                    "proposals": "Tập huấn",
                },
                headers=head(code),
            )
        )
        ok(api.post(f"/v1/cchc/scorings/{sid}/submission", headers=officer(code)))
    clock.set("2021-01-10T08:00:00+07:00")
    ok(
        api.post(
            f"/v1/cchc/scorings/{sb}/withdrawal",
            json={"reason": "Bổ sung tài liệu"},
            headers=head("SB"),
        )
    )
    ok(
        api.post(
            f"/v1/cchc/scorings/{sb}/approval",
            json={"summary": "Báo cáo (lần 2)"},
            headers=head("SB"),
        )
    )
    ok(api.post(f"/v1/cchc/scorings/{sb}/submission", headers=head("SB")))

    clock.set("2021-01-18T08:00:00+07:00")
    resp = api.post(
        f"/v1/cchc/scorings/{sa}/appraisals",
        json={"code": "1.1", "answer": {"option": "ban_hanh_dung_han"}},
        headers=STP,
    )
    assert resp.status_code == 403 and resp.json()["code"] == "cchc.appraiser_not_named"
    req = ok(
        api.post(
            f"/v1/cchc/scorings/{sa}/supplement-requests",
            json={
                "codes": ["8"],
                "kind": "supplement",
                "message": "Bổ sung báo cáo rà soát VBQPPL",
                "deadline": "2021-01-22T17:00:00+07:00",
            },
            headers=STP,
        ),
        201,
    )
    assert req["request_id"] == "YC-1"
    reply = {
        "request_id": "YC-1",
        "text": "Đã bổ sung báo cáo rà soát",
        "evidence": [{"name": "ra-soat.pdf", "sha256": "ab" * 32, "size": 99}],
    }
    ok(
        api.post(f"/v1/cchc/scorings/{sa}/supplement-replies", json=reply, headers=officer("SA")),
        201,
    )
    again = api.post(
        f"/v1/cchc/scorings/{sa}/supplement-replies", json=reply, headers=officer("SA")
    )
    assert again.status_code == 409 and again.json()["code"] == "cchc.already_replied"
    for code, (_, total) in UNITS.items():
        sid = ids[f"scoring:{code}"]
        mine = ids[f"self:{code}"]
        for crit, (answer, pts) in plan_answers(tree, Decimal(total)).items():
            who = STP if tree.node(crit).appraisers == ("STP",) else HA
            body = {"code": crit, "answer": answer}
            if pts != mine[crit][1]:
                body["reason"] = "Tài liệu kiểm chứng chưa chứng minh mức tự chấm"
            ok(api.post(f"/v1/cchc/scorings/{sid}/appraisals", json=body, headers=who), 201)
        rec = ok(api.get(f"/v1/cchc/scorings/{sid}/reconciliation", headers=AUDITOR))
        assert all(r["reason"] for r in rec["rows"] if r["difference"] not in (None, "0"))
        ok(
            api.post(
                f"/v1/cchc/scorings/{sid}/reconciliation", json={"note": "Đã đối chiếu"}, headers=HA
            )
        )
        ok(
            api.post(
                f"/v1/cchc/scorings/{sid}/council-confirmation",
                json={"minutes_reference": "BB-01/HĐTĐ", "meeting_date": "2021-01-28"},
                headers=HA,
            )
        )
    ranking = ok(
        api.post(
            f"/v1/cchc/criteria-sets/{set_id}/rankings",
            json={
                "year": 2020,
                "unit_ids": [ids["SA"], ids["SB"]],
                "survey_held": False,
                "decision_number": "456/QĐ-UBND",
                "decision_date": "2021-02-05",
                "signer": "Chủ tịch UBND tỉnh",
            },
            headers=CHAIR,
        ),
        201,
    )
    rid = ids["ranking"] = ranking["id"]
    ok(
        api.post(
            f"/v1/cchc/rankings/{rid}/schedule",
            json={"publish_at": "2021-02-10T08:00:00+07:00"},
            headers=HA,
        )
    )
    early = api.post(f"/v1/cchc/rankings/{rid}/publication", headers=HA)
    assert early.status_code == 409 and early.json()["code"] == "cchc.scoring_order"
    if before_publication is not None:
        before_publication(ids)
    clock.set("2021-02-10T08:00:00+07:00")
    ok(api.post(f"/v1/cchc/rankings/{rid}/publication", headers=HA))
    flag = ok(
        api.post(
            f"/v1/cchc/criteria-sets/{set_id}/flags",
            json={
                "unit_id": ids["SA"],
                "code": "23.2",
                "reasons": "Ít TTHC đủ điều kiện trực tuyến toàn trình",
            },
            headers=officer("SA"),
        ),
        201,
    )
    ok(
        api.post(
            f"/v1/cchc/flags/{flag['id']}/answer",
            json={
                "answer": "Tiếp thu",
                "proposal_kind": "change",
                "proposal": "Tính trên số TTHC đủ điều kiện",
            },
            headers=HA,
        )
    )
    ids["flag"] = flag["id"]
    return ids
