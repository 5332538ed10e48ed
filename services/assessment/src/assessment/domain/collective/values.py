"""Collective values: the steps of seed 001 and its default template (Đồng Nai 2013 plan)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from assessment.domain.kernel.errors import ValidationFailed
from assessment.domain.kernel.values import deadline_instant

__all__ = ["deadline_instant"]


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

# Where each step's result lives on a unit's assessment.
STEP_STATE = {
    Step.SECTOR_REVIEW: "sector_reviews",
    Step.SELF_ASSESSMENT: "self_assessment",
    Step.MEMBER_REVIEW: "member_reviews",
    Step.CONSOLIDATION: "consolidation",
    Step.CAUCUS_REVIEW: "caucus_review",
    Step.RECOGNITION: "recognition",
    Step.PUBLICATION: "publication",
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
