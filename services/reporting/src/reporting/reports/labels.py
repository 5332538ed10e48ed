"""Vietnamese names of steps, statuses and levels (English in the comments), and level ranks."""

from __future__ import annotations

from shared.web import terms

LEVELS = {code: term.vi for code, term in terms.LEVELS.items()}  # the one term list
RANK = {"hoan_thanh_xuat_sac": 3, "hoan_thanh_tot": 2, "hoan_thanh": 1, "khong_hoan_thanh": 0}
STEPS = {
    "sector_review": "Bước 1: Cơ quan chuyên ngành nhận xét",
    "self_assessment": "Bước 2: Đơn vị tự đánh giá",
    "member_review": "Bước 3: Thành viên UBND tỉnh nhận xét",
    "consolidation": "Bước 4: Sở Nội vụ tổng hợp",
    "caucus_review": "Bước 5a: Ban cán sự Đảng nhận xét",
    "recognition": "Bước 5b: Chủ tịch UBND tỉnh công nhận",
    "publication": "Công bố công khai",
}
STATUSES = {
    "missing": "Chưa nộp",  # not yet due
    "overdue": "Quá hạn, chưa nộp",  # due, missing
    "on_time": "Đúng hạn",
    "late": "Trễ hạn",
    "not_required": terms.STATUSES["not_required"].vi,  # step 1 with no sector agency assigned
}
SIGNALS = {
    "no_limitations": "không nêu hạn chế",
    "no_evidence": "không có tài liệu kiểm chứng",
    "too_short": "nội dung quá ngắn",
}


def level(code: str | None) -> str:
    return terms.level(code) if code in LEVELS else "—"


def status(step: str, code: str) -> str:
    """A step's status worded for that step ("Chưa công nhận", "Quá hạn, chưa công bố")."""
    return terms.status(step, code)


def signal(code: str) -> str:
    """``tham_muu:no_limitations`` → ``tham_muu: không nêu hạn chế``."""
    group, _, what = code.rpartition(":")
    text = SIGNALS.get(what, what)
    return f"{group}: {text}" if group else text


# inspection findings (seed 003) and remediation plans (seed 002)
FINDING_KINDS = {
    "late_handling": "Chậm xử lý, tham mưu",
    "poor_quality": "Chất lượng tham mưu chưa đạt",
    "passing_on": "Đùn đẩy, né tránh trách nhiệm",
    "not_proactive": "Chưa chủ động tham mưu",
    "discipline": "Kỷ luật, kỷ cương hành chính",
    "case_file": "Sai sót trong hồ sơ rút ngẫu nhiên",
    "publicity": "Niêm yết, công khai thủ tục",
    "other": "Khác",
}
SEVERITIES = {
    "minor": "Nhắc nhở",
    "moderate": "Cần khắc phục",
    "serious": "Đề nghị xem xét xử lý",
}
PLAN_STATUSES = {
    "open": "Đang khắc phục",
    "escalated": "Đã báo cáo cấp trên",
    "awaiting_verification": "Chờ xác nhận hoàn thành",
    "closed": "Đã khắc phục xong",
}
