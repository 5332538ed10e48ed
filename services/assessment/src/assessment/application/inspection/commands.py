"""Inspection commands (seed 003): decision, plan, visits, work items, sampling, findings."""

from __future__ import annotations

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import Field

from assessment.application.kernel.commands import Command, Data, Day, Route, Text

INSP = "/inspections/{inspection_id}"
AT_UNIT = INSP + "/units/{unit_id}"
Subject = Field(min_length=1, max_length=200, pattern=r"^\S+$")
Hex64 = Field(pattern=r"^[0-9a-f]{64}$")


def at(path: str, summary: str, *, created: bool = True, tag: str = "inspections") -> Route:
    return Route(INSP + path, summary, tag, created=created)


class OnUnit(Command):
    """A command on one inspected unit: the handler checks the caller's reach on that unit."""

    checked_on_target: ClassVar = True


class DecisionIn(Data):
    number: Text = Field(min_length=1, max_length=100, examples=["125/QĐ-UBND"])
    date: Day
    signer: Text = Field(min_length=1, max_length=200)
    legal_basis: Text = Field(min_length=1, max_length=5000)


class MemberIn(Data):
    subject: str = Subject
    name: Text = Field(min_length=1, max_length=200)
    title: Text | None = Field(default=None, max_length=200)


class DecideInspection(Command):
    route: ClassVar = Route(
        "/inspections", "Quyết định kiểm tra công vụ / Decide an inspection", "inspections"
    )

    decision: DecisionIn
    title: Text = Field(min_length=1, max_length=500)
    mode: Literal["scheduled", "unannounced", "directed", "complaint"]
    complaint_reference: Text | None = Field(default=None, max_length=500)
    head: MemberIn
    members: list[MemberIn] = Field(default_factory=list, max_length=50)


class PersonIn(Data):
    subject: str = Subject
    name: Text = Field(min_length=1, max_length=200)
    position: Literal["head", "deputy"]
    unit_id: UUID


class PlanInspection(Command):
    route: ClassVar = at("/plan", "Kế hoạch kiểm tra / Plan", created=False)

    scope: Text = Field(min_length=1)
    period_from: Day
    period_to: Day
    units: list[UUID] = Field(min_length=1, max_length=500)
    persons: list[PersonIn] = Field(default_factory=list, max_length=2000)
    sample_sizes: dict[UUID, dict[Text, int]] = Field(
        default_factory=dict, description="đơn vị → lĩnh vực → số hồ sơ rút ngẫu nhiên"
    )


class DeclareConflict(Command):
    route: ClassVar = at("/conflicts", "Khai xung đột lợi ích / Declare a conflict of interest")

    member: str = Subject
    unit_id: UUID
    description: Text = Field(min_length=1, max_length=5000)
    stands_aside: bool = True


class SendNotice(Command):
    route: ClassVar = at("/notices", "Thông báo kiểm tra cho đơn vị / Notify the unit")

    unit_id: UUID
    reference: Text = Field(min_length=1, max_length=200)
    visit_on: Day


class StartVisit(Command):
    route: ClassVar = at("/visits", "Bắt đầu làm việc tại đơn vị / Start the visit")

    unit_id: UUID
    place: Text = Field(min_length=1, max_length=500)


class WorkItemIn(Data):
    item_id: Text = Field(min_length=1, max_length=200)
    person: str = Subject
    field: Text = Field(min_length=1, max_length=200)
    kind: Literal["van_ban_den", "nhiem_vu_duoc_giao", "de_nghi_tham_muu"] = "van_ban_den"
    received_at: str = Field(description="ISO 8601 có múi giờ")
    deadline: str | None = Field(default=None, description="YYYY-MM-DD hoặc ISO 8601")
    handled_at: str | None = None
    advised_at: str | None = None
    passed_to: str | None = Field(default=None, max_length=200)
    title: Text = Field(default="", max_length=2000)
    quality_remark: Text = Field(default="", max_length=2000)


