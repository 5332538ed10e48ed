"""The permission matrix's rules: roles, scopes and the one check. Each context keeps its rows
beside its commands (``application/<context>/permissions.py``); ``application/permissions.py``
assembles them with the kernel's rows into the one ``MATRIX``.

Scopes:
- ``tenant``: any unit of the caller's tenant (the tenant itself is checked on every load);
- ``own_unit``: only the unit the caller acts for (token claim ``unit`` = the unit's code);
- ``managed_units``: units a sector-management assignment of the caller's agency covers in the
  cycle's year;
- ``overseen_units``: units a People's Committee oversight assignment of the caller covers in
  the cycle's year.
The README renders the assembled table; a test checks that every command is in it.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from uuid import UUID

from assessment.domain.kernel.errors import DomainError


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
    "personnel": "Bộ phận tham mưu tổ chức cán bộ của cơ quan",
    "official": "Cán bộ, công chức, viên chức (chính người được đánh giá)",
}

Rows = dict[str, dict[str, Scope]]
"""A part of the matrix: command (or permission name) → role → scope."""

KERNEL_ROWS: Rows = {
    "read": {role: T for role in ROLES},
    "read_audit": {"auditor": T, "home_affairs": T, "inspector": T},
}


def assemble(*parts: Rows) -> Rows:
    """The one matrix from the kernel's rows and each context's: a name may appear once only,
    and every role named must be a known role."""
    matrix: Rows = {}
    for part in parts:
        for name, row in part.items():
            if name in matrix:
                raise ValueError(f"permission '{name}' is defined twice")
            unknown = set(row) - set(ROLES)
            if unknown:
                raise ValueError(f"permission '{name}' names unknown roles {sorted(unknown)}")
            matrix[name] = dict(row)
    return matrix


class Forbidden(DomainError):
    code = "auth.forbidden"
    title = "Không có quyền thực hiện"
    title_en = "Forbidden"


class OutsideAssignment(DomainError):
    code = "auth.outside_assignment"
    title = "Đơn vị này không thuộc phạm vi được phân công"
    title_en = "Outside the caller's assignments"


def role_scope(matrix: Rows, command: str, role: str) -> Scope:
    """The role's scope for ``command``, decided before any lookup; refused when it has none."""
    scope = matrix[command].get(role)
    if scope is None:
        raise Forbidden(f"vai trò '{role}' không được thực hiện '{command}'")
    return scope


def check(
    matrix: Rows,
    command: str,
    role: str,
    acting_for_unit: UUID | None,
    target_unit: UUID | None,
    covered: Callable[[Scope], bool],
) -> Scope:
    """Raise unless ``role`` may run ``command`` on ``target_unit``; ``covered(scope)`` answers
    the assignment questions (it loads assignments only when asked)."""
    scope = role_scope(matrix, command, role)
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
