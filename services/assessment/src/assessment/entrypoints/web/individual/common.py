"""What the individual pages share: the caller's context, problems from refusals, the words for
rule sets, forms, positions and categories, and the parsing of a level or a day typed in."""

from __future__ import annotations

from typing import Any, Final

from assessment.application.service import CommandContext
from assessment.domain.kernel.errors import DomainError
from assessment.entrypoints.api.errors import translate
from shared.problems import AppError
from shared.web import formats, terms
from shared.web.pages import Viewer

PREFIX: Final = "/ho-so/ca-nhan"
LIST_PAGE: Final = "/xep-loai-ca-nhan"
LEVEL_CODES: Final = tuple(terms.LEVELS)
RULE_SETS: Final = {
    "decree_90_48": "Nghị định 90/2020/NĐ-CP, sửa đổi bởi Nghị định 48/2023/NĐ-CP",
    "decree_90": "Nghị định 90/2020/NĐ-CP",
    "decree_335": "Nghị định 335/2025/NĐ-CP — chấm điểm theo tháng, quý (thang 100 điểm)",
    "party_124": "Quy định 124-QĐ/TW",
    "party_366": "Quy định 366-QĐ/TW",
}
FORMS: Final = {
    "mau_01": "Mẫu số 01 (cán bộ)",
    "mau_02": "Mẫu số 02 (công chức)",
    "mau_03": "Mẫu số 03 (viên chức)",
    "phieu_diem_335": "Phiếu chấm điểm (Nghị định 335/2025/NĐ-CP)",
    "kiem_diem_dang_vien": "Bản kiểm điểm đảng viên",
}
CATEGORIES: Final = {"can_bo": "Cán bộ", "cong_chuc": "Công chức", "vien_chuc": "Viên chức"}
POSITIONS: Final = {"head": "Người đứng đầu", "deputy": "Cấp phó", "staff": "Không giữ chức vụ"}
CONTENT: Final = (
    ("ket_qua", "Kết quả thực hiện chức trách, nhiệm vụ được giao"),
    ("han_che", "Hạn chế, khuyết điểm và nguyên nhân"),
    ("phuong_huong", "Phương hướng, biện pháp khắc phục"),
)
QUOTA_CODE: Final = "individual.excellent_quota_exceeded"
LEVEL_CODES_ON_FIELD: Final = frozenset(
    {
        QUOTA_CODE,
        "individual.level_forced",
        "individual.level_above_ceiling",
        "individual.level_not_matching_score",
        "individual.head_above_unit",
        "individual.not_rateable",
        "individual.validation_failed",
    }
)


def ctx_of(viewer: Viewer) -> CommandContext:
    return CommandContext(tenant=viewer.caller.tenant, actor=viewer.caller.actor())


def problem_of(exc: Exception) -> AppError:
    if isinstance(exc, AppError):
        return exc
    found = translate(exc)
    if found is None:
        raise exc
    return found


def message_of(problem: AppError) -> str:
    return f"{problem.title}: {problem.detail}" if problem.detail else problem.title


def parse_day(raw: str, errors: dict[str, str], name: str) -> str | None:
    text = raw.strip()
    if not text:
        errors[name] = "Trường này là bắt buộc (dd/mm/yyyy)."
        return None
    try:
        return formats.parse_vn_date(text).isoformat()
    except ValueError:
        errors[name] = "Ngày không hợp lệ, ghi theo dd/mm/yyyy (ví dụ 10/12/2026)."
        return None


def parse_level(raw: str, errors: dict[str, str], name: str) -> str | None:
    """A level chosen in a select: ``""`` is "reviewed, not rated"; anything else outside the
    four levels is refused beside the field."""
    if raw == "":
        return None
    if raw not in LEVEL_CODES:
        errors[name] = "Mức xếp loại không nằm trong bốn mức của quy định."
    return raw


def globals_for(extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "rule_sets": RULE_SETS,
        "forms": FORMS,
        "categories": CATEGORIES,
        "positions": POSITIONS,
        "levels": LEVEL_CODES,
        "content_fields": CONTENT,
        "prefix": PREFIX,
        "list_page": LIST_PAGE,
        **extra,
    }


def is_domain(exc: Exception) -> bool:
    return isinstance(exc, (DomainError, AppError))
