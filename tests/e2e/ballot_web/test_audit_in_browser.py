"""Cast-as-intended in headless Chromium: audit one ballot (Benaloh), then cast the next.

The voter encrypts, sees the tracker, and chooses "audit instead of casting": the page reveals
the nonces, shows what the encryption holds, offers the audit file; ``ballot-verify --audit``
checks that file against the public record alone. The audited ballot can never be cast; the
voter encrypts afresh (new tracker) and casts. The stored audit carries no credential, no
address and no time; the page keeps its strict CSP, its Vietnamese text and its phone layout.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from ballot.bootstrap import BallotModule, build_ballot
from ballot.config import BallotSettings
from ballot.crypto import derive_credential
from ballot.entrypoints.api.app import create_app
from ballot.entrypoints.web import CSP, include_voter_page
from ballot.harness import ElectionDriver, LiveServer, Trustee, dump_tables, election_request
from helpers import TEST_ISSUER, headers

pytestmark = pytest.mark.e2e

TENANT = "quang-tri"
BIN = Path(sys.executable).parent


def role_headers(role: str) -> dict[str, str]:
    return headers(tenant=TENANT, subject=f"{role}.1", role=role, unit="SNV")


@pytest.fixture
def site(tmp_path: Path, voter_bundle: Path) -> Iterator[tuple[str, BallotModule, Any, Any]]:
    module = build_ballot(
        BallotSettings(
            mode="embedded",
            sqlite_path=tmp_path / "ballot.sqlite",
            board_key_file=tmp_path / "board.pem",
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
                    summoned=4,
                    threshold=2,
                    min_ballots=1,
                    opens_at=datetime.now(UTC) - timedelta(minutes=1),
                    persons=(("Nguyễn Văn An", "Giám đốc Sở"), ("Trần Thị Bình", "Phó Giám đốc")),
                    unit="SNV",
                    title="Lấy phiếu tín nhiệm lãnh đạo Sở Nội vụ năm 2026",
                ),
                voters=4,
            )
            yield server.url, module, http, driver
    finally:
        module.close()


def choose(page: Any, choices: tuple[int, ...]) -> None:
    for q, choice in enumerate(choices):
        page.locator(f"fieldset#q{q} label.muc").nth(choice).click()


def test_a_voter_audits_one_ballot_then_casts_a_fresh_one(
    site: tuple[str, BallotModule, Any, Any], browser: Any, artifacts: Path, tmp_path: Path
) -> None:
    url, module, http, d = site
    page_url = f"{url}/bo-phieu/{d.election_id}"
    assert http.get(page_url).headers["content-security-policy"] == CSP
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    sent: dict[str, Any] = {}
    page.on(
        "request",
        lambda r: (
            sent.update(audit=json.loads(r.post_data or "{}"))
            if r.url.endswith("/audits")
            else None
        ),
    )
    page.goto(page_url)
    page.wait_for_selector("html[data-crypto-ready='yes']", timeout=15_000)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone

    # encrypt: the tracker is shown before the voter decides
    page.fill("#ma", d.codes[0])
    choose(page, (2, 1))
    page.click("#gui")
    page.wait_for_selector("#xac-nhan:not([hidden])", timeout=15_000)
    first = str(page.locator("#ma-xac-nhan").get_attribute("data-tracker"))
    assert len(first) == 64
    assert "Kiểm tra phiếu này (không bỏ)" in page.inner_text("#xac-nhan")
    page.screenshot(path=str(artifacts / "audit_choice_phone.png"), full_page=True)

    # audit instead of casting
    page.click("#kiem-tra")
    page.wait_for_selector("#ket-qua-kiem-tra:not([hidden])", timeout=15_000)
    shown = page.inner_text("#lua-chon-kiem-tra")
    assert "Nguyễn Văn An: Tín nhiệm thấp" in shown and "Trần Thị Bình: Tín nhiệm" in shown
    assert page.locator("#ma-kiem-tra").get_attribute("data-tracker") == first
    assert "không bao giờ được tính" in page.inner_text("#ket-qua-kiem-tra")
    assert page.locator("#phieu").is_hidden()
    wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert wide is False  # the phone layout holds (no sideways scrolling)
    page.screenshot(path=str(artifacts / "audit_result_phone.png"), full_page=True)
    with page.expect_download() as download:
        page.click("#tai-kiem-tra")
    doc = json.loads(Path(download.value.path()).read_text("utf-8"))
    assert doc == json.loads(page.locator("#du-lieu-kiem-tra").text_content() or "")
    assert doc["format"] == "congvu/v1/audit" and doc["tracker"] == first
    credential = derive_credential(d.codes[0], d.election_id).public.hex()
    assert credential not in json.dumps(doc)

    # anyone checks the file with the public record alone
    record = tmp_path / "record.ndjson"
    record.write_text(http.get(d.url("/record")).text)
    audit_file = tmp_path / "phieu-kiem-tra.json"
    audit_file.write_text(json.dumps(doc))
    proc = subprocess.run(
        [str(BIN / "ballot-verify"), str(record), "--audit", str(audit_file)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "AUDIT PASSED" in proc.stderr and "Tín nhiệm thấp" in proc.stderr

    # the audited ballot can never be cast, and the server keeps no link to the voter
    audited_ballot = sent["audit"]["ballot"]
    refused = http.post(d.url("/ballots"), json=audited_ballot)
    assert refused.status_code == 409 and refused.json()["code"] == "ballot.audited"
    found = http.get(d.url(f"/trackers/{first}")).json()
    assert found["audited"] is True and found["counted"] is False
    stored = json.dumps(dump_tables(module.db)["ballot_audits"])
    assert credential not in stored and "127.0.0.1" not in stored

    # encrypt afresh (new nonces, new tracker) and cast
    page.click("#ma-hoa-lai")
    page.wait_for_selector("#phieu:not([hidden])")
    page.click("#gui")
    page.wait_for_selector("#xac-nhan:not([hidden])", timeout=15_000)
    second = str(page.locator("#ma-xac-nhan").get_attribute("data-tracker"))
    assert second != first
    page.click("#bo")
    page.wait_for_selector("#bien-nhan:not([hidden])", timeout=15_000)
    assert page.locator("#ma-theo-doi").get_attribute("data-tracker") == second
    lookup = http.get(d.url(f"/trackers/{second}")).json()
    assert lookup["counted"] is True and lookup["audited"] is False
    assert context.cookies() == []
    assert [p for p in problems if "status of 409" not in p] == []
    context.close()

    # the close publishes the audit (no credential, no time) and the record verifies
    closes = datetime.fromisoformat(d.manifest["closes_at"])
    module.service.clock = lambda: closes + timedelta(minutes=1)
    d.organiser("close")
    lines = [json.loads(x) for x in http.get(d.url("/record")).text.splitlines()]
    audits = [x["body"] for x in lines if x.get("kind") == "ballot.audited"]
    assert audits == [{"audit": doc}]
    from ballot.verifier import verify_record

    assert verify_record(lines).report.ok