class ImportWorkItems(Command):
    route: ClassVar = Route(
        AT_UNIT + "/work-items",
        "Nhập sổ công việc của đơn vị (JSON) / Import the unit's work items",
        "inspections",
    )

    items: list[WorkItemIn] = Field(min_length=1, max_length=20_000)
    append: bool = Field(default=False, description="thêm một phần vào lần nhập hiện tại")
    filename: Text = Field(default="register.json", min_length=1, max_length=255)
    sha256: str = Hex64
    size: int = Field(default=0, ge=0)


class CommitSampleRegister(Command):
    route: ClassVar = Route(
        AT_UNIT + "/sample",
        "Chốt sổ hồ sơ để rút mẫu / Commit the register for sampling",
        "sampling",
    )


class CommitSampleValue(OnUnit):
    route: ClassVar = Route(
        AT_UNIT + "/sample/commitments",
        "Cam kết giá trị bí mật (Đoàn hoặc đơn vị) / Commit a secret value",
        "sampling",
        created=False,
    )

    commitment: str = Hex64


class RevealSampleValue(OnUnit):
    route: ClassVar = Route(
        AT_UNIT + "/sample/reveals",
        "Công bố giá trị bí mật; lần thứ hai rút mẫu / Reveal; the second reveal draws",
        "sampling",
        created=False,
    )

    value: str = Hex64


class EvidenceIn(Data):
    name: Text = Field(min_length=1, max_length=255)
    sha256: str = Field(pattern=r"^[0-9a-fA-F]{64}$")
    size: int = Field(ge=0, le=10 * 1024**3)


class RecordMinutes(Command):
    route: ClassVar = at("/minutes", "Biên bản làm việc / Minutes of a session")

    unit_id: UUID
    held_on: Day
    place: Text = Field(min_length=1, max_length=500)
    participants: list[Text] = Field(min_length=1, max_length=200)
    content: Text = Field(min_length=1)
    signed_by: list[Text] = Field(min_length=1, max_length=50)


class RecordFinding(Command):
    route: ClassVar = at("/findings", "Ghi nhận phát hiện / Record a finding")

    unit_id: UUID
    person: str | None = Field(default=None, min_length=1, max_length=200)
    kind: Literal[
        "late_handling",
        "poor_quality",
        "passing_on",
        "not_proactive",
        "discipline",
        "case_file",
        "publicity",
        "other",
    ]
    severity: Literal["minor", "moderate", "serious"]
    description: Text = Field(min_length=1)
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=200)
    item_ids: list[Text] = Field(default_factory=list, max_length=5000)
    file_ids: list[Text] = Field(default_factory=list, max_length=5000)


class ExplainFinding(OnUnit):
    route: ClassVar = at(
        "/findings/{finding_id}/explanation",
        "Giải trình của người được kiểm tra / The person's explanation",
    )

    explanation: Text = Field(min_length=1)
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=200)


class ProposalIn(Data):
    kind: Literal["handling", "rating_input", "planning_input", "remediation"]
    subject: str | None = Field(default=None, max_length=200)
    text: Text = Field(min_length=1)
    finding_ids: list[UUID] = Field(default_factory=list, max_length=500)


class Conclude(Command):
    route: ClassVar = at("/conclusion", "Kết luận và kiến nghị / Conclusions and proposals")

    conclusions: Text = Field(min_length=1)
    proposals: list[ProposalIn] = Field(default_factory=list, max_length=500)


class ReportToChairman(Command):
    route: ClassVar = at("/report", "Báo cáo Chủ tịch UBND tỉnh / Report to the chairman")

    report_number: Text = Field(min_length=1, max_length=100)
    reported_on: Day
    summary: Text = Field(min_length=1)
    recipient: Text = Field(default="Chủ tịch UBND tỉnh", min_length=1, max_length=200)


class SetWorkingCalendar(Command):
    route: ClassVar = Route(
        "/working-calendar",
        "Lịch làm việc của tỉnh (ngày nghỉ lễ, ngày làm bù) / The tenant's working calendar",
        "inspections",
        created=False,
    )

    holidays: list[Day] = Field(default_factory=list, max_length=2000)
    make_up_days: list[Day] = Field(default_factory=list, max_length=500)
    weekend: list[int] = Field(default=[5, 6], max_length=6)
    deadline_rule: Literal["next_working_day", "previous_working_day", "unchanged"] = (
        "next_working_day"
    )
