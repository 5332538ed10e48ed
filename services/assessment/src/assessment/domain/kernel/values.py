"""Values every context shares: the four levels, Vietnam time, evidence files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from enum import StrEnum
from typing import Any

from assessment.domain.kernel.errors import ValidationFailed

VN_TZ = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")


class Level(StrEnum):
    """The four levels (Decree 90/2020, 124/366-QĐ/TW, Decree 335/2025)."""

    EXCELLENT = "hoan_thanh_xuat_sac"
    GOOD = "hoan_thanh_tot"
    COMPLETED = "hoan_thanh"
    NOT_COMPLETED = "khong_hoan_thanh"

    @property
    def label_vi(self) -> str:
        return LEVEL_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return LEVEL_LABELS[self][1]

    @property
    def rank(self) -> int:
        return LEVEL_RANK[self]

    @classmethod
    def parse(cls, value: str) -> Level:
        try:
            return cls(value)
        except ValueError:
            allowed = ", ".join(level.value for level in cls)
            raise ValidationFailed(
                f"mức '{value}' không hợp lệ; chọn một trong: {allowed}"
            ) from None


LEVEL_LABELS = {
    Level.EXCELLENT: ("Hoàn thành xuất sắc nhiệm vụ", "Excellently completed tasks"),
    Level.GOOD: ("Hoàn thành tốt nhiệm vụ", "Completed tasks well"),
    Level.COMPLETED: ("Hoàn thành nhiệm vụ", "Completed tasks"),
    Level.NOT_COMPLETED: ("Không hoàn thành nhiệm vụ", "Did not complete tasks"),
}
LEVEL_RANK = {Level.EXCELLENT: 4, Level.GOOD: 3, Level.COMPLETED: 2, Level.NOT_COMPLETED: 1}


def deadline_instant(day: date) -> datetime:
    """'Hoàn thành trước ngày D' is read leniently as the end of day D, Vietnam time."""
    return datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=VN_TZ)


@dataclass(frozen=True)
class EvidenceFile:
    name: str
    sha256: str
    size: int

    @classmethod
    def parse(cls, data: dict[str, Any]) -> EvidenceFile:
        name = str(data.get("name", "")).strip()
        digest = str(data.get("sha256", "")).lower()
        size = data.get("size")
        if not name or len(name) > 255 or "/" in name or "\\" in name:
            raise ValidationFailed(f"tên tệp minh chứng không hợp lệ: '{name}'")
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise ValidationFailed(f"sha256 của '{name}' phải là 64 ký tự hex")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise ValidationFailed(f"kích thước của '{name}' phải là số nguyên không âm")
        return cls(name, digest, size)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "sha256": self.sha256, "size": self.size}
