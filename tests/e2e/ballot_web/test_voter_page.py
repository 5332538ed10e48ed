"""The voter page in headless Chromium against a real uvicorn server (SQLite).

A 2-of-3 key ceremony and the credential authority's codes (the service's own harness), then
voters cast REAL ballots through the form: the browser derives the key, encrypts, proves and
signs with the bundled libsodium. Checked: the fingerprint shown equals the manifest's; every
tracker shown is on the public board (and counted; a re-vote supersedes the earlier ballot);
bad codes, a missing choice and a cast outside the window show Vietnamese errors and store
nothing; one voter uses only the keyboard; no cookie, no console error, no CSP violation.
Finally the organiser closes, two trustees decrypt, and the counts equal the clicks.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from ballot.bootstrap import BallotModule, build_ballot
from ballot.config import BallotSettings
from ballot.crypto import generate_credentials
from ballot.entrypoints.api.app import create_app
from ballot.entrypoints.web import CSP, include_voter_page
from ballot.harness import ElectionDriver, LiveServer, Trustee, dump_tables, election_request
from helpers import TEST_ISSUER, headers

pytestmark = pytest.mark.e2e

TENANT = "quang-tri"
PERSONS = (("Nguyễn Văn An", "Giám đốc Sở"), ("Trần Thị Bình", "Phó Giám đốc Sở"))
LEVELS = ("Tín nhiệm cao", "Tín nhiệm", "Tín nhiệm thấp")
BLANK = "Không đánh giá"


def role_headers(role: str) -> dict[str, str]:
    return headers(tenant=TENANT, subject=f"{role}.1", role=role, unit="SNV")


@dataclass
class Site:
    url: str
    module: BallotModule
    http: httpx.Client
    driver: ElectionDriver

    @property
    def page_url(self) -> str:
        return f"{self.url}/bo-phieu/{self.driver.election_id}"


@pytest.fixture
def site(tmp_path: Path, voter_bundle: Path) -> Iterator[Site]:
    module = build_ballot(
        BallotSettings(
            mode="embedded",
            sqlite_path=tmp_path / "ballot.sqlite",
            board_key_file=tmp_path / "board.pem",
            checkpoint_every=4,
        )
    )
    app = create_app(module, verifier=TEST_ISSUER.verifier())
    include_voter_page(app, bundle=voter_bundle)
    try:
        with (
            LiveServer(app, access_log=False) as server,
            httpx.Client(base_url=server.url, timeout=30) as http,
        ):
            driver = ElectionDriver(http, role_headers, [Trustee.generate(i) for i in (1, 2, 3)])
            driver.setup_open(
                election_request(
                    driver.trustees,
                    summoned=7,
                    threshold=2,
                    min_ballots=3,
                    opens_at=datetime.now(UTC) - timedelta(minutes=1),
                    persons=PERSONS,
                    unit="SNV",
                    title="Lấy phiếu tín nhiệm lãnh đạo Sở Nội vụ năm 2026",
                ),
                voters=7,
            )
            yield Site(server.url, module, http, driver)
    finally:
        module.close()


class Watch:
    """Console errors, failed requests and CSP violations seen by the page."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        page.on(
            "console",
            lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None,
        )
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))


def open_page(context: Any, url: str) -> tuple[Any, Watch]:
    page = context.new_page()
    watch = Watch(page)
    page.goto(url)
    page.wait_for_selector("html[data-crypto-ready='yes']", timeout=15_000)
    return page, watch


def fieldset(page: Any, index: int) -> Any:
    return page.locator(f"fieldset#q{index}")


def choose(page: Any, choices: tuple[int, ...]) -> None:
    """Click the label of each chosen level, as a voter would."""
    for q, choice in enumerate(choices):
        option = fieldset(page, q).locator("label.muc").nth(choice)
        text = option.locator(".vi").inner_text()
        assert text == LEVELS[choice] if choice < len(LEVELS) else text.startswith(BLANK)
        option.click()


