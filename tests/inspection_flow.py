"""An inspection end to end through the HTTP API, shared by the SQLite and PostgreSQL tiers.

Tenant ``tra-vinh``; the team head ``snv.truong-doan`` (inspector, Sở Nội vụ) inspects the Sở
Xây dựng (director ``sxd.giam-doc``, deputy ``sxd.pho-giam-doc``). The register has ≥ 1,000
items, among them items at the boundaries: handled at 23:59 on the deadline day (on time),
handled at 00:00 the next day (late), a deadline on a Tết holiday handled on the first working
day after it (on time).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from assessment.domain.inspection import sampling as S
from helpers import MutableClock, headers

TENANT = "tra-vinh"
VN = "+07:00"
HOME = {"tenant": TENANT, "subject": "snv.giam-doc", "role": "home_affairs", "unit": "SNV"}
TEAM = {"tenant": TENANT, "subject": "snv.truong-doan", "role": "inspector", "unit": "SNV"}
MEMBER = {"tenant": TENANT, "subject": "snv.thanh-vien", "role": "inspector", "unit": "SNV"}
HEAD = {"tenant": TENANT, "subject": "sxd.giam-doc", "role": "unit_head", "unit": "SXD"}
DEPUTY = {"tenant": TENANT, "subject": "sxd.pho-giam-doc", "role": "unit_officer", "unit": "SXD"}
TET_2024 = [f"2024-02-{d:02d}" for d in range(8, 15)]
HEADER = [
    "Số, ký hiệu",
    "Trích yếu",
    "Lĩnh vực",
    "Loại",
    "Người xử lý",
    "Ngày đến",
    "Hạn xử lý",
    "Ngày xử lý",
    "Ngày tham mưu",
    "Chuyển cho",
]
FIELDS = ["Xây dựng", "Quy hoạch", "Đất đai"]
SECRETS = {
    "team": hashlib.sha256(b"team secret").digest(),
    "unit": hashlib.sha256(b"unit secret").digest(),
}


def h(who: dict[str, str], **extra: str) -> dict[str, Any]:
    return headers(who["tenant"], who["subject"], who["role"], who["unit"], **extra)


def ok(resp: Any, status: int = 201) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    body: dict[str, Any] = resp.json()
    return body


def register_rows(n: int = 1200) -> list[list[str]]:
    """``n`` ordinary items plus the boundary items (persons ``bien.*``)."""
    rnd = random.Random(11)
    rows = [
        [
            "B-1",
            "Đúng hạn phút cuối",
            "Xây dựng",
            "Văn bản đến",
            "bien.dung-han",
            "01/03/2024 08:00",
            "08/03/2024",
            "08/03/2024 23:59",
            "",
            "",
        ],
        [
            "B-2",
            "Trễ một phút sau nửa đêm",
            "Xây dựng",
            "Văn bản đến",
            "bien.tre-han",
            "01/03/2024 08:00",
            "08/03/2024",
            "09/03/2024 00:00",
            "",
            "",
        ],
        [
            "B-3",
            "Hạn rơi vào Tết",
            "Xây dựng",
            "Văn bản đến",
            "bien.tet",
            "01/02/2024 08:00",
            "10/02/2024",
            "15/02/2024 16:00",
            "",
            "",
        ],
    ]
    people = ["sxd.giam-doc", "sxd.pho-giam-doc"]
    start = datetime(2023, 1, 3, 8, 0)
    for i in range(n):
        received = start + timedelta(hours=7 * i)
        deadline = received.date() + timedelta(days=rnd.randrange(3, 15))
        done = datetime.combine(deadline, datetime.min.time()) + timedelta(
            days=rnd.choice((-2, -1, 0, 0, 1, 3)), hours=10
        )
        done = max(done, received + timedelta(hours=2))
        passed = "sxd.chuyen-vien" if i % 50 == 1 else ""
        rows.append(
            [
                f"{i + 1}/SXD",
                f"Hồ sơ số {i + 1}",
                FIELDS[i % 3],
                "Văn bản đến",
                people[i % 2],
                received.strftime("%d/%m/%Y %H:%M"),
                deadline.strftime("%d/%m/%Y"),
                "" if passed else done.strftime("%d/%m/%Y %H:%M"),
                "",
                passed,
            ]
        )
    return rows


def to_csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADER)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


@dataclass
class Flow:
    api: TestClient
    clock: MutableClock
    tmp: Path
    ids: dict[str, str] = field(default_factory=dict)

    # ---------------------------------------------------------------- set-up
    def setup(self) -> None:
        self.clock.set("2024-03-01T08:00:00+07:00")
        for code, name in (("SNV", "Sở Nội vụ"), ("SXD", "Sở Xây dựng")):
            unit = ok(
                self.api.post(
                    "/v1/units",
                    json={"code": code, "name": name, "kind": "department"},
                    headers=h(HOME),
                )
            )
            self.ids[code] = unit["id"]
        ok(self.api.post("/v1/working-calendar", json={"holidays": TET_2024}, headers=h(HOME)), 200)
        insp = ok(
            self.api.post(
                "/v1/inspections",
                headers=h(HOME),
                json={
                    "decision": {
                        "number": "125/QĐ-UBND",
                        "date": "2024-02-20",
                        "signer": "Lê Văn Hẳn",
                        "legal_basis": "Công văn 5712/UBND-NC ngày 18/12/2023",
                    },
                    "title": "Kiểm tra công vụ năm 2024 tại Sở Xây dựng",
                    "mode": "scheduled",
                    "head": {"subject": TEAM["subject"], "name": "Trần Văn B"},
                    "members": [{"subject": MEMBER["subject"], "name": "Nguyễn Thị C"}],
                },
            )
        )
        self.ids["inspection"] = insp["id"]
        base = f"/v1/inspections/{insp['id']}"
        ok(
            self.api.post(
                base + "/plan",
                headers=h(TEAM),
                json={
                    "scope": "Thời gian xử lý công việc từ tiếp nhận, xử lý đến tham mưu",
                    "period_from": "2023-01-01",
                    "period_to": "2024-03-31",
                    "units": [self.ids["SXD"]],
                    "persons": [
                        {
                            "subject": HEAD["subject"],
                            "name": "Phạm Văn D",
                            "position": "head",
                            "unit_id": self.ids["SXD"],
                        },
                        {
                            "subject": DEPUTY["subject"],
                            "name": "Lê Thị E",
                            "position": "deputy",
                            "unit_id": self.ids["SXD"],
                        },
                    ],
                    "sample_sizes": {self.ids["SXD"]: {"Xây dựng": 5, "Đất đai": 3}},
                },
            ),
            200,
        )
        ok(
            self.api.post(
                base + "/notices",
                headers=h(TEAM),
                json={
                    "unit_id": self.ids["SXD"],
                    "reference": "TB 9/SNV",
                    "visit_on": "2024-03-10",
                },
            )
        )
        self.clock.set("2024-03-10T08:00:00+07:00")
        ok(
            self.api.post(
                base + "/visits",
                headers=h(TEAM),
                json={"unit_id": self.ids["SXD"], "place": "Trụ sở Sở Xây dựng"},
            )
        )

    @property
    def unit_base(self) -> str:
        return f"/v1/inspections/{self.ids['inspection']}/units/{self.ids['SXD']}"

    # ---------------------------------------------------------------- register
    def upload(self, data: bytes, filename: str = "so-cong-viec.csv", **extra: str) -> Any:
        return self.api.post(
            self.unit_base + "/work-items/upload",
            params={"filename": filename},
            content=data,
            headers=h(TEAM, **{"Content-Type": "text/csv", **extra}),
        )

    def import_register(self) -> int:
        rows = register_rows()
        bad = [list(r) for r in rows]
        bad[10][5] = "31/02/2024"  # no such day
        bad[20][2] = ""  # field missing
        bad[30][0] = bad[31][0]  # the same number twice
        refused = self.upload(to_csv(bad))
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        problem = refused.json()
        assert problem["code"] == "request.invalid"
        got = {(e["row"], e["code"]) for e in problem["errors"]}
        assert got == {
            (12, "register.bad_date"),
            (22, "register.required"),
            (33, "register.duplicate_id"),
        }, got
        missing = self.api.get(self.unit_base + "/work-items/figures", headers=h(TEAM))
        assert missing.status_code == 404  # nothing was stored
        answer = ok(self.upload(to_csv(rows), **{"Idempotency-Key": "import-1"}))
        again = ok(self.upload(to_csv(rows), **{"Idempotency-Key": "import-1"}))
        assert again == answer and answer["items"] == len(rows)
        return len(rows)

    def check_figures(self) -> None:
        figs = ok(
            self.api.get(
                self.unit_base + "/work-items/figures",
                params={"by": "person", "as_of": "2024-03-20T12:00:00+07:00"},
                headers=h(TEAM),
            ),
            200,
        )
        by = {g["key"]["person"]: g for g in figs["groups"]}
        assert (by["bien.dung-han"]["on_time"], by["bien.dung-han"]["late"]) == (1, 0)
        assert (by["bien.tre-han"]["on_time"], by["bien.tre-han"]["late"]) == (0, 1)
        assert by["bien.tet"]["on_time"] == 1  # Sat 10/2 (Tết) → Thu 15/2, the first working day
        deputy = by[DEPUTY["subject"]]
        assert deputy["total"] == 600 and deputy["passed_on"] == 24
        assert deputy["on_time"] + deputy["late"] + deputy["overdue"] == deputy["due"]
        assert 0 < deputy["on_time_share"] < 1
        outsider = self.api.get(self.unit_base + "/work-items/figures", headers=h(HEAD))
        assert outsider.status_code == 403  # per-person figures: not for the unit's own head

    # ---------------------------------------------------------------- sampling
    def draw(self) -> dict[str, Any]:
        committed = ok(self.api.post(self.unit_base + "/sample", headers=h(TEAM)))
        params = bytes.fromhex(
            ok(self.api.get(self.unit_base + "/sample", headers=h(HEAD)), 200)["parameters_hash"]
        )
        insp, unit = self.ids["inspection"], self.ids["SXD"]
        for who, party in ((TEAM, "team"), (HEAD, "unit")):
            c = S.commitment(insp, unit, party, params, SECRETS[party]).hex()
            ok(
                self.api.post(
                    self.unit_base + "/sample/commitments", json={"commitment": c}, headers=h(who)
                ),
                200,
            )
        for who, party in ((HEAD, "unit"), (TEAM, "team")):
            ok(
                self.api.post(
                    self.unit_base + "/sample/reveals",
                    json={"value": SECRETS[party].hex()},
                    headers=h(who),
                ),
                200,
            )
        record = ok(self.api.get(self.unit_base + "/sample", headers=h(HEAD)), 200)
        assert record["register_hash"] == committed["register_hash"]
        assert [len(record["samples"][f]) for f in ("Xây dựng", "Đất đai")] == [5, 3]
        return record

    def verify_with_cli(self, record: dict[str, Any]) -> None:
        script = Path(sys.executable).parent / "inspection-verify-sample"
        path = self.tmp / "record.json"

        def run(rec: dict[str, Any], *args: str) -> subprocess.CompletedProcess[str]:
            path.write_text(json.dumps(rec, ensure_ascii=False), "utf-8")
            return subprocess.run(
                [str(script), str(path), *args], capture_output=True, text=True, check=False
            )

        pin = ("--register-hash", record["register_hash"])
        good = run(record, *pin)
        assert good.returncode == 0, good.stderr
        swapped = json.loads(json.dumps(record))
        sample = swapped["samples"]["Xây dựng"]
        other = next(
            e["file_id"]
            for e in swapped["register"]
            if e["field"] == "Xây dựng" and e["file_id"] not in sample
        )
        sample[0] = other
        refused = run(swapped, *pin)
        assert refused.returncode == 1 and "sampling.sample_mismatch" in refused.stderr
        replaced = json.loads(json.dumps(record))
        entry = next(
            e for e in replaced["register"] if e["file_id"] == record["samples"]["Xây dựng"][0]
        )
        entry["title"] = "Hồ sơ đã bị đánh tráo"
        refused = run(replaced, *pin)
        assert refused.returncode == 1 and "sampling.register_mismatch" in refused.stderr
        assert "BỊ TỪ CHỐI" in refused.stderr

    # ---------------------------------------------------------------- findings
    def findings(self, record: dict[str, Any]) -> str:
        base = f"/v1/inspections/{self.ids['inspection']}"
        ok(
            self.api.post(
                base + "/minutes",
                headers=h(TEAM),
                json={
                    "unit_id": self.ids["SXD"],
                    "held_on": "2024-03-10",
                    "place": "Trụ sở Sở Xây dựng",
                    "participants": ["Đoàn kiểm tra", "Lãnh đạo Sở Xây dựng"],
                    "content": "Kiểm tra sổ theo dõi và hồ sơ rút ngẫu nhiên",
                    "signed_by": ["Trần Văn B", "Phạm Văn D"],
                },
            )
        )
        finding = ok(
            self.api.post(
                base + "/findings",
                headers=h(TEAM),
                json={
                    "unit_id": self.ids["SXD"],
                    "person": DEPUTY["subject"],
                    "kind": "late_handling",
                    "severity": "moderate",
                    "description": "Nhiều văn bản xử lý trễ hạn",
                    "file_ids": record["samples"]["Xây dựng"][:2],
                },
            )
        )
        fid = finding["finding_id"]
        wrong = self.api.post(
            base + f"/findings/{fid}/explanation",
            headers=h(HEAD),
            json={"explanation": "Tôi giải trình thay"},
        )
        assert wrong.status_code == 403
        ok(
            self.api.post(
                base + f"/findings/{fid}/explanation",
                headers=h(DEPUTY),
                json={"explanation": "Thiếu biên chế trong quý II"},
            )
        )
        ok(
            self.api.post(
                base + "/conclusion",
                headers=h(TEAM),
                json={
                    "conclusions": "Sở Xây dựng cơ bản hoàn thành; còn chậm ở một số hồ sơ",
                    "proposals": [
                        {
                            "kind": "rating_input",
                            "subject": DEPUTY["subject"],
                            "text": "Xem xét khi đánh giá cuối năm",
                            "finding_ids": [fid],
                        }
                    ],
                },
            )
        )
        ok(
            self.api.post(
                base + "/report",
                headers=h(HOME),
                json={
                    "report_number": "45/BC-SNV",
                    "reported_on": "2024-04-05",
                    "summary": "Báo cáo kết quả kiểm tra công vụ tại Sở Xây dựng",
                },
            )
        )
        file = ok(self.api.get(base, headers=h(TEAM)), 200)
        assert file["status"] == "reported" and file["findings"][fid]["explanation"]
        return fid

    # ---------------------------------------------------------------- remediation
    def remediation(self, finding_id: str) -> str:
        plan = ok(
            self.api.post(
                "/v1/remediation-plans",
                headers=h(TEAM),
                json={
                    "source_kind": "inspection_finding",
                    "inspection_id": self.ids["inspection"],
                    "finding_id": finding_id,
                    "subject_kind": "person",
                    "subject_id": DEPUTY["subject"],
                    "subject_unit_id": self.ids["SXD"],
                    "title": "Khắc phục chậm trễ xử lý văn bản",
                    "owner": DEPUTY["subject"],
                    "follow_up_officer": MEMBER["subject"],
                },
            )
        )
        base = f"/v1/remediation-plans/{plan['id']}"
        sol = ok(
            self.api.post(
                base + "/solutions",
                headers=h(HEAD),
                json={"solution": "Theo dõi hạn xử lý hằng tuần"},
            )
        )["solution_id"]
        mid = ok(
            self.api.post(
                base + "/milestones",
                headers=h(HEAD),
                json={
                    "title": "Rà soát văn bản tồn đọng",
                    "due_on": "2024-05-15",
                    "solution_id": sol,
                },
            )
        )["milestone_id"]
        state = ok(self.api.get(base, params={"as_of": "2024-05-16"}, headers=h(HOME)), 200)
        assert [o["milestone_id"] for o in state["overdue"]] == [mid]
        assert state["overdue"][0]["days_overdue"] == 1
        self.clock.set("2024-05-20T09:00:00+07:00")
        evidence = {"name": "ra-soat.pdf", "sha256": "ab" * 32, "size": 1024}
        ok(
            self.api.post(
                base + f"/milestones/{mid}/progress",
                headers=h(DEPUTY),
                json={"report": "Đã rà soát xong", "evidence": [evidence], "done": True},
            )
        )
        self_check = self.api.post(base + "/verification", headers=h(HOME), json={"accepted": True})
        assert self_check.status_code == 403  # not who raised it (the team did)
        assert self_check.json()["code"] == "remediation.not_the_raiser"
        done = ok(
            self.api.post(
                base + "/verification", headers=h(MEMBER), json={"accepted": True, "remark": "Đạt"}
            )
        )
        assert done["status"] == "closed"
        return str(plan["id"])

    def run(self) -> dict[str, Any]:
        self.setup()
        items = self.import_register()
        self.check_figures()
        record = self.draw()
        self.verify_with_cli(record)
        fid = self.findings(record)
        plan_id = self.remediation(fid)
        return {
            "items": items,
            "record": record,
            "finding_id": fid,
            "plan_id": plan_id,
            "as_of": date(2024, 5, 20),
        }
