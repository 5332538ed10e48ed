"""The cap on "excellent": at most 20 % of those rated "good", per agency and per group of
similar tasks (not of headcount) — NĐ 90/2020 Điều 2 khoản 6 bổ sung bởi NĐ 48/2023 [R16];
HD 21-HD/BTCTW [R17][R18]; NĐ 335/2025 [R29]. A higher share only through an override decision
of the competent level, recorded with its number and reason.

``ExcellentQuota`` is the consistency boundary: one per tenant × agency × task group × year ×
side; every decided level of the scope is recorded in it in the same transaction as the rating.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from assessment.domain.individual.errors import (
    ExcellentQuotaExceeded,
    InvalidInput,
    ReasonRequired,
)
from assessment.domain.individual.settings import IndividualSettings
from assessment.domain.individual.values import parse_day, parse_level, parse_points, text
from assessment.domain.kernel.base import TenantAggregate
from assessment.domain.kernel.values import Level

QUOTA_NAMESPACE = uuid.UUID("7d3e9f2a-1c4b-5a6d-8e7f-0a1b2c3d4e5f")


def quota_id_for(tenant: str, agency_id: str, task_group: str, year: int, side: str) -> UUID:
    return uuid.uuid5(QUOTA_NAMESPACE, f"{tenant}/{agency_id}/{task_group}/{year}/{side}")


@dataclass(frozen=True)
class QuotaUse:
    good: int
    excellent: int
    percent: Decimal
    allowed: int

    @property
    def remaining(self) -> int:
        return max(0, self.allowed - self.excellent)

    @property
    def exceeded(self) -> bool:
        return self.excellent > self.allowed

    def to_dict(self) -> dict[str, Any]:
        return {
            "good": self.good,
            "excellent": self.excellent,
            "percent": str(self.percent),
            "allowed": self.allowed,
            "remaining": self.remaining,
        }


def allowed_excellent(good: int, excellent: int, percent: Decimal, includes_excellent: bool) -> int:
    """The most "excellent" the scope allows: ⌊base × percent / 100⌋, where the base is those
    rated "good" (plus those rated "excellent" when the tenant reads the text that way)."""
    if includes_excellent:
        # e ≤ (g + e)·p  ⇔  e ≤ g·p / (1 − p)
        if percent >= 100:
            return good + excellent
        return int((Decimal(good) * percent) // (Decimal(100) - percent))
    return int((Decimal(good) * percent) // Decimal(100))


def use_of(
    levels: dict[str, str], settings: IndividualSettings, override_percent: Decimal | None
) -> QuotaUse:
    good = sum(1 for v in levels.values() if v == Level.GOOD.value)
    excellent = sum(1 for v in levels.values() if v == Level.EXCELLENT.value)
    percent = override_percent if override_percent is not None else settings.excellent_quota_percent
    allowed = allowed_excellent(good, excellent, percent, settings.quota_base_includes_excellent)
    return QuotaUse(good=good, excellent=excellent, percent=percent, allowed=allowed)


class ExcellentQuota(TenantAggregate):
    TOPIC = "assessment.ExcellentQuota"

    class Event(TenantAggregate.Event):
        TOPIC = "assessment.ExcellentQuota.Event"

    class Opened(Event, TenantAggregate.Created):
        TOPIC = "assessment.ExcellentQuota.Opened"
        agency_id: str
        task_group: str
        year: int
        side: str

    class LevelsRecorded(Event):
        TOPIC = "assessment.ExcellentQuota.LevelsRecorded"
        entries: dict[str, str | None]  # person id → level, None = released (redo)

        def apply(self, aggregate: Any) -> None:
            for person, level in self.entries.items():
                if level is None:
                    aggregate.levels.pop(person, None)
                else:
                    aggregate.levels[person] = level

    class OverrideDecided(Event):
        TOPIC = "assessment.ExcellentQuota.OverrideDecided"
        percent: str
        decision_number: str
        decided_on: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.override = {
                "percent": self.percent,
                "decision_number": self.decision_number,
                "decided_on": self.decided_on,
                "reason": self.reason,
                "by": self.actor,
            }

    def __init__(
        self,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        agency_id: str,
        task_group: str,
        year: int,
        side: str,
    ) -> None:
        self.tenant = tenant
        self.agency_id = agency_id
        self.task_group = task_group
        self.year = year
        self.side = side
        self.levels: dict[str, str] = {}
        self.override: dict[str, Any] | None = None

    @classmethod
    def open(
        cls,
        *,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        agency_id: str,
        task_group: str,
        year: int,
        side: str = "state",
    ) -> ExcellentQuota:
        return cls._create(
            cls.Opened,
            id=quota_id_for(tenant, agency_id, task_group, year, side),
            tenant=tenant,
            actor=actor,
            occurred_at=occurred_at,
            agency_id=agency_id,
            task_group=task_group,
            year=year,
            side=side,
        )

    @property
    def override_percent(self) -> Decimal | None:
        return Decimal(self.override["percent"]) if self.override else None

    def use(self, settings: IndividualSettings) -> QuotaUse:
        return use_of(self.levels, settings, self.override_percent)

    def holders(self) -> list[str]:
        return sorted(p for p, v in self.levels.items() if v == Level.EXCELLENT.value)

    def record(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        entries: dict[str, str | None],
        settings: IndividualSettings,
        source: str,
        sources: Mapping[str, str] | None = None,
    ) -> QuotaUse:
        """Record decided levels (a batch is checked as a whole); refuse if "excellent" would
        then exceed the cap of the scope. The refusal cites the rule set of the people concerned
        — those the batch proposes as "excellent" (``sources``: person id → the text of their
        rule set; a group may mix Decree 335 civil servants and Decree 90/48 public employees),
        ``source`` for anyone not in ``sources``."""
        clean = {
            str(p): (parse_level(v).value if v is not None else None) for p, v in entries.items()
        }
        after = dict(self.levels)
        for person, level in clean.items():
            if level is None:
                after.pop(person, None)
            else:
                after[person] = level
        use = use_of(after, settings, self.override_percent)
        adds_excellent = any(v == Level.EXCELLENT.value for v in clean.values())
        if use.exceeded and adds_excellent:
            cited = dict.fromkeys(
                (sources or {}).get(p, source)
                for p, v in clean.items()
                if v == Level.EXCELLENT.value
            )
            raise ExcellentQuotaExceeded(
                f"nhóm '{self.task_group}' của cơ quan được tối đa {use.allowed} người 'hoàn "
                f"thành xuất sắc' ({use.percent} % của {use.good} người 'hoàn thành tốt'); "
                f"đề nghị {use.excellent} [{'; '.join(cited)}]"
            )
        changed = {p: v for p, v in clean.items() if self.levels.get(p) != v}
        if changed:
            self._trigger(
                self.LevelsRecorded, actor=actor, occurred_at=occurred_at, entries=changed
            )
        return use

    def decide_override(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        percent: object,
        decision_number: str,
        decided_on: str,
        reason: str,
        settings: IndividualSettings,
    ) -> None:
        """A higher share for a unit with outstanding results (NĐ 48/2023 [R16]; NĐ 335 [R29])."""
        if not (reason or "").strip():
            raise ReasonRequired("quyết định tỷ lệ cao hơn phải nêu lý do (thành tích nổi trội)")
        value = parse_points(percent, "tỷ lệ điều chỉnh", low=Decimal(0), high=Decimal(100))
        if not settings.excellent_quota_percent < value <= Decimal(100):
            raise InvalidInput(
                f"tỷ lệ điều chỉnh phải lớn hơn {settings.excellent_quota_percent} % và ≤ 100 %"
            )
        self._trigger(
            self.OverrideDecided,
            actor=actor,
            occurred_at=occurred_at,
            percent=str(value),
            decision_number=text(decision_number, "số quyết định", limit=100),
            decided_on=parse_day(decided_on, "ngày quyết định").isoformat(),
            reason=text(reason, "lý do", limit=2000),
        )
