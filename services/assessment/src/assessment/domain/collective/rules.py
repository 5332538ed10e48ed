"""Rules of a unit's assessment that need no state: text limits, lateness, and the checks
of a self-assessment with its perfunctory signals (seed 000)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from assessment.domain.collective.errors import (
    DecisionBeforeCaucusReview,
    DecisionDateInFuture,
    RecognitionReasonRequired,
)
from assessment.domain.kernel.errors import ValidationFailed
from assessment.domain.kernel.values import EvidenceFile, Level

VN_TZ = timezone(timedelta(hours=7))  # Asia/Ho_Chi_Minh, no daylight saving

MAX_TEXT = 20_000
PERFUNCTORY_MIN_CHARS = 80


def text(value: str | None, what: str, *, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationFailed(f"'{what}' không được để trống")
    if len(text) > MAX_TEXT:
        raise ValidationFailed(f"'{what}' dài quá {MAX_TEXT} ký tự")
    return text


def lateness(occurred_at: datetime, deadline: datetime | None) -> dict[str, Any]:
    if deadline is None:
        return {"deadline": None, "late_by_seconds": 0}
    late = max(0, int((occurred_at - deadline).total_seconds()))
    return {"deadline": deadline.isoformat(), "late_by_seconds": late}


def level_or_none(value: str | None) -> str | None:
    return Level.parse(value).value if value else None


def checked_self_assessment(
    group_codes: list[str], groups: dict[str, dict[str, Any]]
) -> tuple[dict[str, Any], list[str]]:
    """Every content group of the plan, and only those: the cleaned groups and the signals of
    a perfunctory report."""
    unknown = sorted(set(groups) - set(group_codes))
    missing = [c for c in group_codes if c not in groups]
    if unknown:
        raise ValidationFailed(f"nhóm nội dung không có trong kế hoạch: {', '.join(unknown)}")
    if missing:
        raise ValidationFailed(f"thiếu nhóm nội dung: {', '.join(missing)}")
    clean: dict[str, Any] = {}
    signals: list[str] = []
    for code in group_codes:
        item = groups[code]
        results = text(item.get("results"), f"{code}.results")
        limitations = text(item.get("limitations"), f"{code}.limitations", required=False)
        evidence = [EvidenceFile.parse(e).to_dict() for e in item.get("evidence", [])]
        names = [e["name"] for e in evidence]
        if len(set(names)) != len(names):
            raise ValidationFailed(f"{code}: tên tệp minh chứng bị trùng")
        clean[code] = {"results": results, "limitations": limitations, "evidence": evidence}
        # Seed 000: a report that does not make its shortcomings clear is "sơ sài".
        if not limitations:
            signals.append(f"{code}: không nêu hạn chế")
        if not evidence:
            signals.append(f"{code}: không có tài liệu kiểm chứng")
        if len(results) < PERFUNCTORY_MIN_CHARS:
            signals.append(f"{code}: phần kết quả quá ngắn")
    return clean, signals


def submitted(event: Any, *names: str) -> dict[str, Any]:
    """A step's record on the aggregate: the event's fields ``names``, when, how late, by whom."""
    return {
        **{name: getattr(event, name) for name in names},
        "submitted_at": event.occurred_at.isoformat(),
        "late_by_seconds": event.late_by_seconds,
        "by": event.actor,
    }


def check_decision_day(day: date, now: datetime, caucus_reviewed_at: str) -> None:
    """A recognition decision is not dated in the future (Vietnam time) nor before the caucus
    reviewed the unit (issue 9, item 5)."""
    if day > now.astimezone(VN_TZ).date():
        raise DecisionDateInFuture(
            f"ngày quyết định {day.strftime('%d/%m/%Y')} ở tương lai (hôm nay "
            f"{now.astimezone(VN_TZ).strftime('%d/%m/%Y')})"
        )
    reviewed = datetime.fromisoformat(caucus_reviewed_at)
    reviewed_day = (reviewed if reviewed.tzinfo else reviewed.replace(tzinfo=VN_TZ)).astimezone(
        VN_TZ
    )
    if day < reviewed_day.date():
        raise DecisionBeforeCaucusReview(
            f"ngày quyết định {day.strftime('%d/%m/%Y')} trước ngày Ban cán sự Đảng nhận xét "
            f"({reviewed_day.strftime('%d/%m/%Y')})"
        )


def recognition_terms(
    ua: Any, decision_date: str, now: datetime, level: str, reason: str | None
) -> tuple[date, str, str | None]:
    """A recognition's day (bounded as above), level and reason: a level other than the one
    put forward (the last adjustment, else Home Affairs' level) needs a reason."""
    day = decision_day(decision_date, ua.year)
    check_decision_day(day, now, str(ua.caucus_review["submitted_at"]))
    chosen = Level.parse(level).value
    put_forward = ua.current_level
    why = (reason or "").strip()
    if put_forward is not None and chosen != put_forward and not why:
        raise RecognitionReasonRequired(
            f"mức công nhận khác mức đã điều chỉnh/đề xuất ({put_forward}): cần nêu lý do"
        )
    return day, chosen, text(why, "reason") if why else None


def decision_day(value: str, year: int) -> date:
    """A recognition decision's date: ``YYYY-MM-DD``, not before the evaluated year."""
    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValidationFailed("ngày quyết định phải là YYYY-MM-DD") from None
    if day.year < year:
        raise ValidationFailed("ngày quyết định không thể trước năm đánh giá")
    return day
