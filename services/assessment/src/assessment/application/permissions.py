"""The permission matrix: command × role × which units. Enforced here and nowhere else.

Scopes:
- ``tenant``: any unit of the caller's tenant (the tenant itself is checked on every load);
- ``own_unit``: only the unit the caller acts for (token claim ``unit`` = the unit's code);
- ``managed_units``: units a sector-management assignment of the caller's agency covers in the
  cycle's year;
- ``overseen_units``: units a People's Committee oversight assignment of the caller covers in
  the cycle's year.
The README renders this table; a test checks that every application command is in it.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from uuid import UUID

from assessment.domain.errors import DomainError


class Scope(StrEnum):
    TENANT = "tenant"
    OWN_UNIT = "own_unit"
    MANAGED_UNITS = "managed_units"
    OVERSEEN_UNITS = "overseen_units"


T, OWN, MANAGED, OVERSEEN = Scope.TENANT, Scope.OWN_UNIT, Scope.MANAGED_UNITS, Scope.OVERSEEN_UNITS

ROLES = {
    "unit_officer": "Cán bộ đầu mối của đơn vị",
    "unit_head": "Người đứng đầu đơn vị",
    "sector_reviewer": "Cơ quan quản lý chuyên ngành",
    "pc_member": "Thành viên UBND tỉnh",
    "home_affairs": "Sở Nội vụ",
    "party_caucus": "Ban cán sự Đảng UBND tỉnh",
    "chairman": "Chủ tịch UBND tỉnh",
    "inspector": "Thanh tra, kiểm tra công vụ",
    "auditor": "Kiểm toán (chỉ đọc, xem lại lịch sử)",
}

MATRIX: dict[str, dict[str, Scope]] = {
    "register_unit": {"home_affairs": T},
    "change_unit": {"home_affairs": T},
    "grant_assignment": {"home_affairs": T, "chairman": T},
    "revoke_assignment": {"home_affairs": T, "chairman": T},
    "plan_cycle": {"home_affairs": T},
    "enrol_units": {"home_affairs": T},
    "change_deadline": {"home_affairs": T},
    "submit_sector_review": {"sector_reviewer": MANAGED},
    "publish_sector_review": {"sector_reviewer": MANAGED},
    "submit_self_assessment": {"unit_officer": OWN, "unit_head": OWN},
    "submit_member_review": {"pc_member": OVERSEEN, "chairman": OVERSEEN},
    "consolidate": {"home_affairs": T},
    "flag_perfunctory": {"home_affairs": T},
    "review_by_caucus": {"party_caucus": T},
    "adjust_level": {"home_affairs": T},
    "recognise": {"chairman": T},
    "publish": {"home_affairs": T},
    "reopen_step": {"home_affairs": T},
    "read": {role: T for role in ROLES},
    "read_audit": {"auditor": T, "home_affairs": T, "inspector": T},
}


class Forbidden(DomainError):
    code = "auth.forbidden"
    title = "Không có quyền thực hiện"
    title_en = "Forbidden"


class OutsideAssignment(DomainError):
    code = "auth.outside_assignment"
    title = "Đơn vị này không thuộc phạm vi được phân công"
    title_en = "Outside the caller's assignments"


def check(
    command: str,
    role: str,
    acting_for_unit: UUID | None,
    target_unit: UUID | None,
    covered: Callable[[Scope], bool],
) -> Scope:
    """Raise unless ``role`` may run ``command`` on ``target_unit``; ``covered(scope)`` answers
    the assignment questions (it loads assignments only when asked)."""
    allowed = MATRIX[command]
    scope = allowed.get(role)
    if scope is None:
        raise Forbidden(f"vai trò '{role}' không được thực hiện '{command}'")
    if scope is Scope.TENANT:
        return scope
    if target_unit is None:
        raise Forbidden(f"'{command}' cần đơn vị đích")
    if scope is Scope.OWN_UNIT:
        if acting_for_unit != target_unit:
            raise OutsideAssignment("chỉ được thực hiện cho đơn vị mình thay mặt")
        return scope
    if not covered(scope):
        raise OutsideAssignment(
            "đơn vị này không nằm trong phân công còn hiệu lực của bạn trong năm đánh giá"
        )
    return scope
