"""The steps of the CCHC pages in Chromium, shared by the embedded site
(``test_cchc_pages.py``) and the PostgreSQL + Kafka site (``test_cchc_pages_postgres_kafka.py``).
``site`` is a ``conftest.Site``: its ``url`` serves the pages, its ``http`` the JSON API.

On the demo (seed 004), axe-core on every page.

1. Home Affairs: the list of criteria sets, the demo set's tree, its XLSX export; an import of a
   bad file (a component's maximum no longer adds up): the rows named, nothing stored; the good
   file imported as the next year's draft; a bad cell in the row editor and a publication
   without its decision number: the Vietnamese message beside the field, nothing changed; then
   published.
2. The cycle on the demo set (2020, departments): the head of SYT self-scores a component with
   an evidence file, flags a criterion, approves and submits; Home Affairs appraises it with
   another score and its reason and asks a supplement; the unit replies with a file; Home Affairs
   closes the reconciliation, the council confirms, the ranking is decided and published; the
   ranking page shows rank, index, per-field sub-indices and the chart (SVG rendered by the
   server), and its CSV.
The criteria the test does not click through are scored over the JSON API with the same
commands (the demo set has dozens of components).
"""

from __future__ import annotations

import hashlib
import io
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl

from assessment.domain.cchc.criteria_set import criteria_set_id_for
from assessment.domain.cchc.scoring import scoring_id_for
from assessment.domain.registry.unit import unit_id_for
from helpers import headers

from .test_signin import follow_nav, sign_in

TENANT = "dong-nai"
HA = headers(subject="snv.tonghop", role="home_affairs", unit="SNV")
SYT_HEAD = headers(subject="syt.thutruong", role="unit_head", unit="SYT")
DEMO_SET = criteria_set_id_for(TENANT, 2020, "so_nganh", 1)
PDF = b"%PDF-1.4\n% Bao cao CCHC 2020 cua So Y te: ke hoach CCHC ban hanh dung han\n" + b"0" * 800


def scoring(code: str) -> str:
    return str(scoring_id_for(TENANT, 2020, unit_id_for(TENANT, code)))


