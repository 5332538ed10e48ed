"""Sở NN's 40 people for the individual-rating integration test: the staff file (the
personnel body's XLSX import), each person's general points, the callers' headers and the
answer checks (``tests/integration/individual/test_agency_of_40.py``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from helpers import headers
from individual_builders import staff_workbook

HA = headers(role="home_affairs", unit="SNV")
TCCB = headers(role="personnel", unit="SNN", subject="tccb.snn")
HEAD = headers(role="unit_head", unit="SNN", subject="gd.snn")
CHAIR = headers(role="chairman", unit="UBND", subject="ct.ubnd")
GOOD, EXC = "hoan_thanh_tot", "hoan_thanh_xuat_sac"


def people() -> list[tuple[str, str, str, str]]:
    """(code, category, position, task group)."""
    out = [
        ("GD", "Công chức", "Người đứng đầu", "lanh_dao"),
        ("PGD1", "Công chức", "Cấp phó", "lanh_dao"),
        ("PGD2", "Công chức", "Cấp phó", "lanh_dao"),
    ]
    out += [(f"CC{i:02d}", "Công chức", "Không", "chuyen_vien") for i in range(30)]
    out += [(f"VC{i}", "Viên chức", "Không", "vien_chuc") for i in range(7)]
    return out


def xlsx(rows: list[list[Any]]) -> bytes:
    """The staff file of ``rows`` (the shared builder's header and layout)."""
    return staff_workbook(rows)


def staff_rows() -> list[list[Any]]:
    return [
        [
            code,
            f"Cán bộ {code}",
            cat,
            "SNN",
            pos,
            "Chuyên viên",
            group,
            datetime(2016, 1, 4),
            code.lower(),
        ]
        for code, cat, pos, group in people()
    ]


def general_of(code: str) -> tuple[str, str]:
    """(general points, completed of 2 assigned) → 95 / 80 / 60 / leaders 85."""
    if code in ("GD", "PGD1", "PGD2"):
        return "15", "2"
    if code in ("CC00", "CC01", "CC02", "CC03", "CC04"):
        return "25", "2"
    if code == "CC05":
        return "25", "1"  # 25 + 35 = 60: completed
    return "10", "2"


def ok(resp: Any, status: int = 201) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    body: dict[str, Any] = resp.json()
    return body


def problem(resp: Any, status: int, code: str) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = resp.json()
    assert body["code"] == code, body
    return body


def me(code: str) -> dict[str, Any]:
    return headers(role="official", unit="SNN", subject=code.lower())
