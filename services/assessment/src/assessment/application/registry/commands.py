"""Registry commands: units and their lineage, assignments. One frozen model each."""

from __future__ import annotations

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import Field

from assessment.application.kernel.commands import Command, Day, Route, Text

Code = Field(pattern=r"^[A-Za-z0-9._-]{1,64}$", examples=["SNV"])
UnitKindCode = Literal[
    "department", "public_service_unit", "lower_peoples_committee", "peoples_committee"
]


class RegisterUnit(Command):
    route: ClassVar = Route("/units", "Đăng ký đơn vị / Register a unit", "units")

    code: str = Code
    name: Text = Field(min_length=1, max_length=300, examples=["Sở Nội vụ"])
    kind: UnitKindCode
    parent_code: str | None = Field(default=None, pattern=r"^[A-Za-z0-9._-]{1,64}$")
    valid_from: Day | None = None
    split_from: UUID | None = Field(default=None, description="đơn vị bị chia tách ra")


class RenameUnit(Command):
    route: ClassVar = Route(
        "/units/{unit_id}/rename", "Đổi tên đơn vị / Rename a unit", "units", created=False
    )
    permission: ClassVar = "change_unit"

    name: Text = Field(min_length=1, max_length=300)
    effective_date: Day | None = None


class MergeUnit(Command):
    route: ClassVar = Route(
        "/units/{unit_id}/merger",
        "Sáp nhập đơn vị vào đơn vị khác / Merge into a successor",
        "units",
        created=False,
    )
    permission: ClassVar = "change_unit"

    successor_id: UUID
    effective_date: Day
    decision_number: Text = Field(min_length=1, max_length=100)


class DissolveUnit(Command):
    route: ClassVar = Route(
        "/units/{unit_id}/dissolution", "Giải thể đơn vị / Dissolve a unit", "units", created=False
    )
    permission: ClassVar = "change_unit"

    effective_date: Day
    decision_number: Text = Field(min_length=1, max_length=100)
    reason: Text = Field(min_length=1, max_length=2000)


class GrantAssignment(Command):
    route: ClassVar = Route(
        "/assignments",
        "Phân công: cơ quan chuyên ngành hoặc thành viên UBND phụ trách đơn vị",
        "assignments",
    )

    kind: Literal["sector_management", "pc_oversight"]
    holder: str = Field(
        min_length=1,
        max_length=128,
        description="mã đơn vị của cơ quan chuyên ngành, hoặc subject của thành viên UBND",
    )
    unit_ids: list[UUID] = Field(min_length=1, max_length=2000)
    decision_number: Text = Field(min_length=1, max_length=100, examples=["1770/QĐ-UBND"])
    decision_date: Day
    valid_from: Day
    valid_to: Day | None = None


class RevokeAssignment(Command):
    route: ClassVar = Route(
        "/assignments/{assignments_id}/revocations",
        "Thu hồi phân công / Revoke a grant",
        "assignments",
        created=False,
    )

    grant_id: str = Field(pattern=r"^[0-9a-f]{32}$")
    effective_date: Day
    reason: Text = Field(min_length=1, max_length=2000)
