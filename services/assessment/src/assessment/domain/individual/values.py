"""Values of the individual context: categories, positions, absences, discipline, dates, points."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeVar

from assessment.domain.individual.errors import InvalidInput
from assessment.domain.kernel.values import Level


class Category(StrEnum):
    """Cán bộ, công chức, viên chức: each has its own criteria and form (NĐ 90 Mẫu 01/02/03)."""

    CADRE = "can_bo"
    CIVIL_SERVANT = "cong_chuc"
    PUBLIC_EMPLOYEE = "vien_chuc"

    @property
    def label_vi(self) -> str:
        return {"can_bo": "Cán bộ", "cong_chuc": "Công chức", "vien_chuc": "Viên chức"}[self.value]

    @property
    def self_assessment_form(self) -> str:
        """NĐ 90/2020, Phụ lục: Mẫu 01 (cán bộ), Mẫu 02 (công chức), Mẫu 03 (viên chức)."""
        return {"can_bo": "mau_01", "cong_chuc": "mau_02", "vien_chuc": "mau_03"}[self.value]


class Position(StrEnum):
    """Người đứng đầu, cấp phó, nhân viên (không giữ chức vụ lãnh đạo, quản lý)."""

    HEAD = "head"
    DEPUTY = "deputy"
    STAFF = "staff"

    @property
    def is_leader(self) -> bool:
        return self is not Position.STAFF


class AbsenceKind(StrEnum):
    SICK = "sick"  # nghỉ ốm
    MATERNITY = "maternity"  # nghỉ chế độ thai sản
    OTHER = "other"  # nghỉ khác (không lương, đi học tập trung …)


class DisciplineTrack(StrEnum):
    PARTY = "party"  # kỷ luật đảng
    ADMINISTRATIVE = "administrative"  # kỷ luật hành chính


class DisciplineForm(StrEnum):
    """Forms, lightest first. Every form is 'reprimand or higher' (NĐ 335/2025 [R29])."""

    REPRIMAND = "khien_trach"
    WARNING = "canh_cao"
    SALARY_DOWNGRADE = "ha_bac_luong"
    DEMOTION = "giang_chuc"
    DISMISSAL_FROM_POST = "cach_chuc"
    EXPULSION = "khai_tru"
    FORCED_RESIGNATION = "buoc_thoi_viec"


class PeriodKind(StrEnum):
    """NĐ 335/2025: theo dõi, đánh giá theo tháng hoặc theo quý [R30][R33]."""

    MONTH = "month"
    QUARTER = "quarter"


E = TypeVar("E", bound=StrEnum)

LEVEL_ORDER = (Level.NOT_COMPLETED, Level.COMPLETED, Level.GOOD, Level.EXCELLENT)


def lower_of(a: Level, b: Level) -> Level:
    return a if a.rank <= b.rank else b


def parse_enum(kind: type[E], value: object, what: str) -> E:
    try:
        return kind(str(value))
    except ValueError:
        allowed = ", ".join(v.value for v in kind)
        raise InvalidInput(f"{what} '{value}' không hợp lệ; chọn một trong: {allowed}") from None


def parse_level(value: object) -> Level:
    return parse_enum(Level, value, "mức xếp loại")


def parse_day(value: object, what: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(f"{what} phải là ngày dạng YYYY-MM-DD (nhận '{value}')") from None


def parse_points(value: object, what: str, *, low: Decimal, high: Decimal) -> Decimal:
    """Points are Decimal, never float: a float is refused, text and int are exact."""
    if isinstance(value, (float, bool)):
        raise InvalidInput(f"{what} phải là số thập phân dạng chuỗi hoặc số nguyên")
    try:
        points = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInput(f"{what} '{value}' không phải là số") from None
    if not points.is_finite() or points < low or points > high:
        raise InvalidInput(f"{what} phải trong khoảng {low}–{high} (nhận {value})")
    return points


def text(value: object, what: str, *, limit: int = 2000, required: bool = True) -> str:
    result = str(value or "").strip()
    if required and not result:
        raise InvalidInput(f"'{what}' không được để trống")
    if len(result) > limit:
        raise InvalidInput(f"'{what}' dài quá {limit} ký tự")
    return result
