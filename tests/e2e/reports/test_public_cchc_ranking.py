"""The public CCHC ranking (no sign-in), on a whole CCHC year run through the API (embedded):
while the ranking is decided and its publication only scheduled, nothing of it is reachable —
the page says none is published, its CSV/XLSX/PDF are 404 like a missing one, the feeds do not
list it; once Home Affairs publishes it, the page, the three files and both feeds carry the
same figures as the read model, cacheable (ETag, 304)."""

from __future__ import annotations

import csv
import io
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient

from cchc_api import run_cycle
from embedded.app import create_embedded_app
from helpers import TEST_ISSUER, MutableClock
from reporting.read_models.cchc_scores.queries import rankings
from unit.reporting.reports.test_unit_reports import pdf_text

pytestmark = pytest.mark.e2e

TENANT, YEAR, DECISION = "dong-nai", 2020, "456/QĐ-UBND"


def wait(found: Callable[[], Any], timeout: float = 20) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = found()
        if got:
            return got
        time.sleep(0.1)
    raise AssertionError("not reached in time")


def files(block: str) -> dict[str, str]:
    base = f"/v1/public/{TENANT}/{YEAR}/cchc/{block}/ranking"
    return {ext: f"{base}.{ext}" for ext in ("csv", "xlsx", "pdf")}


def test_a_cchc_ranking_is_public_only_once_published(tmp_path: Path, clock: MutableClock) -> None:
    app = create_embedded_app(tmp_path, demo=False, clock=clock, issuer=TEST_ISSUER)
    with TestClient(app) as client:
        db = client.app.state.reporting_db  # type: ignore[attr-defined]
        checked: dict[str, Any] = {}

        def nothing_public_yet(ids: dict[str, Any]) -> None:
            (decided,) = wait(lambda: rankings(db, TENANT, year=YEAR, block=None))
            assert decided["published_at"] is None and decided["decision"]["number"] == DECISION
            block = checked["block"] = decided["block"]
            page = client.get(f"/cong-khai/cchc?tinh={TENANT}&nam={YEAR}&khoi={block}")
            assert page.status_code == 200
            assert DECISION not in page.text and decided["rows"][0]["name"] not in page.text
            assert "Chưa có bảng xếp hạng nào được công bố." in page.text
            for url in files(block).values():
                resp = client.get(url)
                assert resp.status_code == 404, url
                assert resp.headers["content-type"].startswith("application/problem+json")
                assert resp.json()["code"] == "resource.not_found"
            for feed in ("json", "atom"):
                body = client.get(f"/v1/public/{TENANT}/{YEAR}/publications.{feed}").text
                assert DECISION not in body and "cchc-ranking" not in body

        run_cycle(client, clock, before_publication=nothing_public_yet)
        block = checked["block"]
        (ranking,) = wait(
            lambda: [r for r in rankings(db, TENANT, year=YEAR, block=block) if r["published_at"]]
        )

        url = f"/cong-khai/cchc?tinh={TENANT}&nam={YEAR}&khoi={block}"
        page = client.get(url)
        assert page.status_code == 200 and DECISION in page.text
        for row in ranking["rows"]:
            assert row["name"] in page.text and str(row["index"]).replace(".", ",") in page.text
        assert page.headers["cache-control"] == "public, max-age=300"
        assert "set-cookie" not in page.headers
        again = client.get(url, headers={"If-None-Match": page.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
        assert client.get("/cong-khai/cchc").text == page.text  # the newest published is shown

        got = {ext: client.get(u) for ext, u in files(block).items()}
        assert all(r.status_code == 200 and r.headers["etag"] for r in got.values())
        table = list(csv.reader(io.StringIO(got["csv"].content.decode("utf-8-sig"))))
        assert [(int(r[0]), r[1], r[2]) for r in table[1:]] == [
            (row["rank"], row["name"], str(row["index"]).replace(".", ","))
            for row in ranking["rows"]
        ]
        book = openpyxl.load_workbook(io.BytesIO(got["xlsx"].content))
        sheet = book[f"Xếp hạng {block} {YEAR}"]
        assert [r[:3] for r in sheet.iter_rows(min_row=2, values_only=True)] == [
            (row["rank"], row["name"], float(row["index"])) for row in ranking["rows"]
        ]
        words = " ".join(pdf_text(got["pdf"].content, tmp_path).split())
        assert unicodedata.is_normalized("NFC", words)
        assert f"CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {YEAR}" in words and DECISION in words
        assert all(row["name"] in words for row in ranking["rows"])
        assert client.get(files(block)["pdf"]).content == got["pdf"].content  # reproducible

        feed = client.get(f"/v1/public/{TENANT}/{YEAR}/publications.json").json()
        (item,) = [i for i in feed["items"] if i["_congvu"].get("kind") == "cchc_ranking"]
        assert item["_congvu"]["ranking_id"] == ranking["ranking_id"]
        assert item["_congvu"]["decision"]["number"] == DECISION
        assert item["url"].endswith(url) and item["date_published"] == ranking["published_at"]
        atom = client.get(f"/v1/public/{TENANT}/{YEAR}/publications.atom").text
        assert f"cchc-ranking/{ranking['ranking_id']}" in atom and DECISION in atom
        # another tenant sees nothing of it
        other = client.get(f"/v1/public/quang-tri/{YEAR}/cchc/{block}/ranking.csv")
        assert other.status_code == 404
