"""Builders for domain tests."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

ACTOR = {"subject": "snv.tonghop", "role": "home_affairs", "acting_for": "SNV"}


def at(iso: str) -> datetime:
    return datetime.fromisoformat(iso).astimezone(UTC)


def evidence(name: str = "bao-cao.pdf") -> dict[str, Any]:
    return {"name": name, "sha256": hashlib.sha256(name.encode()).hexdigest(), "size": 1234}


def thorough_groups(
    codes: tuple[str, ...] = ("tham_muu", "nhiem_vu", "ky_luat"),
) -> dict[str, dict[str, Any]]:
    return {
        code: {
            "results": f"Kết quả nhóm {code}: hoàn thành 100% chỉ tiêu, 12 đề án đúng hạn, "
            "không có hồ sơ trễ hạn trong năm.",
            "limitations": "Một số báo cáo còn chậm.",
            "evidence": [evidence(f"{code}.pdf")],
        }
        for code in codes
    }
