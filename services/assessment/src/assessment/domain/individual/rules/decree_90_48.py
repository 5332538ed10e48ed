"""Decree 90/2020/NĐ-CP (in force 20/08/2020) as amended by Decree 48/2023/NĐ-CP (in force
15/09/2023; results finalised earlier are not reopened) — cán bộ, công chức, viên chức.

The level is judged against criteria, not computed: this rule set bounds it (time in service,
discipline, degradation, head vs unit) and, where the self-assessment gives task counts, the
thresholds of the level articles that the sources state (viên chức Art. 12–15; cadres Art. 4).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from assessment.domain.individual.rules import common
from assessment.domain.individual.rules.base import Accumulator, Outcome, RatingFacts
from assessment.domain.individual.settings import IndividualSettings
from assessment.domain.individual.values import Category, Position
from assessment.domain.kernel.values import Level

CODE = "decree_90_48"
CODE_ORIGINAL = "decree_90"
EFFECTIVE = date(2020, 8, 20)  # NĐ 90/2020 [R1]
AMENDMENT_EFFECTIVE = date(2023, 9, 15)  # NĐ 48/2023 [R15]

SRC_TIME = "NĐ 90/2020, Điều 2 (nguyên tắc: thời gian công tác dưới 6 tháng; vắng 3–<6 tháng) [R10]"
SRC_DISCIPLINE = (
    "NĐ 90/2020, Điều 2 bổ sung bởi NĐ 48/2023 (bị kỷ luật trong năm → không hoàn thành; "
    "một hành vi chỉ tính một lần) [R15]"
)
SRC_DEGRADATION = "NĐ 90/2020 (mức không hoàn thành nhiệm vụ; viên chức: Điều 15 sửa đổi) [R8]"
SRC_UNIT_VIOLATION = "NĐ 90/2020, Điều 15 sửa đổi (viên chức quản lý: tham nhũng, lãng phí) [R8]"
SRC_HEAD = (
    "NĐ 90/2020, Điều 2 (gắn với kết quả của đơn vị) [R10]; HD 21-HD/BTCTW: người đứng đầu "
    "xếp sau tập thể, không cao hơn [R18]"
)
SRC_QUOTA = "NĐ 90/2020, Điều 2 khoản 6 bổ sung bởi NĐ 48/2023 [R16]; HD 21-HD/BTCTW [R17]"
SRC_TRANSFER = "NĐ 90/2020 (điều động, luân chuyển: kết hợp ý kiến cơ quan cũ nếu ≥ 6 tháng) [R9]"
SRC_DEADLINE = "NĐ 90/2020 (hoàn thành trước 15/12) [R9]"
SRC_PROCEDURE = "NĐ 90/2020, Điều 17–18 (trình tự, thủ tục) [R11][R12][R13]"
SRC_NOTICE = "NĐ 90/2020, Điều 22 (thông báo, công khai, lưu hồ sơ) [R14]"
SRC_VC_EXCELLENT = (
    "NĐ 90/2020 (viên chức không quản lý, xuất sắc: 100 % đúng hạn, ≥ 50 % vượt) [R7]"
)
SRC_VC_GOOD = "NĐ 90/2020 (viên chức, hoàn thành tốt: 100 % đúng hạn, bảo đảm chất lượng) [R5]"
SRC_VC_COMPLETED = "NĐ 90/2020 (viên chức, hoàn thành: không quá 20 % chưa bảo đảm) [R6]"
SRC_VC_NOT_COMPLETED = "NĐ 90/2020, Điều 15 sửa đổi (≥ 50 % tiêu chí không bảo đảm) [R8]"
SRC_MGR_GOOD = "NĐ 90/2020 (viên chức quản lý, hoàn thành tốt: đơn vị 100 %, ≥ 80 % đúng hạn) [R5]"
SRC_MGR_COMPLETED = "NĐ 90/2020 (viên chức quản lý, hoàn thành: đơn vị > 70 % chỉ tiêu) [R6]"
SRC_MGR_NOT_COMPLETED = "NĐ 90/2020, Điều 15 sửa đổi (đơn vị < 50 % chỉ tiêu) [R8]"
SRC_CADRE_EXCELLENT = "NĐ 90/2020, Điều 4 (cán bộ xuất sắc: đơn vị ≥ 50 % vượt; 100 %/70 %) [R4]"

HUNDRED = Decimal(100)


def amended(decided_on: date | None) -> bool:
    """Decree 48 applies to ratings finalised from 15/09/2023 (or not yet finalised)."""
    return decided_on is None or decided_on >= AMENDMENT_EFFECTIVE


class Decree90:
    def __init__(self, *, amended_by_48: bool) -> None:
        self.amended_by_48 = amended_by_48
        self.code = CODE if amended_by_48 else CODE_ORIGINAL
        self.title_vi = (
            "Nghị định 90/2020/NĐ-CP, sửa đổi bởi Nghị định 48/2023/NĐ-CP"
            if amended_by_48
            else "Nghị định 90/2020/NĐ-CP (trước sửa đổi)"
        )

    def evaluate(self, facts: RatingFacts, settings: IndividualSettings) -> Outcome:
        acc = Accumulator(self.code)
        common.time_in_service(acc, facts, SRC_TIME)
        if self.amended_by_48:
            common.disciplined(acc, facts, SRC_DISCIPLINE)
        common.degraded(acc, facts, SRC_DEGRADATION)
        if facts.category is Category.PUBLIC_EMPLOYEE:
            common.unit_violation(acc, facts, SRC_UNIT_VIOLATION)
        if facts.tasks is not None and acc.rated:
            task_thresholds(acc, facts)
        common.head_after_unit(acc, facts, SRC_HEAD)
        return acc.outcome()


def task_thresholds(acc: Accumulator, facts: RatingFacts) -> None:
    tasks = facts.tasks
    assert tasks is not None
    if facts.category is Category.PUBLIC_EMPLOYEE:
        if facts.position is Position.STAFF:
            _employee_thresholds(acc, facts)
        else:
            _manager_thresholds(acc, facts)
    elif facts.category is Category.CADRE:
        _cadre_excellent(acc, facts)


def _employee_thresholds(acc: Accumulator, facts: RatingFacts) -> None:
    tasks = facts.tasks
    assert tasks is not None
    missed = tasks.pct(tasks.total - tasks.on_time_quality)
    if tasks.total and missed >= 50:
        acc.force(
            Level.NOT_COMPLETED, SRC_VC_NOT_COMPLETED, f"{missed:.0f} % nhiệm vụ không bảo đảm"
        )
        return
    if missed > 20:
        acc.cap(
            Level.NOT_COMPLETED, SRC_VC_COMPLETED, f"{missed:.0f} % nhiệm vụ chưa bảo đảm (> 20 %)"
        )
    elif missed > 0:
        acc.cap(
            Level.COMPLETED,
            SRC_VC_GOOD,
            "chưa hoàn thành 100 % nhiệm vụ đúng hạn, bảo đảm chất lượng",
        )
    elif tasks.pct(tasks.exceeded) < 50:
        acc.cap(Level.GOOD, SRC_VC_EXCELLENT, "dưới 50 % nhiệm vụ vượt yêu cầu")


def _manager_thresholds(acc: Accumulator, facts: RatingFacts) -> None:
    tasks = facts.tasks
    assert tasks is not None
    targets = tasks.unit_targets_pct
    if targets is None:
        return
    managed_ok = tasks.managed_units == 0 or (
        tasks.managed_units_completed == tasks.managed_units
        and HUNDRED * tasks.managed_units_good >= 70 * tasks.managed_units
    )
    if targets < 50:
        acc.force(
            Level.NOT_COMPLETED, SRC_MGR_NOT_COMPLETED, f"đơn vị hoàn thành {targets} % chỉ tiêu"
        )
        return
    completed_ok = targets > 70 and (
        tasks.managed_units == 0
        or HUNDRED * tasks.managed_units_completed >= 70 * tasks.managed_units
    )
    if not completed_ok:
        acc.cap(
            Level.NOT_COMPLETED,
            SRC_MGR_COMPLETED,
            f"đơn vị hoàn thành {targets} % chỉ tiêu (≤ 70 %)",
        )
        return
    on_time = tasks.unit_targets_on_time_pct
    if targets < HUNDRED or (on_time is not None and on_time < 80) or not managed_ok:
        acc.cap(Level.COMPLETED, SRC_MGR_GOOD, "đơn vị chưa đạt 100 % chỉ tiêu, ≥ 80 % đúng hạn")


def _cadre_excellent(acc: Accumulator, facts: RatingFacts) -> None:
    tasks = facts.tasks
    assert tasks is not None
    managed_ok = tasks.managed_units == 0 or (
        tasks.managed_units_completed == tasks.managed_units
        and HUNDRED * tasks.managed_units_good >= 70 * tasks.managed_units
    )
    exceeded_ok = tasks.pct(tasks.exceeded) >= 50
    all_on_time = tasks.total == tasks.on_time_quality
    if not (managed_ok and exceeded_ok and all_on_time):
        acc.cap(Level.GOOD, SRC_CADRE_EXCELLENT, "chưa đủ tiêu chí mức 'hoàn thành xuất sắc'")
