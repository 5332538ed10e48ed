"""Public disclosure (no sign-in): per tenant and year, the published results of units as a
JSON Feed, an Atom feed, CSV and PDF. Only units whose publication stands are ever listed.
The JSON and Atom feeds also list the year's published CCHC rankings (one entry per block,
linking its public page; ``reporting.reports.public_cchc``).
Responses carry an ETag (SHA-256 of the body) and ``Cache-Control: public``; a matching
``If-None-Match`` gets 304."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Annotated, Any
from xml.sax.saxutils import escape

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from reporting.adapters.db import Database
from reporting.render import csv_export, fmt, pdf
from reporting.reports.public_cchc import ranking_publications
from reporting.reports.publications import published
from shared.http import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/public", responses=PROBLEM_RESPONSES, tags=["public"])

Tenant = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
Year = Annotated[int, Path(ge=2000, le=2100)]
CACHE = "public, max-age=300"
CSV_HEADER = [
    "Mã đơn vị",
    "Đơn vị",
    "Năm",
    "Mức xếp loại",
    "Quyết định",
    "Ngày quyết định",
    "Người ký",
    "Kênh công bố",
    "Ngày công bố",
    "Mã sự kiện",
]


def _items(request: Request, tenant: str, year: int) -> list[dict[str, Any]]:
    db: Database = request.app.state.reporting_db
    with db.transaction() as tx:
        return published(tx, tenant, year)


def _cached(request: Request, body: bytes, media_type: str) -> Response:
    tag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": tag, "Cache-Control": CACHE}
    if tag in {t.strip() for t in request.headers.get("if-none-match", "").split(",")}:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


def _rankings(request: Request, tenant: str, year: int) -> list[dict[str, Any]]:
    rankings = ranking_publications(request.app.state.reporting_db, tenant, year)
    base = str(request.base_url).rstrip("/")
    out = []
    for r in rankings:
        d = r["decision"]
        top = r["rows"][0] if r["rows"] else None
        out.append(
            {
                "id": f"tag:congvu,2026:cchc-ranking/{r['ranking_id']}",
                "title": f"Chỉ số cải cách hành chính năm {year}, khối {r['block']}: "
                f"{len(r['rows'])} đơn vị",
                "text": f"Quyết định {d['number']} ngày {fmt.vn_date(d['date'])}, {d['signer']}."
                + (f" Hạng 1: {top['name']} ({top['index']})." if top else ""),
                "url": f"{base}/cong-khai/cchc?tinh={tenant}&nam={year}&khoi={r['block']}",
                "published_at": r["published_at"],
                "ranking": r,
            }
        )
    return out


def _updated(items: list[dict[str, Any]]) -> str:
    return max(
        (i["published_at"] for i in items),
        default=f"{datetime(2000, 1, 1, tzinfo=UTC).isoformat()}",
    )


@router.get("/{tenant}/{year}/publications.json", summary="Kết quả đã công bố (JSON Feed)")
def json_feed(tenant: Tenant, year: Year, request: Request) -> Response:
    items = _items(request, tenant, year)
    rankings = _rankings(request, tenant, year)
    base = str(request.base_url).rstrip("/")
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": f"Kết quả đánh giá công vụ năm {year} đã công bố — {tenant}",
        "home_page_url": f"{base}/v1/public/{tenant}/{year}/publications.csv",
        "feed_url": f"{base}/v1/public/{tenant}/{year}/publications.json",
        "language": "vi",
        "items": [
            {
                "id": f"urn:uuid:{i['event_id']}",
                "title": f"{i['unit_name']}: {i['level_label']}",
                "content_text": f"{i['unit_name']} — {i['level_label']} (Quyết định "
                f"{i['decision_number']} ngày {fmt.vn_date(i['decision_date'])}, {i['signer']}).",
                "date_published": i["published_at"],
                "_congvu": {
                    k: i[k]
                    for k in (
                        "unit_id",
                        "unit_code",
                        "level",
                        "decision_number",
                        "decision_date",
                        "channel",
                        "ref",
                    )
                },
            }
            for i in items
        ]
        + [
            {
                "id": r["id"],
                "title": r["title"],
                "content_text": r["text"],
                "url": r["url"],
                "date_published": r["published_at"],
                "_congvu": {
                    "kind": "cchc_ranking",
                    "ranking_id": r["ranking"]["ranking_id"],
                    "block": r["ranking"]["block"],
                    "decision": r["ranking"]["decision"],
                },
            }
            for r in rankings
        ],
    }
    body = json.dumps(feed, ensure_ascii=False, sort_keys=True).encode()
    return _cached(request, body, "application/feed+json")


@router.get("/{tenant}/{year}/publications.atom", summary="Kết quả đã công bố (Atom)")
def atom_feed(tenant: Tenant, year: Year, request: Request) -> Response:
    items = _items(request, tenant, year)
    rankings = _rankings(request, tenant, year)
    base = str(request.base_url).rstrip("/")
    e = escape
    entries = "".join(
        f"<entry><id>urn:uuid:{i['event_id']}</id><title>{e(i['unit_name'])}: "
        f"{e(i['level_label'])}</title><updated>{i['published_at']}</updated>"
        f"<summary>Quyết định {e(str(i['decision_number']))} ngày "
        f"{fmt.vn_date(i['decision_date'])}, {e(str(i['signer']))}</summary></entry>"
        for i in items
    ) + "".join(
        f"<entry><id>{e(r['id'])}</id><title>{e(r['title'])}</title>"
        f"<updated>{r['published_at']}</updated>"
        f'<link rel="alternate" href="{e(r["url"])}"/><summary>{e(r["text"])}</summary></entry>'
        for r in rankings
    )
    body = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">'
        f"<id>{e(base)}/v1/public/{tenant}/{year}/publications.atom</id>"
        f"<title>Kết quả đánh giá công vụ năm {year} đã công bố — {e(tenant)}</title>"
        f"<updated>{_updated([*items, *rankings])}</updated>"
        f"<author><name>{e(tenant)}</name></author>"
        f'<link rel="self" href="{e(base)}/v1/public/{tenant}/{year}/publications.atom"/>'
        f"{entries}</feed>"
    ).encode()
    return _cached(request, body, "application/atom+xml")


@router.get("/{tenant}/{year}/publications.csv", summary="Kết quả đã công bố (CSV)")
def csv_feed(tenant: Tenant, year: Year, request: Request) -> Response:
    items = _items(request, tenant, year)
    rows = (
        [
            i["unit_code"],
            i["unit_name"],
            year,
            i["level_label"],
            i["decision_number"],
            fmt.vn_date(i["decision_date"]),
            i["signer"],
            i["channel"],
            fmt.vn_date(i["published_at"]),
            i["event_id"],
        ]
        for i in items
    )
    return _cached(request, csv_export.to_bytes(CSV_HEADER, rows), "text/csv; charset=utf-8")


@router.get("/{tenant}/{year}/publications.pdf", summary="Kết quả đã công bố (PDF)")
def pdf_feed(tenant: Tenant, year: Year, request: Request) -> Response:
    items = _items(request, tenant, year)
    return _cached(
        request, pdf.publications_pdf(tenant, year, items, _updated(items)), "application/pdf"
    )
