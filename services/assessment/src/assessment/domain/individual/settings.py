"""Tenant settings of the individual context: where the sources leave a rule open, the tenant
chooses, and the default is the one documented here (DOMAIN.md §0, §3, §11). Nothing here is a
guess hidden in code: each field names what it settles and where the default comes from.

*Thiết lập của từng tỉnh cho những điểm văn bản chưa rõ; mặc định ghi rõ nguồn.*
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from typing import Any

from assessment.domain.individual.errors import InvalidInput
from assessment.domain.individual.values import PeriodKind, parse_enum, parse_points

RULES_DECREE_90_48 = "decree_90_48"
RULES_DECREE_335 = "decree_335"


@dataclass(frozen=True)
class IndividualSettings:
    # NĐ 90/2020 (sửa đổi bởi NĐ 48/2023) [R9]; NĐ 335/2025 [R33]: hoàn thành trước 15/12.
    decision_deadline_month: int = 12
    decision_deadline_day: int = 15
    # NĐ 335/2025 [R33]: cơ quan đặc thù kết thúc năm công tác muộn hơn → trước 15/01 năm sau.
    decision_deadline_next_year: bool = False
    # NĐ 335/2025 [R30][R33]: theo dõi theo tháng hoặc theo quý (mỗi cơ quan chọn).
    scoring_period: PeriodKind = PeriodKind.MONTH
    # NĐ 48/2023 (khoản 6 Điều 2 NĐ 90) [R16], HD 21-HD/BTCTW [R17][R18], NĐ 335/2025 [R29]:
    # "xuất sắc" ≤ 20 % số được xếp loại "hoàn thành tốt".
    excellent_quota_percent: Decimal = Decimal("20")
    # UNCERTAIN (DOMAIN §3.3): whether the "good" count includes those proposed "excellent".
    # Default: the literal text — only those rated "good".
    quota_base_includes_excellent: bool = False
    # UNCERTAIN (DOMAIN §0, §11.1): which text governs cán bộ and viên chức from 01/01/2026.
    # Default: Decree 90 as amended, since Decree 335 covers công chức only [R28].
    non_civil_servants_from_2026: str = RULES_DECREE_90_48
    # 124/366-QĐ/TW: party-side rating only where the province enables it (issue 10).
    party_rating_enabled: bool = False
    # UNCERTAIN (DOMAIN §3.4, §11.3): whether 124/366 restate "head not above the collective".
    # Default: yes, as 21-HD/BTCTW (2019) states it [R18].
    party_head_not_above_unit: bool = True
    # UNCERTAIN (DOMAIN §11.3): how 366 period ratings roll up; NĐ 335 says only "from the period
    # results" [R30][R33]. Default: the mean of the scored periods (absent periods excluded, as
    # absences are rated on actual working time [R33]).
    annual_score_method: str = "mean"
    # No source found for how a product's points split into quantity, quality and progress
    # (NĐ 335 names the three measures [R30]). Default: equal shares.
    product_share_quantity: Decimal = Decimal(1)
    product_share_quality: Decimal = Decimal(1)
    product_share_progress: Decimal = Decimal(1)
    # No source found for the weight of the unit's results in a leader's task group (NĐ 335
    # [R32] names the criterion and its 100 % / 50 % rule). Default: half of the 70 points.
    leader_unit_results_weight: Decimal = Decimal("0.5")
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        try:
            date(2024, self.decision_deadline_month, self.decision_deadline_day)
        except ValueError:
            raise InvalidInput("hạn quyết định xếp loại không phải ngày hợp lệ") from None
        if not Decimal(0) <= self.excellent_quota_percent <= Decimal(100):
            raise InvalidInput("tỷ lệ 'xuất sắc' phải trong khoảng 0–100 %")
        if self.non_civil_servants_from_2026 not in (RULES_DECREE_90_48, RULES_DECREE_335):
            raise InvalidInput("bộ quy định cho cán bộ, viên chức từ 2026 không hợp lệ")
        if self.annual_score_method not in ("mean", "min"):
            raise InvalidInput("cách tính điểm năm phải là 'mean' hoặc 'min'")
        shares = (
            self.product_share_quantity,
            self.product_share_quality,
            self.product_share_progress,
        )
        if any(s < 0 for s in shares) or sum(shares) <= 0:
            raise InvalidInput("tỷ trọng số lượng/chất lượng/tiến độ phải không âm, tổng > 0")
        if not Decimal(0) <= self.leader_unit_results_weight <= Decimal(1):
            raise InvalidInput("tỷ trọng kết quả của đơn vị phải trong khoảng 0–1")

    def decision_deadline(self, year: int) -> date:
        target_year = year + 1 if self.decision_deadline_next_year else year
        if self.decision_deadline_next_year:
            return date(target_year, 1, 15)
        return date(target_year, self.decision_deadline_month, self.decision_deadline_day)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = str(value) if isinstance(value, Decimal) else value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> IndividualSettings:
        if not data:
            return cls()
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise InvalidInput(f"thiết lập không được hỗ trợ: {', '.join(unknown)}")
        values: dict[str, Any] = {}
        defaults = cls()
        for name, value in data.items():
            current = getattr(defaults, name)
            if isinstance(current, bool):
                if not isinstance(value, bool):
                    raise InvalidInput(f"thiết lập '{name}' phải là true/false")
                values[name] = value
            elif isinstance(current, Decimal):
                values[name] = parse_points(
                    value, f"thiết lập '{name}'", low=Decimal(0), high=Decimal(100)
                )
            elif isinstance(current, PeriodKind):
                values[name] = parse_enum(PeriodKind, value, f"thiết lập '{name}'")
            elif isinstance(current, int):
                if not isinstance(value, int) or isinstance(value, bool):
                    raise InvalidInput(f"thiết lập '{name}' phải là số nguyên")
                values[name] = value
            elif isinstance(current, str):
                values[name] = str(value)
            elif isinstance(value, dict):
                values[name] = value
            else:
                raise InvalidInput(f"thiết lập '{name}' không hợp lệ")
        return cls(**values)
