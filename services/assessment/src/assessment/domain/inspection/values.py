"""Values of the inspection context: modes, positions, finding kinds and severities, proposals."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from assessment.domain.kernel.errors import ValidationFailed
from assessment.domain.kernel.values import EvidenceFile

MAX_TEXT = 20_000
E = TypeVar("E", bound=StrEnum)


class Mode(StrEnum):
    """DOMAIN.md §6.1: by plan, without notice, on direction, on a complaint or report."""

    SCHEDULED = "scheduled"  # theo kế hoạch
    UNANNOUNCED = "unannounced"  # đột xuất, không báo trước
    DIRECTED = "directed"  # theo chỉ đạo của cấp ủy / UBND
    COMPLAINT = "complaint"  # theo phản ánh, kiến nghị, đường dây nóng


class Position(StrEnum):
    HEAD = "head"  # người đứng đầu
    DEPUTY = "deputy"  # cấp phó của người đứng đầu


class FindingKind(StrEnum):
    LATE_HANDLING = "late_handling"  # chậm xử lý, tham mưu
    POOR_QUALITY = "poor_quality"  # chất lượng tham mưu chưa đạt
    PASSING_ON = "passing_on"  # đùn đẩy, né tránh trách nhiệm
    NOT_PROACTIVE = "not_proactive"  # chưa chủ động tham mưu nội dung TW/Tỉnh ủy giao
    DISCIPLINE = "discipline"  # kỷ luật, kỷ cương hành chính, giờ giấc
    CASE_FILE = "case_file"  # sai sót trong hồ sơ được kiểm tra ngẫu nhiên
    PUBLICITY = "publicity"  # niêm yết, công khai thủ tục
    OTHER = "other"


class Severity(StrEnum):
    MINOR = "minor"  # nhắc nhở
    MODERATE = "moderate"  # cần khắc phục
    SERIOUS = "serious"  # đề nghị xem xét xử lý


class ProposalKind(StrEnum):
    """Seed 003: handling by the chairman, input to the year-end rating and to planning."""

    HANDLING = "handling"  # đề xuất xem xét, xử lý hạn chế
    RATING_INPUT = "rating_input"  # làm cơ sở đánh giá chất lượng cán bộ cuối năm
    PLANNING_INPUT = "planning_input"  # làm cơ sở xem xét quy hoạch cán bộ
    REMEDIATION = "remediation"  # yêu cầu xây dựng kế hoạch khắc phục


class Party(StrEnum):
    TEAM = "team"
    UNIT = "unit"


def parse_enum(cls: type[E], value: Any, what: str) -> E:
    try:
        return cls(value)
    except ValueError:
        allowed = ", ".join(m.value for m in cls)
        raise ValidationFailed(f"{what} '{value}' không hợp lệ; chọn: {allowed}") from None


def text(value: Any, what: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    out = (value if isinstance(value, str) else "" if value is None else str(value)).strip()
    if required and not out:
        raise ValidationFailed(f"'{what}' không được để trống")
    if len(out) > limit:
        raise ValidationFailed(f"'{what}' dài quá {limit} ký tự")
    return out


def day(value: Any, what: str) -> str:
    try:
        return date.fromisoformat(str(value)).isoformat()
    except (TypeError, ValueError):
        raise ValidationFailed(f"'{what}' phải là ngày YYYY-MM-DD") from None


def ids(values: Any, what: str) -> list[str]:
    if values is None:
        return []
    if not isinstance(values, list | tuple):
        raise ValidationFailed(f"'{what}' phải là danh sách")
    out = [text(v, what, limit=200) for v in values]
    if len(set(out)) != len(out):
        raise ValidationFailed(f"'{what}' có phần tử trùng nhau")
    return out


# -- parsers of command input into event payloads (the aggregate keeps only the rules) -------


def parse_member(data: dict[str, Any], what: str) -> dict[str, str]:
    return {
        "subject": text(data.get("subject"), f"{what} (tài khoản)", limit=200),
        "name": text(data.get("name"), f"{what} (họ tên)", limit=200),
        "title": text(data.get("title"), f"{what} (chức vụ)", required=False, limit=200),
    }


def parse_decision(decision: dict[str, Any]) -> dict[str, str]:
    return {
        "number": text(decision.get("number"), "số quyết định", limit=100),
        "date": day(decision.get("date"), "ngày quyết định"),
        "signer": text(decision.get("signer"), "người ký quyết định", limit=200),
        "legal_basis": text(decision.get("legal_basis"), "căn cứ pháp lý"),
    }


def parse_persons(persons: Any, units: list[str]) -> list[dict[str, str]]:
    people = []
    for p in persons or []:
        person = {
            "subject": text(p.get("subject"), "người được kiểm tra", limit=200),
            "name": text(p.get("name"), "họ tên", limit=200),
            "position": parse_enum(Position, p.get("position"), "chức vụ").value,
            "unit_id": text(p.get("unit_id"), "đơn vị của người được kiểm tra", limit=200),
        }
        if person["unit_id"] not in units:
            raise ValidationFailed(f"{person['name']}: đơn vị không có trong kế hoạch")
        people.append(person)
    if len({p["subject"] for p in people}) != len(people):
        raise ValidationFailed("một người được kiểm tra có tên hai lần")
    return people


def parse_sizes(sample_sizes: Any, units: list[str]) -> dict[str, dict[str, int]]:
    sizes: dict[str, dict[str, int]] = {}
    for unit_id, per_field in (sample_sizes or {}).items():
        if unit_id not in units:
            raise ValidationFailed(f"số hồ sơ rút mẫu cho đơn vị '{unit_id}' ngoài kế hoạch")
        sizes[unit_id] = {}
        for field, k in per_field.items():
            if isinstance(k, bool) or not isinstance(k, int) or k < 1:
                raise ValidationFailed(f"số hồ sơ rút mẫu của '{field}' phải là số dương")
            sizes[unit_id][text(field, "lĩnh vực", limit=200)] = k
    return sizes


def parse_evidence(evidence: Any) -> list[dict[str, Any]]:
    return [EvidenceFile.parse(e).to_dict() for e in (evidence or [])]


def parse_proposals(proposals: Any) -> list[dict[str, Any]]:
    out = []
    for p in proposals or []:
        out.append(
            {
                "kind": parse_enum(ProposalKind, p.get("kind"), "loại đề xuất").value,
                "subject": text(p.get("subject"), "đối tượng đề xuất", required=False, limit=200)
                or None,
                "text": text(p.get("text"), "nội dung đề xuất"),
                "finding_ids": ids(p.get("finding_ids"), "kết luận dựa trên phát hiện"),
            }
        )
    return out
