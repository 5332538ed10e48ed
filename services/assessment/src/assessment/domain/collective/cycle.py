"""The yearly evaluation cycle: plan reference, content groups, step deadlines, enrolled units."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any
from uuid import UUID

from assessment.domain.collective.values import (
    DEFAULT_CONTENT_GROUPS,
    Step,
    default_deadline_dates,
)
from assessment.domain.kernel.base import TenantAggregate
from assessment.domain.kernel.errors import ValidationFailed
from assessment.domain.kernel.values import deadline_instant

CYCLE_NAMESPACE = uuid.UUID("5d1e0c7a-2b3f-5a4e-8c6d-9f0a1b2c3d4e")
DEADLINE_STEPS = (
    Step.SECTOR_REVIEW,
    Step.SELF_ASSESSMENT,
    Step.MEMBER_REVIEW,
    Step.CONSOLIDATION,
    Step.CAUCUS_REVIEW,
    Step.RECOGNITION,
)


def cycle_id_for(tenant: str, year: int) -> UUID:
    """One collective-evaluation cycle per tenant and year."""
    return uuid.uuid5(CYCLE_NAMESPACE, f"{tenant}/{year}")


def parse_content_groups(raw: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    if raw is None:
        return [g.to_dict() for g in DEFAULT_CONTENT_GROUPS]
    if not raw:
        raise ValidationFailed("cần ít nhất một nhóm nội dung đánh giá")
    seen: set[str] = set()
    groups = []
    for item in raw:
        code = str(item.get("code", "")).strip()
        title = str(item.get("title", "")).strip()
        subs = [str(s).strip() for s in item.get("sub_criteria", []) if str(s).strip()]
        if not code or not title:
            raise ValidationFailed("mỗi nhóm nội dung cần 'code' và 'title'")
        if code in seen:
            raise ValidationFailed(f"mã nhóm nội dung '{code}' bị trùng")
        seen.add(code)
        groups.append({"code": code, "title": title, "sub_criteria": subs})
    return groups


def parse_deadlines(year: int, raw: dict[str, str] | None) -> dict[str, str]:
    dates = {k: v.isoformat() for k, v in default_deadline_dates(year).items()}
    for key, value in (raw or {}).items():
        step = Step.parse(key)
        if step not in DEADLINE_STEPS:
            raise ValidationFailed(f"bước '{key}' không có hạn chót")
        try:
            dates[step.value] = date.fromisoformat(value).isoformat()
        except ValueError:
            raise ValidationFailed(f"hạn chót của '{key}' phải là ngày YYYY-MM-DD") from None
    return dates


class Cycle(TenantAggregate):
    TOPIC = "assessment.Cycle"
    deadline_changes: list[dict[str, Any]] | tuple[()] = ()
    """Each deadline change with its reason (copied on write; a class default for old state)."""

    class Event(TenantAggregate.Event):
        TOPIC = "assessment.Cycle.Event"

    class Planned(Event, TenantAggregate.Created):
        TOPIC = "assessment.Cycle.Planned"
        year: int
        title: str
        plan_reference: str
        content_groups: list[dict[str, Any]]
        deadlines: dict[str, str]

    class DeadlineChanged(Event):
        TOPIC = "assessment.Cycle.DeadlineChanged"
        step: str
        deadline: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.deadline_changes = [
                *aggregate.deadline_changes,
                {
                    "step": self.step,
                    "from": aggregate.deadlines.get(self.step),
                    "to": self.deadline,
                    "reason": self.reason,
                    "at": self.occurred_at.isoformat(),
                    "by": self.actor,
                },
            ]
            aggregate.deadlines[self.step] = self.deadline

    class UnitsEnrolled(Event):
        TOPIC = "assessment.Cycle.UnitsEnrolled"
        unit_ids: list[str]

        def apply(self, aggregate: Any) -> None:
            aggregate.unit_ids.extend(self.unit_ids)

    def __init__(
        self,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        year: int,
        title: str,
        plan_reference: str,
        content_groups: list[dict[str, Any]],
        deadlines: dict[str, str],
    ) -> None:
        self.tenant = tenant
        self.year = year
        self.title = title
        self.plan_reference = plan_reference
        self.content_groups = content_groups
        self.deadlines = dict(deadlines)
        self.unit_ids: list[str] = []

    @classmethod
    def plan(
        cls,
        *,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        year: int,
        title: str | None,
        plan_reference: str,
        content_groups: list[dict[str, Any]] | None,
        deadlines: dict[str, str] | None,
    ) -> Cycle:
        if not 2000 <= year <= 2100:
            raise ValidationFailed("năm đánh giá phải trong khoảng 2000–2100")
        if not plan_reference.strip():
            raise ValidationFailed("cần số hiệu kế hoạch (plan_reference)")
        return cls._create(
            cls.Planned,
            id=cycle_id_for(tenant, year),
            tenant=tenant,
            actor=actor,
            occurred_at=occurred_at,
            year=year,
            title=(title or f"Đánh giá kết quả công vụ năm {year}").strip(),
            plan_reference=plan_reference.strip(),
            content_groups=parse_content_groups(content_groups),
            deadlines=parse_deadlines(year, deadlines),
        )

    def change_deadline(
        self, *, actor: dict[str, Any], occurred_at: datetime, step: str, deadline: str, reason: str
    ) -> None:
        if not reason.strip():
            raise ValidationFailed("đổi hạn chót cần nêu lý do")
        new = parse_deadlines(self.year, {step: deadline})[Step.parse(step).value]
        self._trigger(
            self.DeadlineChanged,
            actor=actor,
            occurred_at=occurred_at,
            step=Step.parse(step).value,
            deadline=new,
            reason=reason.strip(),
        )

    def enrol(
        self, *, actor: dict[str, Any], occurred_at: datetime, unit_ids: list[UUID]
    ) -> list[UUID]:
        """Enrol units; returns those that are new (enrolling twice is a no-op)."""
        new = [u for u in dict.fromkeys(unit_ids) if str(u) not in self.unit_ids]
        if new:
            self._trigger(
                self.UnitsEnrolled,
                actor=actor,
                occurred_at=occurred_at,
                unit_ids=[str(u) for u in new],
            )
        return new

    def deadline_for(self, step: Step) -> datetime | None:
        raw = self.deadlines.get(step.value)
        return deadline_instant(date.fromisoformat(raw)) if raw else None

    def content_group_codes(self) -> list[str]:
        return [g["code"] for g in self.content_groups]
