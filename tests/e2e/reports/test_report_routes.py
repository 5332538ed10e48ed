"""The report routes and the public feeds of the embedded demo, over HTTP: roles, formats,
as-of, and public disclosure showing only published results (publishing one more unit makes
it appear; an unpublished one never does); feeds are cacheable (ETag, 304)."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient

from assessment.domain.collective.cycle import cycle_id_for
from assessment.domain.registry.unit import unit_id_for
from embedded.app import create_embedded_app
from helpers import TEST_ISSUER, headers

TENANT, YEAR = "dong-nai", 2013
CYCLE = str(cycle_id_for(TENANT, YEAR))
FEED = f"/v1/public/{TENANT}/{YEAR}/publications"


def uid(code: str) -> str:
    return str(unit_id_for(TENANT, code))


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = create_embedded_app(tmp_path_factory.mktemp("emb"), demo=True, issuer=TEST_ISSUER)
    with TestClient(app) as c:
        wait(c, lambda: feed_codes(c) == ["SNV"])
        yield c


def wait(c: TestClient, predicate: Any, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def feed_codes(c: TestClient) -> list[str]:
    resp = c.get(f"{FEED}.json")
    assert resp.status_code == 200, resp.text
    return [i["_congvu"]["unit_code"] for i in resp.json()["items"]]


def test_the_feed_shows_only_published_results_and_a_new_publication_appears(
    client: TestClient,
) -> None:
    first = client.get(f"{FEED}.json")
    assert first.headers["cache-control"].startswith("public")
    again = client.get(f"{FEED}.json", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    # STC is recognised in the demo but not yet published: not in the feed
    assert "STC" not in feed_codes(client)
    resp = client.post(
        f"/v1/cycles/{CYCLE}/units/{uid('STC')}/publication",
        json={"channel": "Cổng thông tin điện tử tỉnh"},
        headers=headers(),
    )
    assert resp.status_code in (200, 201), resp.text
    wait(client, lambda: feed_codes(client) == ["SNV", "STC"])
    changed = client.get(f"{FEED}.json", headers={"If-None-Match": first.headers["etag"]})
    assert changed.status_code == 200 and changed.headers["etag"] != first.headers["etag"]
    item = next(i for i in changed.json()["items"] if i["_congvu"]["unit_code"] == "STC")
    assert item["title"] == "Sở Tài chính: Hoàn thành tốt nhiệm vụ"
    assert item["_congvu"]["decision_number"] == "125/QĐ-UBND"
    # BVDK was never recognised: publishing is refused and it never shows
    refused = client.post(
        f"/v1/cycles/{CYCLE}/units/{uid('BVDK')}/publication",
        json={"channel": "Cổng"},
        headers=headers(),
    )
    assert refused.status_code == 409
    atom = client.get(f"{FEED}.atom")
    assert atom.headers["content-type"].startswith("application/atom+xml")
    assert "Sở Tài chính" in atom.text and "Bệnh viện" not in atom.text
    csv = client.get(f"{FEED}.csv")
    assert csv.content.startswith(b"\xef\xbb\xbf") and "Bệnh viện" not in csv.text
    assert client.get(f"{FEED}.pdf").content.startswith(b"%PDF")
    assert client.get(f"/v1/public/quang-tri/{YEAR}/publications.json").json()["items"] == []


@pytest.mark.parametrize(
    "role", ["home_affairs", "party_caucus", "chairman", "auditor", "inspector"]
)
def test_oversight_roles_get_the_caucus_report(client: TestClient, role: str) -> None:
    resp = client.get(f"/v1/reports/cycles/{CYCLE}/caucus-report", headers=headers(role=role))
    assert resp.status_code == 200, resp.text
    assert {u["unit_code"] for u in resp.json()["perfunctory"]} == {"UBND-LONGKHANH"}


def test_caucus_report_formats(client: TestClient) -> None:
    base = f"/v1/reports/cycles/{CYCLE}/caucus-report"
    page = client.get(base, params={"format": "html"}, headers=headers())
    assert page.status_code == 200 and "<svg" in page.text and "Phân bố mức xếp loại" in page.text
    pdf = client.get(base, params={"format": "pdf", "number": "2061/SNV-TT"}, headers=headers())
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    book = client.get(base, params={"format": "xlsx"}, headers=headers())
    ws = openpyxl.load_workbook(io.BytesIO(book.content)).worksheets[0]
    assert ws["B1"].value == "Đơn vị"
    csv = client.get(base, params={"format": "csv"}, headers=headers())
    assert csv.content.startswith(b"\xef\xbb\xbf") and "Sở Nội vụ" in csv.content.decode(
        "utf-8-sig"
    )


def test_unit_heads_see_their_own_unit_only(client: TestClient) -> None:
    url = f"/v1/reports/cycles/{CYCLE}/units/{uid('SYT')}/accountability"
    own = client.get(url, params={"format": "html"}, headers=headers(role="unit_head", unit="SYT"))
    assert own.status_code == 200 and "Sở Y tế" in own.text
    other = client.get(url, headers=headers(role="unit_head", unit="STC"))
    assert other.status_code == 403 and other.json()["code"] == "auth.forbidden"
    assert client.get(url, headers=headers(role="sector_reviewer")).status_code == 403
    caucus = client.get(
        f"/v1/reports/cycles/{CYCLE}/caucus-report", headers=headers(role="unit_head", unit="SYT")
    )
    assert caucus.status_code == 403
    foreign = client.get(url, headers=headers(tenant="quang-tri"))
    assert foreign.status_code == 404


def test_reads_of_a_heads_report_are_recorded_and_staff_do_not_see_ballots(
    client: TestClient,
) -> None:
    from reporting.adapters.read_log import reads
    from reporting.read_models import registry
    from unit.reporting.reports.conftest import HEAD, ballot_envelopes

    with client.app.state.reporting_db.transaction() as tx:  # type: ignore[attr-defined]
        registry.apply_all(tx, ballot_envelopes())  # a ballot on the head of Sở Y tế
    url = f"/v1/reports/cycles/{CYCLE}/units/{uid('SYT')}/accountability"
    before = len(reads(client.app.state.reporting_db, TENANT))  # type: ignore[attr-defined]
    seen = client.get(url, headers=headers(role="chairman", subject="chu-tich")).json()
    assert seen["head"]["name"] == HEAD["name"] and len(seen["ballots"]) == 1
    after = reads(client.app.state.reporting_db, TENANT)  # type: ignore[attr-defined]
    assert len(after) == before + 1
    assert (after[-1]["subject"], after[-1]["role"], after[-1]["target"]) == (
        "chu-tich",
        "chairman",
        uid("SYT"),
    )
    staff = client.get(url, headers=headers(role="unit_officer", unit="SYT")).json()
    assert staff["ballots"] == [] and staff["head"] is None
    assert len(reads(client.app.state.reporting_db, TENANT)) == before + 1  # type: ignore[attr-defined]


def test_as_of_a_past_moment_over_http(client: TestClient) -> None:
    url = f"/v1/reports/cycles/{CYCLE}/units/{uid('SNV')}/accountability"
    past = client.get(
        url, params={"as_of": "2013-12-31T23:59:59+07:00"}, headers=headers(role="auditor")
    )
    assert past.status_code == 200, past.text
    body = past.json()
    assert body["replayed_from_history"] is True and body["unit"]["final_level"] == "hoan_thanh_tot"
    now = client.get(url, headers=headers(role="auditor")).json()
    assert (
        now["unit"]["final_level"] == "hoan_thanh_xuat_sac" and "replayed_from_history" not in now
    )
    naive = client.get(
        url, params={"as_of": "2013-12-31T23:59:59"}, headers=headers(role="auditor")
    )
    assert naive.status_code == 422 and naive.json()["code"] == "report.as_of_invalid"
    xlsx = client.get(
        url,
        params={"format": "xlsx", "as_of": "2013-12-31T23:59:59+07:00"},
        headers=headers(role="auditor"),
    )
    summary = dict(
        openpyxl.load_workbook(io.BytesIO(xlsx.content))["Tổng quan"].iter_rows(values_only=True)
    )
    assert summary["Dựng lại từ lịch sử"] == "có"


def test_dashboard_page_and_figures(client: TestClient, tmp_path: Path) -> None:
    resp = client.get(f"/v1/reports/cycles/{CYCLE}/dashboard", headers=headers())
    body = resp.json()
    by_step = {p["step"]: p["counts"] for p in body["progress"]}
    assert by_step["self_assessment"]["on_time"] + by_step["self_assessment"]["late"] == 6
    assert by_step["self_assessment"]["overdue"] == 1  # Sở Giáo dục và Đào tạo
    blocks = {b["group"]: b["counts"] for b in body["levels_by_block"]}
    assert blocks["department"]["Hoàn thành xuất sắc nhiệm vụ"] == 1  # Sở Nội vụ
    assert sum(blocks["lower_peoples_committee"].values()) == 2
    (year,) = body["levels_by_year"]
    assert year["group"] == "2013" and year["counts"]["Hoàn thành tốt nhiệm vụ"] == 1
    page = client.get(
        f"/v1/reports/cycles/{CYCLE}/dashboard", params={"format": "html"}, headers=headers()
    )
    assert "<svg" in page.text and "<caption>" in page.text
