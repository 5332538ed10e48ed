"""The unit officer's path at phone width (390 px), in Chromium: sign in, open the
self-assessment, get Vietnamese errors beside the fields (nothing stored), get 413 for a file
over the limit, then submit with real evidence files and read the receipt; the files are
stored by SHA-256 and downloadable, the board (the JSON API) shows the submission."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from .test_signin import follow_nav, sign_in

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n% Bao cao tham muu 2013 cua So Giao duc va Dao tao\n" + b"0" * 2000
CSV = "Đơn vị;Hồ sơ;Đúng hạn\nSGDDT;1245;98,6%\n".encode()


def sgddt(site: Any) -> dict[str, Any]:
    return dict(site.row("SGDDT"))


def test_unit_officer_submits_with_evidence_at_phone_width(
    site: Any, open_page: Any, check_axe: Any, shoot: Any, tmp_path: Path
) -> None:
    assert sgddt(site)["steps"]["self_assessment"]["status"] in ("missing", "overdue")
    w = open_page(width=390, height=844)
    page = w.page
    sign_in(page, site.url, "sgddt.vanthu")
    follow_nav(page, "Tự đánh giá")
    page.wait_for_url("**/ho-so/2013/tu-danh-gia")
    check_axe(page, "tu-danh-gia-390")
    shoot(page, "tu-danh-gia-390")

    # 1. a group without results: the message is beside the field, nothing is stored
    page.fill("[name='tham_muu.results']", "Tham mưu 8/8 đề án được giao.")
    page.select_option("#proposed_level", "hoan_thanh_tot")
    page.click("text=Gửi báo cáo tự đánh giá")
    page.wait_for_selector("#nhiem_vu\\.results-loi")
    assert "Hãy nêu kết quả" in page.inner_text("#nhiem_vu\\.results-loi")
    assert page.get_attribute("[name='nhiem_vu.results']", "aria-invalid") == "true"
    assert page.input_value("[name='tham_muu.results']") == "Tham mưu 8/8 đề án được giao."
    shoot(page, "tu-danh-gia-loi-390")
    assert sgddt(site)["steps"]["self_assessment"]["status"] in ("missing", "overdue")

    # 2. a file over the page's limit: 413, a Vietnamese page, nothing stored
    big = tmp_path / "qua-lon.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * 21_000_000)
    for code in ("nhiem_vu", "ky_luat"):
        page.fill(f"[name='{code}.results']", "Kết quả đạt được của nhóm nội dung này. " * 3)
    page.set_input_files("[name='tham_muu.evidence']", str(big))
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.click("text=Gửi báo cáo tự đánh giá")
    assert posted.value.status == 413
    assert "Dữ liệu gửi lên quá lớn" in page.inner_text("body")
    assert sgddt(site)["steps"]["self_assessment"]["status"] in ("missing", "overdue")

    # 3. the real submission, with evidence
    page.goto(site.url + "/ho-so/2013/tu-danh-gia")
    page.fill("[name='tham_muu.results']", "Tham mưu 8/8 đề án được giao, 7 đề án đúng hạn.")
    page.fill("[name='tham_muu.limitations']", "Một đề án trễ do chờ ý kiến các sở.")
    page.fill("[name='nhiem_vu.results']", "Hoàn thành 1.245 hồ sơ, 98,6% đúng hạn.")
    page.fill("[name='ky_luat.results']", "Không có công chức vi phạm kỷ luật trong năm 2013.")
    pdf, csv = tmp_path / "bao-cao-tham-muu.pdf", tmp_path / "thong-ke.csv"
    pdf.write_bytes(PDF)
    csv.write_bytes(CSV)
    page.set_input_files("[name='tham_muu.evidence']", [str(pdf), str(csv)])
    page.select_option("#proposed_level", "hoan_thanh_tot")
    page.click("text=Gửi báo cáo tự đánh giá")
    page.wait_for_url("**/ho-so/2013/tu-danh-gia?da-nop=1")
    receipt = page.inner_text("#noi-dung")
    assert "Biên nhận" in receipt and "Hoàn thành tốt nhiệm vụ" in receipt
    assert "bao-cao-tham-muu.pdf" in receipt and hashlib.sha256(PDF).hexdigest()[:16] in receipt
    check_axe(page, "tu-danh-gia-bien-nhan-390")
    shoot(page, "tu-danh-gia-bien-nhan-390")
    with page.expect_download() as download:
        page.click("text=bao-cao-tham-muu.pdf")
    assert Path(download.value.path()).read_bytes() == PDF
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 391, width
    w.assert_clean(422, 413)  # the two refusals above, nothing else

    site.wait_for(
        lambda b: any(
            r["unit_code"] == "SGDDT" and r["levels"].get("self_assessment") == "hoan_thanh_tot"
            for r in b["items"]
        )
    )
    # evidence of another unit's file, or an unrecorded hash: not found
    url = site.url + "/ho-so/2013/SNV/minh-chung/" + hashlib.sha256(PDF).hexdigest()
    assert page.request.get(url).status == 404
    assert page.request.get(site.url + "/ho-so/2013/SGDDT/minh-chung/" + "0" * 64).status == 404


def test_a_second_submission_is_refused_with_the_domain_message(site: Any, open_page: Any) -> None:
    w = open_page()
    page = w.page
    sign_in(page, site.url, "snv.vanthu")  # SNV submitted on 05/12/2013 in the demo
    page.goto(site.url + "/ho-so/2013/tu-danh-gia")
    assert "Biên nhận" in page.inner_text("main")
    assert page.locator("text=Gửi báo cáo tự đánh giá").count() == 0
    # a hand-made POST with the token: the domain refuses it and the page says why
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    resp = page.request.post(
        site.url + "/ho-so/2013/tu-danh-gia",
        multipart={
            "csrftoken": token,
            "tham_muu.results": "x" * 50,
            "nhiem_vu.results": "x" * 50,
            "ky_luat.results": "x" * 50,
            "proposed_level": "hoan_thanh",
        },
    )
    assert resp.status == 409
    assert "mở lại" in resp.text()
    no_token = page.request.post(
        site.url + "/ho-so/2013/tu-danh-gia",
        multipart={"tham_muu.results": "x"},
        headers={"Accept": "text/html"},
    )
    assert no_token.status == 403 and "CSRF" in no_token.text()
