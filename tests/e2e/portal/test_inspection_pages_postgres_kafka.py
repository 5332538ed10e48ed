"""An inspection through the pages in Chromium on real PostgreSQL and Kafka (``pg_kafka.py``:
the event store in PostgreSQL, the relay → a private topic → the reporting consumer → the read
models' own PostgreSQL database), with the steps of ``test_inspection_pages.py``
(``inspection_steps.py``) and what only real servers show:

* the tenant's working calendar names Friday 08/03/2013 a holiday (set before the import);
* the register is an XLSX of 1,000 work items generated here, each with the status the rules
  give it: handled at 23:59 of its deadline day, or at exactly the minute of a deadline with a
  time, is on time; a minute past the day is late (1 working day); a deadline on the holiday
  moves to Monday 11/03, so handled that Monday is on time. The figures read through the API,
  per person, equal these expected counts (and differ from a calendar without the holiday);
* a malformed register is refused row by row and stores nothing (in the steps);
* the published sampling record is re-verified by the CLI ``inspection-verify-sample`` in a
  subprocess (exit 0) and refused with one file swapped (exit 1);
* while the plan's milestone is overdue, the reporting read model lists it in the province's
  overdue remediation for Home Affairs and for the plan's owner, milestone for milestone as the
  write side; verified done, it is gone and the plan is closed on both sides;
* the finding is on the deputy (``syt.phogiamdoc``); his rater opens his rating page and takes
  the inspection's findings into account by its decision number: the finding is listed there;
* the read models consumed from Kafka equal the write side: per-person figures, the findings,
  the plan's status.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import psycopg
import pytest

from assessment.domain.individual.person import person_id_for
from assessment.domain.individual.rating import rating_id_for
from helpers import headers

from .conftest import Site, demo_loaded
from .inspection_steps import HEADER, NUMBER, PEOPLE, inspection_steps
from .test_signin import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.integration]


@pytest.fixture
def pg_kafka_site(pg_kafka_serve: Any) -> Iterator[Site]:
    """The portal on PostgreSQL + Kafka with the demo loaded (``pg_kafka.py``), once its year
    came through the broker."""
    title = "congvu — inspection pages on PostgreSQL + Kafka (test)"
    with pg_kafka_serve(title=title) as (s, _app):
        s.wait_for(demo_loaded, timeout=180)
        yield s


COUNT = 1_000
HOLIDAY = "2013-03-08"  # a Friday: the tenant's calendar makes it a holiday
HA = headers(subject="snv.tonghop", role="home_affairs", unit="SNV")
TEAM = headers(subject="thanhtra", role="inspector", unit="SNV")
OWNER = headers(subject="syt.thutruong", role="unit_head", unit="SYT")
DEPUTY = "syt.phogiamdoc"
RATING_YEAR = 2026  # the demo's individual ratings


def rows() -> list[tuple[list[str], str]]:
    """The register's rows, each with the status the rules give it."""
    out = []
    for i in range(COUNT):
        deadline, handled, status = "12/03/2013", f"{10 + i % 3:02d}/03/2013 10:00", "on_time"
        if i % 50 == 5:  # deadline on the holiday: moved to Monday 11/03
            deadline, handled = "08/03/2013", "11/03/2013 10:00"
        elif i % 10 == 7:
            handled, status = "13/03/2013 00:01", "late"  # a minute past the deadline day
        elif i % 10 == 8:
            handled = "12/03/2013 23:59"  # the last minute of the deadline day
        elif i % 10 == 9:
            deadline = handled = "12/03/2013 17:00"  # exactly at a deadline with a time
        row = [
            f"{i + 1}/SYT",
            f"Hồ sơ {i + 1}",
            ("Y tế", "Dược")[i % 2],
            PEOPLE[(i // 10) % 2],
            f"0{1 + i % 5}/03/2013 08:00",
            deadline,
            handled,
        ]
        out.append((row, status))
    return out


def xlsx(data: list[tuple[list[str], str]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row, _ in data:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def ok(resp: Any) -> Any:
    assert resp.status_code < 300, resp.text
    return resp.json()


def until(check: Callable[[], Any], what: str, timeout: float = 90) -> Any:
    """The read models catch up asynchronously (relay → Kafka → consumer)."""
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(0.3)
    raise AssertionError(f"{what}: not in the read model after {timeout}s")


def read_model(url: str, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return list(conn.execute(sql, params).fetchall())


def milestones_overdue(plan: dict[str, Any]) -> set[str]:
    return {
        str(mid)
        for mid, m in (plan.get("milestones") or {}).items()
        if not m.get("done_on") and m["due_on"] < time.strftime("%Y-%m-%d")
    }


def test_an_inspection_in_chromium_on_postgres_and_kafka(
    pg_kafka_site: Site,
    reads_url: str,
    open_page: Any,
    check_axe: Any,
    shoot: Any,
    tmp_path: Path,
) -> None:
    site = pg_kafka_site
    ok(site.http.post("/v1/working-calendar", json={"holidays": [HOLIDAY]}, headers=HA))
    data = rows()
    expected = {p: Counter(s for (r, s) in data if r[3] == p) for p in PEOPLE}
    assert all(c["late"] == 50 and c["on_time"] == 450 for c in expected.values())
    seen: dict[str, Any] = {}

    def overdue_raised(plan_url: str) -> None:
        plan_id = plan_url.rsplit("/", 1)[1]
        written = ok(site.http.get(f"/v1/remediation-plans/{plan_id}", headers=HA))
        late = milestones_overdue(written)
        assert late, written  # the milestone of 31/03/2014 is long past

        def listed(h: dict[str, Any]) -> Any:
            body = ok(site.http.get("/v1/reports/remediation/overdue", headers=h))
            mine = [i for i in body["items"] if i["plan_id"] == plan_id]
            return mine and {m["milestone_id"] for m in mine[0]["overdue"]} == late and mine[0]

        for who in (HA, OWNER):  # Home Affairs' list and the owner's
            item = until(lambda who=who: listed(who), "the overdue milestone")
            assert item["owner"] == written["owner"]
        seen["plan_id"] = plan_id

    good = {
        "name": "so-cong-viec.xlsx",
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "buffer": xlsx(data),
    }
    run = inspection_steps(
        site,
        open_page,
        check_axe,
        shoot,
        good=good,
        count=COUNT,
        on_overdue=overdue_raised,
        finding_person=DEPUTY,
    )
    insp, unit = run["inspection_id"], run["unit"]
    assert seen["plan_id"] == run["plan_url"].rsplit("/", 1)[1]

    # ---- the figures at their boundaries, with the tenant's calendar
    figures = ok(
        site.http.get(
            f"/v1/inspections/{insp}/units/{unit}/work-items/figures",
            params={"by": "person"},
            headers=TEAM,
        )
    )
    by_person = {g["key"]["person"]: g for g in figures["groups"]}
    for person, counts in expected.items():
        got = by_person[person]
        assert (got["total"], got["on_time"], got["late"]) == (500, 450, 50), got
        assert got["delay_working_days_total"] == 50  # each late item one working day
        assert got["on_time"] == counts["on_time"]
    # without the holiday the moved deadlines would be late: the calendar really counted
    moved = sum(1 for r, _ in data if r[5] == "08/03/2013")
    assert moved == 20 and moved < 450

    # ---- the CLI re-verifies the published record, and refuses one file swapped
    record = run["record"]
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    cli = [sys.executable, "-m", "assessment.entrypoints.cli.verify_sample"]
    done = subprocess.run(
        [*cli, str(path), "--register-hash", record["register_hash"]],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "HỢP LỆ" in done.stdout and record["seed"] in done.stdout
    swapped = json.loads(json.dumps(record))
    other = next(
        e["file_id"]
        for e in record["register"]
        if e["field"] == "Dược" and e["file_id"] not in record["samples"]["Dược"]
    )
    swapped["samples"]["Dược"][-1] = other
    (tmp_path / "swapped.json").write_text(json.dumps(swapped, ensure_ascii=False), "utf-8")
    refused = subprocess.run(
        [*cli, str(tmp_path / "swapped.json")], capture_output=True, text=True, timeout=60
    )
    assert refused.returncode == 1 and "sampling." in refused.stderr, refused.stderr

    # ---- the finding on the deputy's rating page (his rater takes it into account)
    rid = str(rating_id_for(person_id_for("dong-nai", "SYT-PGD01"), RATING_YEAR))
    w = open_page()
    sign_in(w.page, site.url, "syt.thutruong")
    w.page.goto(site.url + f"/ho-so/ca-nhan/xep-loai/{rid}")
    # listed for the rater without typing anything (the per-person index of inspections)
    # (the demo's own 2026 inspection of Sở Y tế has findings on him too: one form each)
    forms = w.page.locator("form.findings-pending")
    before = forms.count()
    pending = forms.filter(has_text=f"Quyết định kiểm tra {NUMBER}")
    assert pending.count() == 1
    assert "Chậm tham mưu 5 hồ sơ lĩnh vực Dược" in pending.inner_text()
    pending.get_by_role("button", name="Ghi nhận các phát hiện").click()
    w.page.wait_for_url("**xong=acknowledge_findings")
    assert forms.count() == before - 1
    assert forms.filter(has_text=f"Quyết định kiểm tra {NUMBER}").count() == 0
    section = w.page.inner_text("main")
    assert "Chậm tham mưu 5 hồ sơ lĩnh vực Dược" in section
    assert f"Quyết định kiểm tra {NUMBER}" in section
    check_axe(w.page, "xep-loai-phat-hien-pg")
    w.assert_clean()

    # ---- the read models, consumed from Kafka, equal the write side
    def register_row() -> Any:
        found = read_model(
            reads_url,
            "SELECT by_person FROM rm_insp_register WHERE inspection_id = %s",
            (insp,),
        )
        return found and json.loads(found[0][0])

    read = until(register_row, "the register's figures")
    for person in PEOPLE:
        for key in ("total", "on_time", "late", "overdue", "delay_working_days_total"):
            assert read[person][key] == by_person[person][key], (person, key)

    written = ok(site.http.get(f"/v1/inspections/{insp}", headers=HA))
    findings_w = {
        (f.get("finding_id") or fid, f["person"], f["kind"], f["severity"])
        for fid, f in (
            written["findings"].items()
            if isinstance(written["findings"], dict)
            else ((f["finding_id"], f) for f in written["findings"])
        )
    }

    def findings_row() -> Any:
        found = read_model(
            reads_url,
            "SELECT findings FROM rm_insp_inspection WHERE inspection_id = %s",
            (insp,),
        )
        return found and json.loads(found[0][0])

    findings_r = until(findings_row, "the findings")
    assert {(fid, f["person"], f["kind"], f["severity"]) for fid, f in findings_r.items()} == (
        findings_w
    )
    assert {f[1] for f in findings_w} == {DEPUTY}

    plan_id = seen["plan_id"]
    plan_w = ok(site.http.get(f"/v1/remediation-plans/{plan_id}", headers=HA))

    def closed_row() -> Any:
        found = read_model(
            reads_url, "SELECT status FROM rm_remediation_plan WHERE plan_id = %s", (plan_id,)
        )
        return found and found[0][0] == "closed" and found[0][0]

    assert until(closed_row, "the closed plan") == plan_w["status"] == "closed"
    body = ok(site.http.get("/v1/reports/remediation/overdue", headers=HA))
    assert plan_id not in {i["plan_id"] for i in body["items"]}
    assert not milestones_overdue(plan_w)