def best(rule: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    kind = rule["kind"]
    if kind == "options":
        return {"option": rule["options"][0]["code"]}
    if kind == "yes_no":
        return {"yes": True}
    if kind == "percent":
        return {"percent": "100"}
    if kind == "number":
        return {"value": "0"}
    return {"points": node["max_points"]}


def ok(resp: Any) -> dict[str, Any]:
    assert resp.status_code < 300, resp.text
    body: dict[str, Any] = resp.json()
    return body


def leaves(site: Any) -> list[dict[str, Any]]:
    content = ok(site.http.get(f"/v1/cchc/criteria-sets/{DEMO_SET}", headers=HA))["content"]
    return [n for n in content["nodes"] if n.get("method") == "appraisal"]


def status_of(site: Any, code: str) -> dict[str, Any]:
    return ok(site.http.get(f"/v1/cchc/scorings/{scoring(code)}", headers=HA))


def reload_until(page: Any, text: str, timeout: float = 60) -> None:
    """The read model catches up asynchronously: reload until the page shows ``text``."""
    deadline = time.monotonic() + timeout
    while text not in page.inner_text("main"):
        assert time.monotonic() < deadline, f"{text!r} not on {page.url}"
        time.sleep(0.2)
        page.reload()


def set_steps(site: Any, open_page: Any, check_axe: Any, shoot: Any, tmp_path: Path) -> None:
    w = open_page()
    page = w.page
    sign_in(page, site.url, "snv.tonghop")
    follow_nav(page, "Bộ tiêu chí CCHC")
    page.wait_for_url("**/cchc/bo-tieu-chi")
    reload_until(page, "(mẫu)")
    check_axe(page, "cchc-bo-tieu-chi")
    shoot(page, "cchc-bo-tieu-chi")
    page.click("text=Bộ tiêu chí xác định Chỉ số CCHC khối sở, ban, ngành (mẫu)")
    page.wait_for_url(f"**/ho-so/cchc/bo-tieu-chi/{DEMO_SET}")
    tree = page.inner_text("main")
    assert "Đã ban hành" in tree and "DEMO-01/QĐ-UBND" in tree and "Tổng cộng" in tree
    check_axe(page, "cchc-bo-tieu-chi-cay")
    shoot(page, "cchc-bo-tieu-chi-cay")
    with page.expect_download() as download:
        page.click("text=Tải bộ tiêu chí (XLSX)")
    exported = Path(download.value.path()).read_bytes()
    book = openpyxl.load_workbook(io.BytesIO(exported))
    assert "Bộ tiêu chí" in book.sheetnames

    # a bad file: the first component's maximum raised by 1; its criterion no longer adds up
    ws = book["Bộ tiêu chí"]
    bad_row = next(r for r in range(1, ws.max_row + 1) if "." in str(ws.cell(r, 1).value or ""))
    ws.cell(bad_row, 3).value = float(Decimal(str(ws.cell(bad_row, 3).value)) + 1)
    bad = tmp_path / "bo-tieu-chi-sai.xlsx"
    book.save(bad)
    good = tmp_path / "bo-tieu-chi.xlsx"
    good.write_bytes(exported)
    page.goto(site.url + "/ho-so/cchc/bo-tieu-chi/nhap")
    page.fill("#year", "2021")
    page.fill("#block", "so_nganh")
    page.fill("#title", "Bộ tiêu chí CCHC khối sở 2021 (nhập từ XLSX)")
    page.set_input_files("#file", str(bad))
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.click("button:has-text('Nhập bộ tiêu chí')")
    assert posted.value.status == 422
    report = page.inner_text("main")
    assert "không có gì được lưu" in report and "Lỗi theo dòng" in report
    check_axe(page, "cchc-nhap-loi")
    shoot(page, "cchc-nhap-loi")
    new_id = criteria_set_id_for(TENANT, 2021, "so_nganh", 1)
    assert site.http.get(f"/v1/cchc/criteria-sets/{new_id}", headers=HA).status_code == 404

    page.set_input_files("#file", str(good))
    page.click("button:has-text('Nhập bộ tiêu chí')")
    page.wait_for_url(f"**/ho-so/cchc/bo-tieu-chi/{new_id}?xong=nhap")
    assert "Bản nháp" in page.inner_text("main")
    check_axe(page, "cchc-bo-tieu-chi-nhap")
    before = ok(site.http.get(f"/v1/cchc/criteria-sets/{new_id}", headers=HA))

    # the row editor: a maximum that is not a number → the message beside that cell
    cell = page.locator("input[name$='.max_points']").nth(1)
    name = cell.get_attribute("name")
    cell.fill("mười")
    page.fill("#reason", "Sửa điểm tối đa")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.click("button:has-text('Lưu bản nháp')")
    assert posted.value.status == 422
    beside = page.locator(f"[id='{name}-loi']")
    assert beside.is_visible()
    assert page.get_attribute(f"[name='{name}']", "aria-invalid") == "true"
    check_axe(page, "cchc-bo-tieu-chi-sua-loi")
    shoot(page, "cchc-bo-tieu-chi-sua-loi")
    after = ok(site.http.get(f"/v1/cchc/criteria-sets/{new_id}", headers=HA))
    assert after["version"] == before["version"] and after["content"] == before["content"]

    # publication without its decision number: beside the field, still a draft
    page.goto(site.url + f"/ho-so/cchc/bo-tieu-chi/{new_id}")
    page.fill("#decision_date", "05/01/2021")
    page.fill("#signer", "Chủ tịch UBND tỉnh")
    page.click("button:has-text('Ban hành')")
    page.wait_for_selector("#decision_number-loi")
    assert "bắt buộc" in page.inner_text("#decision_number-loi")
    assert ok(site.http.get(f"/v1/cchc/criteria-sets/{new_id}", headers=HA))["publication"] is None
    page.fill("#decision_number", "12/QĐ-UBND")
    page.click("button:has-text('Ban hành')")
    page.wait_for_url(f"**/ho-so/cchc/bo-tieu-chi/{new_id}?xong=ban-hanh")
    assert "12/QĐ-UBND" in page.inner_text("main")
    published = ok(site.http.get(f"/v1/cchc/criteria-sets/{new_id}", headers=HA))
    assert published["publication"]["decision_number"] == "12/QĐ-UBND"
    assert published["content"] == before["content"]
    w.assert_clean(422)


def cycle_steps(site: Any, open_page: Any, check_axe: Any, shoot: Any, tmp_path: Path) -> None:
    nodes = leaves(site)
    first, others = nodes[0], nodes[1:]
    syt = scoring("SYT")
    for node in others:  # the components not clicked through, over the API
        body = {"code": node["code"], "answer": best(node["rule"], node), "explanation": "x"}
        ok(site.http.post(f"/v1/cchc/scorings/{syt}/self-scores", json=body, headers=SYT_HEAD))

    # 1. the unit: its sheet, one component with an evidence file, a flag, approval, submission
    w = open_page()
    page = w.page
    sign_in(page, site.url, "syt.thutruong")
    follow_nav(page, "Chấm điểm CCHC")
    page.wait_for_url("**/ho-so/cchc/2020/cham-diem")
    page.goto(site.url + "/viec-can-lam")  # "Việc cần làm" names the step and links the sheet
    page.click("text=Tự chấm điểm CCHC, phê duyệt báo cáo")
    page.wait_for_url("**/ho-so/cchc/2020/cham-diem")
    check_axe(page, "cchc-tu-cham")
    shoot(page, "cchc-tu-cham")
    code = first["code"]
    assert first["rule"]["kind"] == "options", first
    section = page.locator(f"[id='tc-{code}']")
    assert first["title"] in section.inner_text()
    top = first["rule"]["options"][0]
    section.locator("select").select_option(top["code"])
    pdf = tmp_path / "ke-hoach-cchc-2020.pdf"
    pdf.write_bytes(PDF)
    section.locator("input[type=file]").set_input_files(str(pdf))
    section.locator("button:has-text('Lưu điểm tự chấm')").click()
    page.wait_for_url(f"**/ho-so/cchc/2020/cham-diem?xong=tu-cham#tc-{code}")
    mine = status_of(site, "SYT")["self_scores"][code]
    assert Decimal(mine["points"]) == Decimal(top["points"])
    assert mine["evidence"][0]["sha256"] == hashlib.sha256(PDF).hexdigest()
    section = page.locator(f"[id='tc-{code}']")
    assert "ke-hoach-cchc-2020.pdf" in section.inner_text()

    flagged = others[0]["code"]
    flag = page.locator(f"[id='tc-{flagged}']")
    flag.locator("summary").click()
    flag.locator("textarea[name=reasons]").fill("Tiêu chí trùng với tiêu chí khác của lĩnh vực.")
    flag.locator("button:has-text('Gửi phản ánh')").click()
    page.wait_for_url(f"**/ho-so/cchc/2020/cham-diem?xong=phan-anh#tc-{flagged}")

    page.fill("[id='phe-duyet.summary']", "Báo cáo tự chấm điểm CCHC năm 2020 của Sở Y tế.")
    page.click("button:has-text('Phê duyệt báo cáo')")
    page.wait_for_url("**/ho-so/cchc/2020/cham-diem?xong=phe-duyet")
    page.click("button:has-text('Gửi báo cáo tự chấm')")
    page.wait_for_url("**/ho-so/cchc/2020/cham-diem?xong=gui")
    assert status_of(site, "SYT")["status"] == "submitted"
    check_axe(page, "cchc-tu-cham-da-gui")

    # 2. the appraiser: queue, another score with its reason, a supplement request
    h = open_page()
    hp = h.page
    sign_in(hp, site.url, "snv.tonghop")
    follow_nav(hp, "Thẩm định CCHC")
    hp.wait_for_url("**/cchc/tham-dinh")
    reload_until(hp, "Đã gửi")
    check_axe(hp, "cchc-hang-cho")
    shoot(hp, "cchc-hang-cho")
    hp.click("text=Thẩm định SYT")
    hp.wait_for_url("**/ho-so/cchc/2020/SYT/tham-dinh")
    check_axe(hp, "cchc-tham-dinh")
    row = hp.locator(f"[id='tc-{code}']")
    lower = first["rule"]["options"][1]
    row.locator("select").select_option(lower["code"])
    row.locator("button").click()  # no reason although the score differs: refused beside it
    hp.wait_for_selector(f"[id='{code}.form-loi']")
    assert "lý do" in hp.inner_text(f"[id='{code}.form-loi']")
    assert code not in status_of(site, "SYT")["appraised"]
    row = hp.locator(f"[id='tc-{code}']")
    row.locator("select").select_option(lower["code"])
    row.locator("input[name=reason]").fill("Kế hoạch ban hành sau thời hạn quy định.")
    row.locator("button").click()
    hp.wait_for_url("**/ho-so/cchc/2020/SYT/tham-dinh?xong=appraise_criterion")
    assert status_of(site, "SYT")["appraised"][code]["points"] == lower["points"]
    hp.check(f"input[name=codes][value='{code}']")
    hp.select_option("[id='yc.kind']", "supplement")
    hp.fill("[id='yc.message']", "Đề nghị gửi quyết định ban hành kế hoạch CCHC 2020.")
    hp.fill("[id='yc.deadline']", "31/12/2099")
    hp.click("button:has-text('Gửi yêu cầu')")
    hp.wait_for_url("**/ho-so/cchc/2020/SYT/tham-dinh?xong=request_supplement")
    assert "YC-1" in status_of(site, "SYT")["requests"]
    shoot(hp, "cchc-tham-dinh-yeu-cau")

    # the other components over the API (the same score as the unit's: no reason needed)
    for unit in ("SYT", "SNV"):
        sid = scoring(unit)
        got = status_of(site, unit)["self_scores"]
        for node in nodes:
            if unit == "SYT" and node["code"] == code:
                continue
            body = {"code": node["code"], "answer": got[node["code"]]["answer"]}
            ok(site.http.post(f"/v1/cchc/scorings/{sid}/appraisals", json=body, headers=HA))
    snv = scoring("SNV")
    ok(site.http.post(f"/v1/cchc/scorings/{snv}/reconciliation", json={}, headers=HA))
    body = {"minutes_reference": "BB-01/HĐTĐ", "meeting_date": "2021-02-01"}
    ok(site.http.post(f"/v1/cchc/scorings/{snv}/council-confirmation", json=body, headers=HA))

    # 3. the unit replies once, with a file
    page.goto(site.url + "/ho-so/cchc/2020/cham-diem")
    page.fill("[id='YC-1.text']", "Gửi kèm Quyết định số 15/QĐ-SYT ban hành kế hoạch CCHC.")
    reply = tmp_path / "quyet-dinh-15.pdf"
    reply.write_bytes(PDF + b"15")
    page.set_input_files("[id='YC-1.evidence']", str(reply))
    page.click("button:has-text('Gửi trả lời')")
    page.wait_for_url("**/ho-so/cchc/2020/cham-diem?xong=tra-loi")
    assert status_of(site, "SYT")["requests"]["YC-1"]["reply"]["text"].startswith("Gửi kèm")
    check_axe(page, "cchc-tra-loi")
    w.assert_clean()

    # 4. reconciliation and the council
    hp.goto(site.url + "/ho-so/cchc/2020/SYT/tham-dinh")
    assert "quyet-dinh-15.pdf" in hp.inner_text("main")
    hp.fill("[id='dc.note']", "Chênh lệch ở tiêu chí kế hoạch: ban hành trễ hạn.")
    hp.click("button:has-text('Chốt đối chiếu')")
    hp.wait_for_url("**/ho-so/cchc/2020/SYT/tham-dinh?xong=close_reconciliation")
    hp.goto(site.url + "/ho-so/cchc/2020/SYT/hoi-dong")
    check_axe(hp, "cchc-hoi-dong")
    hp.fill("[id='hd.minutes_reference']", "BB-02/HĐTĐ")
    hp.fill("[id='hd.meeting_date']", "01/02/2021")
    hp.click("button:has-text('Xác nhận kết quả')")
    hp.wait_for_url("**/ho-so/cchc/2020/SYT/hoi-dong?xong=confirm_by_council")
    assert status_of(site, "SYT")["status"] == "confirmed"
    shoot(hp, "cchc-hoi-dong")

    # 5. the ranking decision, its publication, the ranking page with its chart
    hp.goto(site.url + f"/ho-so/cchc/2020/xep-hang/{DEMO_SET}?don-vi=SNV,SYT")
    check_axe(hp, "cchc-quyet-dinh-xep-hang")
    hp.fill("#decision_number", "250/QĐ-UBND")
    hp.fill("#decision_date", "15/02/2021")
    hp.fill("#signer", "Chủ tịch UBND tỉnh")
    hp.click("button:has-text('Quyết định xếp hạng')")
    hp.wait_for_url(f"**/ho-so/cchc/2020/xep-hang/{DEMO_SET}?xong=quyet-dinh")
    hp.click("button:has-text('Công bố xếp hạng')")
    hp.wait_for_url(f"**/ho-so/cchc/2020/xep-hang/{DEMO_SET}?xong=cong-bo")
    follow_nav(hp, "Chỉ số CCHC")
    hp.wait_for_url("**/cchc/xep-hang")
    reload_until(hp, "250/QĐ-UBND")
    table = hp.inner_text("table")
    assert "Sở Nội vụ" in table and "Sở Y tế" in table
    rows = hp.locator("tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("th").inner_text().startswith("Sở Nội vụ")  # SYT lost points
    assert rows.nth(0).locator("td").first.inner_text().startswith("1")
    assert hp.locator("figure.chart svg").count() == 1
    assert "Đã công bố" in hp.inner_text("main")
    check_axe(hp, "cchc-xep-hang")
    shoot(hp, "cchc-xep-hang")
    with hp.expect_download() as download:
        hp.click("text=Tải CSV")
    csv_text = Path(download.value.path()).read_bytes().decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("Hạng,Đơn vị,Chỉ số")
    assert "Sở Y tế" in csv_text
    h.assert_clean(422)  # the appraisal without its reason, provoked above
