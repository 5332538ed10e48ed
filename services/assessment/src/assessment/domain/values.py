"""Value objects and the default template of seed 001 (Đồng Nai 2013 plan)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from enum import StrEnum
from typing import Any

from assessment.domain.errors import ValidationFailed

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


class UnitKind(StrEnum):
    DEPARTMENT = "department"  # sở, ban, ngành
    PUBLIC_SERVICE_UNIT = "public_service_unit"  # đơn vị sự nghiệp trực thuộc UBND tỉnh
    LOWER_PEOPLES_COMMITTEE = "lower_peoples_committee"  # UBND cấp huyện / xã
    PEOPLES_COMMITTEE = "peoples_committee"  # UBND tỉnh (the body that recognises)


UNIT_KIND_LABELS = {
    UnitKind.DEPARTMENT: "Sở, ban, ngành",
    UnitKind.PUBLIC_SERVICE_UNIT: "Đơn vị sự nghiệp trực thuộc UBND tỉnh",
    UnitKind.LOWER_PEOPLES_COMMITTEE: "UBND cấp dưới (huyện/xã)",
    UnitKind.PEOPLES_COMMITTEE: "UBND tỉnh",
}


class Step(StrEnum):
    """The steps of seed 001, in order. Caucus review, adjustment and recognition form step 5."""

    SECTOR_REVIEW = "sector_review"
    SELF_ASSESSMENT = "self_assessment"
    MEMBER_REVIEW = "member_review"
    CONSOLIDATION = "consolidation"
    CAUCUS_REVIEW = "caucus_review"
    RECOGNITION = "recognition"
    PUBLICATION = "publication"

    @property
    def label_vi(self) -> str:
        return STEP_LABELS[self]

    @classmethod
    def parse(cls, value: str) -> Step:
        try:
            return cls(value)
        except ValueError:
            allowed = ", ".join(s.value for s in cls)
            raise ValidationFailed(
                f"bước '{value}' không hợp lệ; chọn một trong: {allowed}"
            ) from None


STEP_LABELS = {
    Step.SECTOR_REVIEW: "Bước 1: Cơ quan quản lý chuyên ngành nhận xét, đánh giá",
    Step.SELF_ASSESSMENT: "Bước 2: Đơn vị tự rà soát, đánh giá",
    Step.MEMBER_REVIEW: "Bước 3: Thành viên UBND tỉnh nhận xét, đánh giá",
    Step.CONSOLIDATION: "Bước 4: Sở Nội vụ tổng hợp",
    Step.CAUCUS_REVIEW: "Bước 5a: Ban cán sự Đảng UBND tỉnh nhận xét",
    Step.RECOGNITION: "Bước 5b: UBND tỉnh công nhận mức độ hoàn thành",
    Step.PUBLICATION: "Công bố công khai kết quả",
}

# Steps whose data a later step consumes: reopening one invalidates these dependants.
DEPENDANTS: dict[Step, tuple[Step, ...]] = {
    Step.SECTOR_REVIEW: (
        Step.CONSOLIDATION,
        Step.CAUCUS_REVIEW,
        Step.RECOGNITION,
        Step.PUBLICATION,
    ),
    Step.SELF_ASSESSMENT: (
        Step.CONSOLIDATION,
        Step.CAUCUS_REVIEW,
        Step.RECOGNITION,
        Step.PUBLICATION,
    ),
    Step.MEMBER_REVIEW: (
        Step.CONSOLIDATION,
        Step.CAUCUS_REVIEW,
        Step.RECOGNITION,
        Step.PUBLICATION,
    ),
    Step.CONSOLIDATION: (Step.CAUCUS_REVIEW, Step.RECOGNITION, Step.PUBLICATION),
    Step.CAUCUS_REVIEW: (Step.RECOGNITION, Step.PUBLICATION),
    Step.RECOGNITION: (Step.PUBLICATION,),
    Step.PUBLICATION: (),
}


@dataclass(frozen=True)
class ContentGroup:
    code: str
    title: str
    sub_criteria: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "title": self.title, "sub_criteria": list(self.sub_criteria)}


DEFAULT_CONTENT_GROUPS: tuple[ContentGroup, ...] = (
    ContentGroup(
        "tham_muu",
        "Kết quả tham mưu các đề án, chương trình, kế hoạch cho Tỉnh ủy, HĐND tỉnh, UBND tỉnh",
        (
            "Sở, ban, ngành, đơn vị sự nghiệp: kết quả tham mưu đề án, chương trình, kế hoạch",
            "UBND cấp huyện: kết quả thực hiện các nhóm chỉ tiêu được giao",
        ),
    ),
    ContentGroup("nhiem_vu", "Kết quả thực hiện nhiệm vụ được phân công quản lý"),
    ContentGroup("ky_luat", "Việc chấp hành kỷ luật kỷ cương hành chính"),
)


def default_deadline_dates(year: int) -> dict[str, date]:
    """Seed 001's calendar moved to ``year``: 10/11, 10/12, 10/12, 31/12, 10/01 next year."""
    step5 = date(year + 1, 1, 10)
    return {
        Step.SECTOR_REVIEW.value: date(year, 11, 10),
        Step.SELF_ASSESSMENT.value: date(year, 12, 10),
        Step.MEMBER_REVIEW.value: date(year, 12, 10),
        Step.CONSOLIDATION.value: date(year, 12, 31),
        Step.CAUCUS_REVIEW.value: step5,
        Step.RECOGNITION.value: step5,
    }


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