def cast(page: Any, code: str, choices: tuple[int, ...]) -> str:
    page.fill("#ma", code)
    choose(page, choices)
    encrypt_and_cast(page)
    page.wait_for_selector("#bien-nhan:not([hidden])", timeout=15_000)
    tracker = page.locator("#ma-theo-doi").get_attribute("data-tracker")
    assert tracker and len(tracker) == 64
    return str(tracker)


def encrypt_and_cast(page: Any) -> None:
    """Encrypt, see the tracker, then choose to cast (not to audit) this ballot."""
    page.click("#gui")
    page.wait_for_selector("#xac-nhan:not([hidden])", timeout=15_000)
    page.click("#bo")


def error_text(page: Any, selector: str) -> str:
    page.wait_for_selector(f"{selector}:not([hidden])", timeout=15_000)
    return str(page.locator(selector).inner_text())


def test_voters_cast_real_ballots_through_the_form(
    site: Site, browser: Any, artifacts: Path
) -> None:
    d, http = site.driver, site.http
    codes = d.codes
    fingerprint = d.manifest["fingerprint"]

    # the page itself: CSP, no cookie, Vietnamese, NFC
    r = http.get(site.page_url)
    assert r.status_code == 200
    assert r.headers["content-security-policy"] == CSP
    assert "set-cookie" not in r.headers
    assert unicodedata.is_normalized("NFC", r.text)
    assert 'lang="vi"' in r.text and "<script>" not in r.text and " style=" not in r.text

    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page, watch = open_page(context, site.page_url)
    grouped = " ".join(fingerprint[i : i + 4] for i in range(0, 64, 4))
    assert " ".join(page.locator("#van-tay").inner_text().split()) == grouped
    assert "chỉ phiếu gửi sau cùng được tính" in page.inner_text("main")
    page.screenshot(path=str(artifacts / "voter_form.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.screenshot(path=str(artifacts / "voter_form_phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 720})

    # ---- refusals: nothing may be stored
    before = dump_tables(site.module.db)
    page.fill("#ma", codes[0][:-1] + "0")  # "0" never occurs in codes
    page.click("#gui")
    assert "Mã có ký tự không hợp lệ: “0”" in error_text(page, "#ma-loi")
    page.fill("#ma", codes[0][:-2])
    page.click("#gui")
    assert "đúng 24 ký tự" in error_text(page, "#ma-loi")
    page.fill("#ma", codes[0][:-1] + "đ")  # a Vietnamese keyboard left on
    page.click("#gui")
    assert "tắt bộ gõ tiếng Việt" in error_text(page, "#ma-loi")
    typo = codes[0][:5] + ("b" if codes[0][5] != "b" else "c") + codes[0][6:]
    page.fill("#ma", typo)
    choose(page, (0, 0))
    page.click("#gui")
    assert "gõ nhầm một ký tự" in error_text(page, "#ma-loi")
    page.screenshot(path=str(artifacts / "voter_form_bad_code.png"), full_page=True)
    # well-formed, right checksum, but not this election's: the server refuses (403)
    stranger = generate_credentials("cuoc-bo-phieu-khac", 1)[0][0]
    page.fill("#ma", stranger)
    encrypt_and_cast(page)
    text = error_text(page, "#loi")
    assert "Mã bỏ phiếu không có trong danh sách của cuộc bỏ phiếu này" in text
    assert "Phiếu chưa được ghi nhận" in text
    page.screenshot(path=str(artifacts / "voter_form_unknown_code.png"), full_page=True)
    # a person left without a choice
    page.reload()
    page.wait_for_selector("html[data-crypto-ready='yes']")
    page.fill("#ma", codes[0])
    fieldset(page, 0).locator("input[value='0']").check()
    page.click("#gui")
    assert "Chưa chọn mức cho Trần Thị Bình" in error_text(page, "#q1-loi")
    assert dump_tables(site.module.db) == before

    # ---- real ballots
    trackers: dict[int, str] = {}
    trackers[0] = cast(page, codes[0], (0, 1))
    page.click("#tra-cuu")
    assert "đang được tính" in error_text(page, "#ket-qua-tra-cuu")
    page.screenshot(path=str(artifacts / "voter_receipt.png"), full_page=True)
    assert " ".join(page.locator("#van-tay-bien-nhan").inner_text().split()) == grouped
    page.click("#bo-phieu-lai")  # same device, next voter
    trackers[1] = cast(page, codes[1].replace("-", ""), (2, 0))  # typed without dashes
    page.close()
    page, watch2 = open_page(context, site.page_url)
    trackers[2] = cast(page, codes[2], (2, 3))  # blank for the second person

    # keyboard only: type the code, Tab into each radio group, arrows, Enter
    page.close()
    page, watch3 = open_page(context, site.page_url)
    page.focus("#ma")
    page.keyboard.type(codes[3])
    page.keyboard.press("Tab")  # → first person's radio group
    page.keyboard.press("Space")  # Tín nhiệm cao
    page.keyboard.press("ArrowDown")  # → Tín nhiệm
    page.keyboard.press("Tab")  # → second person's group
    page.keyboard.press("Space")  # Tín nhiệm cao
    page.keyboard.press("Tab")  # → the submit button
    page.keyboard.press("Enter")  # encrypt; the focus moves to "cast this ballot"
    page.wait_for_selector("#xac-nhan:not([hidden])", timeout=15_000)
    page.keyboard.press("Enter")
    page.wait_for_selector("#bien-nhan:not([hidden])", timeout=15_000)
    trackers[3] = str(page.locator("#ma-theo-doi").get_attribute("data-tracker"))

    # voter 0 changes their mind: the new ballot replaces the first one
    page.click("#bo-phieu-lai")
    first = trackers[0]
    trackers[0] = cast(page, codes[0], (2, 1))

    # the network fails before the ballot reaches the server: nothing stored, the same
    # ballot (same tracker) goes out again on the next click
    page.click("#bo-phieu-lai")
    before = dump_tables(site.module.db)
    page.route("**/ballots", lambda route: route.abort())
    page.fill("#ma", codes[5])
    choose(page, (0, 2))
    encrypt_and_cast(page)
    text = error_text(page, "#loi")
    assert "Không kết nối được với máy chủ" in text
    assert dump_tables(site.module.db) == before
    page.unroute("**/ballots")
    encrypt_and_cast(page)
    page.wait_for_selector("#bien-nhan:not([hidden])")
    trackers[5] = str(page.locator("#ma-theo-doi").get_attribute("data-tracker"))
    assert " ".join(trackers[5][i : i + 4] for i in range(0, 64, 4)) in text

    # the answer is lost after the server stored the ballot: the resend is the same ballot,
    # the server says replay, the page shows the receipt; one ballot on the board
    page.click("#bo-phieu-lai")

    def lose_answer(route: Any) -> None:
        route.fetch()
        route.abort()

    page.route("**/ballots", lose_answer)
    page.fill("#ma", codes[6])
    choose(page, (1, 2))
    encrypt_and_cast(page)
    assert "Không kết nối được với máy chủ" in error_text(page, "#loi")
    page.unroute("**/ballots")
    encrypt_and_cast(page)
    assert "đã tới máy chủ từ lần gửi trước" in error_text(page, "#ghi-chu-bien-nhan")
    trackers[6] = str(page.locator("#ma-theo-doi").get_attribute("data-tracker"))

    # every tracker shown is on the public board, once; only the re-vote's first is superseded
    cast_entries = [
        e["body"]["tracker"]
        for e in d.record_lines()
        if e.get("type") == "entry" and e["kind"] == "ballot.cast"
    ]
    assert sorted(cast_entries) == sorted([*trackers.values(), first])
    for t in trackers.values():
        found = http.get(d.url(f"/trackers/{t}")).json()
        assert found["counted"] is True and found["superseded"] is False
    assert http.get(d.url(f"/trackers/{first}")).json()["superseded"] is True

    # a page whose embedded parameters were tampered with (another joint key) refuses to vote
    tampered = context.new_page()
    key = d.manifest["manifest"]["joint_key"]
    other = d.manifest["manifest"]["trustees"][0]["reveal"]["commitments"][0]

    def swap_key(route: Any) -> None:
        response = route.fetch()
        body = response.text().replace(f'"joint_key": "{key}"', f'"joint_key": "{other}"', 1)
        route.fulfill(response=response, body=body)

    tampered.route(site.page_url, swap_key)
    tampered.goto(site.page_url)
    tampered.wait_for_selector("html[data-crypto-ready='no']")
    assert "Dấu vân tay không khớp" in error_text(tampered, "#loi")
    assert tampered.locator("#gui").is_disabled()
    assert tampered.locator("#van-tay-kiem-tra").is_hidden()
    tampered.close()
    assert page.locator("#van-tay-kiem-tra").is_visible()  # the honest page: recomputed, equal

    # ---- outside the window: Vietnamese message, nothing stored
    closes = datetime.fromisoformat(d.manifest["closes_at"])
    site.module.service.clock = lambda: closes + timedelta(minutes=1)
    before = dump_tables(site.module.db)
    page.click("#bo-phieu-lai")
    page.fill("#ma", codes[4])
    choose(page, (0, 0))
    encrypt_and_cast(page)
    text = error_text(page, "#loi")
    assert "Ngoài thời gian bỏ phiếu" in text and "giờ Việt Nam" in text
    assert dump_tables(site.module.db) == before

    assert context.cookies() == []
    for w in (watch, watch2, watch3):
        # refusals (unknown code 403, late cast and replay 409, aborted requests) on purpose
        unexpected = [
            e for e in w.errors if not re.search(r"status of (403|409)|net::ERR_FAILED", e)
        ]
        assert unexpected == [], unexpected
    context.close()

    # ---- close, two of three trustees decrypt, counts equal the clicks
    d.organiser("close")
    d.decrypt([1, 3])
    result = http.get(d.url("/result")).json()
    # counted: (2,1) (2,0) (2,3) (1,0) (0,2) (1,2); options: high, confidence, low, blank
    assert result["counts"] == [[1, 2, 3, 0], [2, 1, 2, 1]]

    # the standalone verifier accepts the record the browser ballots produced
    from ballot.verifier import read_ndjson, verify_record

    record = http.get(d.url("/record"))
    assert record.status_code == 200
    verified = verify_record(read_ndjson(record.content.splitlines()))
    assert verified.report.ok, verified.report

    # the page after the close: fingerprint still shown, no form
    r = http.get(site.page_url)
    assert "Cuộc bỏ phiếu đã kết thúc" in r.text and 'id="phieu"' not in r.text


def test_unknown_or_unopened_election_pages(site: Site) -> None:
    r = site.http.get("/bo-phieu/khong-co")
    assert r.status_code == 404 and "Không tìm thấy cuộc bỏ phiếu này" in r.text
    assert r.headers["content-security-policy"] == CSP
    d = ElectionDriver(site.http, role_headers, [Trustee.generate(i) for i in (1, 2)])
    d.create(
        election_request(
            d.trustees, summoned=3, threshold=2, opens_at=datetime.now(UTC), persons=PERSONS
        )
    )
    r = site.http.get(f"/bo-phieu/{d.election_id}")
    assert r.status_code == 200 and "Cuộc bỏ phiếu chưa mở" in r.text
    assert 'id="phieu"' not in r.text and "<script" not in r.text
    # assets: immutable under a content hash; anything else 404
    page = site.http.get(f"/bo-phieu/{site.driver.election_id}").text
    js = page.split('<script type="module" src="')[1].split('"')[0]
    a = site.http.get(js)
    assert a.status_code == 200 and a.headers["content-type"].startswith("text/javascript")
    assert "immutable" in a.headers["cache-control"]
    assert site.http.get("/bo-phieu/_/phieu-0000.js").status_code == 404
