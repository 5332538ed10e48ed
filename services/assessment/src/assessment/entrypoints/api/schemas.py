"""Wire schemas. Unknown fields are refused (a tenant smuggled in a body is a 422)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.http import NfcStr

LevelCode = Literal["hoan_thanh_xuat_sac", "hoan_thanh_tot", "hoan_thanh", "khong_hoan_thanh"]
StepCode = Literal[
    "sector_review",
    "self_assessment",
    "member_review",
    "consolidation",
    "caucus_review",
    "recognition",
    "publication",
]
UnitKindCode = Literal[
    "department", "public_service_unit", "lower_peoples_committee", "peoples_committee"
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=20_000)


class UnitCreate(Strict):
    code: str = Field(pattern=r"^[A-Za-z0-9._-]{1,64}$", examples=["SNV"])
    name: NfcStr = Field(min_length=1, max_length=300, examples=["Sở Nội vụ"])
    kind: UnitKindCode
    parent_code: str | None = Field(default=None, pattern=r"^[A-Za-z0-9._-]{1,64}$")
    valid_from: date | None = None
    split_from: UUID | None = Field(default=None, description="đơn vị bị chia tách ra")


class UnitRename(Strict):
    name: NfcStr = Field(min_length=1, max_length=300)
    effective_date: date | None = None


class UnitMerge(Strict):
    successor_id: UUID
    effective_date: date
    decision_number: NfcStr = Field(min_length=1, max_length=100)


class UnitDissolve(Strict):
    effective_date: date
    decision_number: NfcStr = Field(min_length=1, max_length=100)
    reason: NfcStr = Field(min_length=1, max_length=2000)


class AssignmentGrant(Strict):
    kind: Literal["sector_management", "pc_oversight"]
    holder: str = Field(
        min_length=1,
        max_length=128,
        description="mã đơn vị của cơ quan chuyên ngành, hoặc subject của thành viên UBND",
    )
    unit_ids: list[UUID] = Field(min_length=1, max_length=2000)
    decision_number: NfcStr = Field(min_length=1, max_length=100, examples=["1770/QĐ-UBND"])
    decision_date: date
    valid_from: date
    valid_to: date | None = None


class AssignmentRevoke(Strict):
    grant_id: str = Field(pattern=r"^[0-9a-f]{32}$")
    effective_date: date
    reason: NfcStr = Field(min_length=1, max_length=2000)


class ContentGroupIn(Strict):
    code: str = Field(pattern=r"^[a-z0-9_]{1,40}$")
    title: NfcStr = Field(min_length=1, max_length=500)
    sub_criteria: list[NfcStr] = Field(default_factory=list, max_length=50)


class CycleCreate(Strict):
    year: int = Field(ge=2000, le=2100, examples=[2025])
    plan_reference: NfcStr = Field(
        min_length=1, max_length=200, examples=["Kế hoạch số 123/KH-UBND ngày 01/10/2025"]
    )
    title: NfcStr | None = Field(default=None, max_length=300)
    content_groups: list[ContentGroupIn] | None = Field(default=None, max_length=20)
    deadlines: dict[StepCode, date] | None = None
    unit_ids: list[UUID] = Field(default_factory=list, max_length=2000)


class Enrolment(Strict):
    unit_ids: list[UUID] = Field(min_length=1, max_length=2000)


class DeadlineChange(Strict):
    step: StepCode
    deadline: date
    reason: NfcStr = Field(min_length=1, max_length=2000)


class SectorReviewIn(Strict):
    comment: NfcStr = Field(min_length=1)
    proposed_level: LevelCode | None = None
    published: bool = False


class EvidenceIn(Strict):
    name: NfcStr = Field(min_length=1, max_length=255)
    sha256: str = Field(pattern=r"^[0-9a-fA-F]{64}$")
    size: int = Field(ge=0, le=10 * 1024**3)


class GroupResultIn(Strict):
    results: NfcStr = Field(min_length=1)
    limitations: NfcStr = ""
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=200)


class SelfAssessmentIn(Strict):
    groups: dict[str, GroupResultIn] = Field(min_length=1, max_length=20)
    proposed_level: LevelCode


class MemberReviewIn(Strict):
    assignment_reference: NfcStr = Field(
        min_length=1, max_length=300, examples=["Quyết định số 1770/QĐ-UBND ngày 14/7/2011"]
    )
    comment: NfcStr = Field(min_length=1)
    proposed_level: LevelCode | None = None


class ConsolidationIn(Strict):
    summary: NfcStr = Field(min_length=1)
    proposed_level: LevelCode


class CaucusReviewIn(Strict):
    comment: NfcStr = Field(min_length=1)
    proposed_level: LevelCode | None = None


class LevelAdjustmentIn(Strict):
    level: LevelCode
    reason: NfcStr = Field(min_length=1, max_length=5000)


class RecognitionIn(Strict):
    decision_number: NfcStr = Field(min_length=1, max_length=100, examples=["123/QĐ-UBND"])
    decision_date: date
    signer: NfcStr = Field(min_length=1, max_length=200)
    level: LevelCode


class PublicationIn(Strict):
    channel: NfcStr = Field(default="Cổng thông tin điện tử tỉnh", min_length=1, max_length=300)


class ReasonIn(Strict):
    reason: NfcStr = Field(min_length=1, max_length=5000)


class ReopenIn(Strict):
    step: StepCode
    reason: NfcStr = Field(min_length=1, max_length=5000)


class CommandResult(BaseModel):
    id: str
    version: int
    grant_id: str | None = None
    late: bool | None = None
    late_by_seconds: int | None = None
    enrolled: list[str] | None = None


def dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json")
