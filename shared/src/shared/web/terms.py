"""The one term list of the portal: levels, steps, statuses and roles, Vietnamese first.

Every page, export and message takes its words from here, so "Hoàn thành tốt nhiệm vụ" is
written the same everywhere. English is the second language (``en`` fields, and the gettext
catalogue for page text).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Term:
    code: str
    vi: str
    en: str


def _table(*terms: Term) -> dict[str, Term]:
    return {t.code: t for t in terms}


LEVELS: Final = _table(
    Term("hoan_thanh_xuat_sac", "Hoàn thành xuất sắc nhiệm vụ", "Excellently completed"),
    Term("hoan_thanh_tot", "Hoàn thành tốt nhiệm vụ", "Well completed"),
    Term("hoan_thanh", "Hoàn thành nhiệm vụ", "Completed"),
    Term("khong_hoan_thanh", "Không hoàn thành nhiệm vụ", "Not completed"),
)

STEPS: Final = _table(
    Term("sector_review", "Bước 1 — Nhận xét của cơ quan chuyên ngành", "Step 1 — sector review"),
    Term("self_assessment", "Bước 2 — Tự đánh giá của đơn vị", "Step 2 — self-assessment"),
    Term("member_review", "Bước 3 — Ý kiến thành viên UBND tỉnh", "Step 3 — PC member review"),
    Term("consolidation", "Bước 4 — Sở Nội vụ tổng hợp", "Step 4 — Home Affairs consolidation"),
    Term("caucus_review", "Bước 5 — Ban cán sự Đảng nhận xét", "Step 5 — party caucus review"),
    Term("recognition", "Bước 5 — Chủ tịch UBND tỉnh công nhận", "Step 5 — recognition"),
    Term("publication", "Công bố công khai", "Publication"),
)

SHORT_STEPS: Final = _table(
    Term("sector_review", "B1 Chuyên ngành", "S1 Sector"),
    Term("self_assessment", "B2 Tự đánh giá", "S2 Self"),
    Term("member_review", "B3 Thành viên UBND", "S3 PC member"),
    Term("consolidation", "B4 Sở Nội vụ", "S4 Home Affairs"),
    Term("caucus_review", "B5a Ban cán sự", "S5a Caucus"),
    Term("recognition", "B5b Công nhận", "S5b Recognition"),
    Term("publication", "Công bố", "Published"),
)

# What a step's absence is called depends on the step: recognition and publication are not
# "submitted" by anyone waiting on a unit.
_MISSING: Final = {
    "recognition": Term("missing", "Chưa công nhận", "Not recognised yet"),
    "publication": Term("missing", "Chưa công bố", "Not published yet"),
    "sector_review": Term("missing", "Chưa nhận xét", "No review yet"),
    "member_review": Term("missing", "Chưa có ý kiến", "No opinion yet"),
    "consolidation": Term("missing", "Chưa tổng hợp", "Not consolidated yet"),
    "caucus_review": Term("missing", "Chưa nhận xét", "No review yet"),
}
_OVERDUE: Final = {
    step: Term("overdue", "Quá hạn, " + term.vi[0].lower() + term.vi[1:], "Overdue")
    for step, term in _MISSING.items()
}
STATUSES: Final = _table(
    Term("missing", "Chưa nộp", "Not submitted"),
    Term("overdue", "Quá hạn, chưa nộp", "Overdue"),
    Term("on_time", "Đúng hạn", "On time"),
    Term("late", "Trễ hạn", "Late"),
    # step 1 of a unit no sector agency manages: nobody owes it, so never overdue
    Term("not_required", "Không có cơ quan chuyên ngành", "No sector agency assigned"),
)

ROLES: Final = _table(
    Term("unit_officer", "Cán bộ đầu mối của đơn vị", "Unit officer"),
    Term("unit_head", "Thủ trưởng đơn vị", "Head of unit"),
    Term("sector_reviewer", "Cơ quan quản lý chuyên ngành", "Sector-managing agency"),
    Term("pc_member", "Thành viên UBND tỉnh", "People's Committee member"),
    Term("home_affairs", "Sở Nội vụ", "Department of Home Affairs"),
    Term("party_caucus", "Ban cán sự Đảng UBND tỉnh", "Party caucus"),
    Term("chairman", "Chủ tịch UBND tỉnh", "Chairman"),
    Term("inspector", "Thanh tra", "Inspector"),
    Term("auditor", "Kiểm toán", "Auditor"),
    Term("ballot_organiser", "Tổ chức bỏ phiếu", "Ballot organiser"),
    Term("trustee", "Thành viên tổ kiểm phiếu", "Trustee"),
    Term("credential_authority", "Cấp mã bỏ phiếu", "Credential authority"),
    Term("personnel", "Bộ phận tổ chức cán bộ", "Personnel body"),
    Term("official", "Cán bộ, công chức, viên chức", "Official"),
)


def level(code: str | None, lang: str = "vi") -> str:
    """The level's name; ``—`` for none. Unknown codes are shown as they are."""
    if not code:
        return "—"
    term = LEVELS.get(code)
    if term is None:
        return code
    return term.en if lang == "en" else term.vi


def step(code: str, lang: str = "vi", short: bool = False) -> str:
    term = (SHORT_STEPS if short else STEPS).get(code)
    if term is None:
        return code
    return term.en if lang == "en" else term.vi


def status(step_code: str, status_code: str, lang: str = "vi") -> str:
    """A step's status: ``missing`` and ``overdue`` are worded per step ("Chưa công nhận",
    "Quá hạn, chưa công bố"); a unit's own submission is "Chưa nộp"."""
    term = {"missing": _MISSING, "overdue": _OVERDUE}.get(status_code, {}).get(step_code)
    term = term or STATUSES.get(status_code)
    if term is None:
        return status_code
    return term.en if lang == "en" else term.vi


CCHC_BLOCKS: Final = _table(
    Term("so_nganh", "Sở, ban, ngành", "Departments and agencies"),
    Term("huyen", "UBND cấp huyện", "District People's Committees"),
    Term("xa", "UBND cấp xã", "Commune People's Committees"),
)
"""The unit groups (khối) of the CCHC index; a set, a ranking and a sheet name one."""


def block(code: str, lang: str = "vi") -> str:
    """A CCHC block's name (``so_nganh`` → ``Sở, ban, ngành``); an unknown code as it is."""
    term = CCHC_BLOCKS.get(code)
    if term is None:
        return code
    return term.en if lang == "en" else term.vi


def role(code: str, lang: str = "vi") -> str:
    term = ROLES.get(code)
    if term is None:
        return code
    return term.en if lang == "en" else term.vi
