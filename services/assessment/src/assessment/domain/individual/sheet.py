"""A person's score sheet for one month or quarter under Decree 335/2025 (phiếu theo dõi, đánh
giá). Products are assigned and reported, objective causes confirmed (each an event with its
reason), general criteria scored; the head approves and the period's total is fixed then.
A sheet reopened for a redo keeps its earlier approval in the log.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from assessment.domain.individual.errors import InvalidInput, ReasonRequired, SheetClosed
from assessment.domain.individual.scoring import (
    GENERAL_MAX,
    PeriodScore,
    ProductResult,
    score_period,
)
from assessment.domain.individual.settings import IndividualSettings
from assessment.domain.individual.values import PeriodKind, parse_enum, parse_points, text
from assessment.domain.kernel.base import TenantAggregate

SHEET_NAMESPACE = uuid.UUID("c4a1e7d2-3b5f-5e8a-9d1c-7f6e5d4c3b2a")
MAX_PRODUCTS = 200
BIG = Decimal(1_000_000)


def sheet_id_for(person_id: UUID, year: int, kind: str, period: int) -> UUID:
    return uuid.uuid5(SHEET_NAMESPACE, f"{person_id}/{year}/{kind}/{period}")


def parse_products(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not isinstance(items, list) or len(items) > MAX_PRODUCTS:
        raise InvalidInput(f"danh sách sản phẩm phải là một danh sách tối đa {MAX_PRODUCTS} mục")
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, item in enumerate(items, 1):
        code = text(item.get("code"), f"mã sản phẩm #{i}", limit=64)
        if code in seen:
            raise InvalidInput(f"mã sản phẩm '{code}' bị trùng")
        seen.add(code)
        assigned = parse_points(
            item.get("assigned", 1), f"số lượng giao '{code}'", low=Decimal(0), high=BIG
        )
        completed = parse_points(
            item.get("completed", 0), f"số lượng hoàn thành '{code}'", low=Decimal(0), high=BIG
        )
        weight = parse_points(
            item.get("weight", 1), f"hệ số quy đổi '{code}'", low=Decimal(0), high=BIG
        )
        counts = {}
        for key in ("major_errors", "delays"):
            value = item.get(key, 0)
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 1000:
                raise InvalidInput(f"'{key}' của '{code}' phải là số nguyên không âm")
            counts[key] = value
        out.append(
            {
                "code": code,
                "title": text(
                    item.get("title"), f"tên sản phẩm '{code}'", limit=500, required=False
                ),
                "weight": str(weight),
                "assigned": str(assigned),
                "completed": str(completed),
                **counts,
            }
        )
    return out


class ScoreSheet(TenantAggregate):
    TOPIC = "assessment.ScoreSheet"

    class Event(TenantAggregate.Event):
        TOPIC = "assessment.ScoreSheet.Event"

    class Opened(Event, TenantAggregate.Created):
        TOPIC = "assessment.ScoreSheet.Opened"
        person_id: str
        agency_id: str
        year: int
        period_kind: str
        period: int
        leader: bool
        products: list[dict[str, Any]]

    class ProductsRecorded(Event):
        TOPIC = "assessment.ScoreSheet.ProductsRecorded"
        products: list[dict[str, Any]]

        def apply(self, aggregate: Any) -> None:
            aggregate.products = {p["code"]: p for p in self.products}

    class ObjectiveCauseConfirmed(Event):
        TOPIC = "assessment.ScoreSheet.ObjectiveCauseConfirmed"
        product_code: str
        kind: str  # "error" | "delay"
        count: int
        reason: str
        reference: str

        def apply(self, aggregate: Any) -> None:
            key = "excused_errors" if self.kind == "error" else "excused_delays"
            aggregate.excused.setdefault(
                self.product_code, {"excused_errors": 0, "excused_delays": 0}
            )
            aggregate.excused[self.product_code][key] += self.count

    class GeneralCriteriaScored(Event):
        TOPIC = "assessment.ScoreSheet.GeneralCriteriaScored"
        points: str
        by_self: bool
        note: str

        def apply(self, aggregate: Any) -> None:
            if self.by_self:
                aggregate.self_general = Decimal(self.points)
            else:
                aggregate.general = Decimal(self.points)

    class Approved(Event):
        TOPIC = "assessment.ScoreSheet.Approved"
        general: str
        tasks: str
        total: str
        subordinates_all_completed: bool

        def apply(self, aggregate: Any) -> None:
            aggregate.approved = {
                "general": self.general,
                "tasks": self.tasks,
                "total": self.total,
                "subordinates_all_completed": self.subordinates_all_completed,
                "by": self.actor,
                "at": self.occurred_at.isoformat(),
            }

    class Reopened(Event):
        TOPIC = "assessment.ScoreSheet.Reopened"
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.history.append({**(aggregate.approved or {}), "reopened_for": self.reason})
            aggregate.approved = None

    def __init__(
        self,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        person_id: str,
        agency_id: str,
        year: int,
        period_kind: str,
        period: int,
        leader: bool,
        products: list[dict[str, Any]],
    ) -> None:
        self.tenant = tenant
        self.person_id = UUID(person_id)
        self.agency_id = agency_id
        self.year = year
        self.period_kind = PeriodKind(period_kind)
        self.period = period
        self.leader = leader
        self.products: dict[str, dict[str, Any]] = {p["code"]: p for p in products}
        self.excused: dict[str, dict[str, int]] = {}
        self.general: Decimal | None = None
        self.self_general: Decimal | None = None
        self.approved: dict[str, Any] | None = None
        self.history: list[dict[str, Any]] = []

    @classmethod
    def open(
        cls,
        *,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        person_id: UUID,
        agency_id: str,
        year: int,
        period_kind: str,
        period: int,
        leader: bool,
        products: list[dict[str, Any]] | None = None,
    ) -> ScoreSheet:
        kind = parse_enum(PeriodKind, period_kind, "kỳ đánh giá")
        last = 12 if kind is PeriodKind.MONTH else 4
        if not isinstance(period, int) or not 1 <= period <= last:
            raise InvalidInput(f"kỳ đánh giá phải từ 1 đến {last}")
        if not 2026 <= year <= 2100:
            raise InvalidInput("phiếu chấm điểm theo NĐ 335/2025 áp dụng từ năm 2026")
        return cls._create(
            cls.Opened,
            id=sheet_id_for(person_id, year, kind.value, period),
            tenant=tenant,
            actor=actor,
            occurred_at=occurred_at,
            person_id=str(person_id),
            agency_id=agency_id,
            year=year,
            period_kind=kind.value,
            period=period,
            leader=bool(leader),
            products=parse_products(products or []),
        )

    def _require_open(self) -> None:
        if self.approved is not None:
            raise SheetClosed("phiếu đã duyệt; cần mở lại (nêu lý do) trước khi sửa")

    def record_products(
        self, *, actor: dict[str, Any], occurred_at: datetime, products: list[dict[str, Any]]
    ) -> None:
        self._require_open()
        self._trigger(
            self.ProductsRecorded,
            actor=actor,
            occurred_at=occurred_at,
            products=parse_products(products),
        )

    def confirm_objective_cause(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        product_code: str,
        kind: str,
        count: int,
        reason: str,
        reference: str,
    ) -> None:
        """NĐ 335/2025 [R30]: an error or delay with an objective cause confirmed by the
        competent level is not deducted."""
        self._require_open()
        product = self.products.get(product_code)
        if product is None:
            raise InvalidInput(f"không có sản phẩm '{product_code}' trong phiếu")
        if kind not in ("error", "delay"):
            raise InvalidInput("loại được miễn trừ phải là 'error' hoặc 'delay'")
        field = "major_errors" if kind == "error" else "delays"
        done = self.excused.get(product_code, {}).get(f"excused_{field.split('_')[-1]}", 0)
        if not isinstance(count, int) or count < 1 or done + count > product[field]:
            raise InvalidInput(f"số lần được miễn trừ vượt số {field} đã ghi của '{product_code}'")
        if not (reason or "").strip():
            raise ReasonRequired("cần nêu nguyên nhân khách quan được cấp có thẩm quyền xác nhận")
        self._trigger(
            self.ObjectiveCauseConfirmed,
            actor=actor,
            occurred_at=occurred_at,
            product_code=product_code,
            kind=kind,
            count=count,
            reason=text(reason, "nguyên nhân khách quan", limit=2000),
            reference=text(reference, "văn bản xác nhận", limit=200),
        )

    def score_general(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        points: object,
        by_self: bool,
        note: str = "",
    ) -> None:
        self._require_open()
        value = parse_points(points, "điểm tiêu chí chung", low=Decimal(0), high=GENERAL_MAX)
        self._trigger(
            self.GeneralCriteriaScored,
            actor=actor,
            occurred_at=occurred_at,
            points=str(value),
            by_self=by_self,
            note=text(note, "ghi chú", limit=2000, required=False),
        )

    def results(self) -> list[ProductResult]:
        out = []
        for code, p in self.products.items():
            excused = self.excused.get(code, {})
            out.append(
                ProductResult(
                    code=code,
                    weight=Decimal(p["weight"]),
                    assigned=Decimal(p["assigned"]),
                    completed=Decimal(p["completed"]),
                    major_errors=p["major_errors"],
                    delays=p["delays"],
                    excused_errors=excused.get("excused_errors", 0),
                    excused_delays=excused.get("excused_delays", 0),
                )
            )
        return out

    def score(
        self, settings: IndividualSettings, *, subordinates_all_completed: bool = True
    ) -> PeriodScore:
        return score_period(
            general=self.general if self.general is not None else Decimal(0),
            products=self.results(),
            settings=settings,
            leader=self.leader,
            subordinates_all_completed=subordinates_all_completed,
        )

    def approve(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        settings: IndividualSettings,
        subordinates_all_completed: bool = True,
    ) -> PeriodScore:
        self._require_open()
        if self.general is None:
            raise InvalidInput("chưa chấm điểm tiêu chí chung (tối đa 30 điểm)")
        result = self.score(settings, subordinates_all_completed=subordinates_all_completed)
        self._trigger(
            self.Approved,
            actor=actor,
            occurred_at=occurred_at,
            general=str(result.general),
            tasks=str(result.tasks),
            total=str(result.total),
            subordinates_all_completed=subordinates_all_completed,
        )
        return result

    def reopen(self, *, actor: dict[str, Any], occurred_at: datetime, reason: str) -> None:
        if self.approved is None:
            raise InvalidInput("phiếu chưa duyệt, không cần mở lại")
        if not (reason or "").strip():
            raise ReasonRequired("cần nêu lý do mở lại phiếu")
        self._trigger(
            self.Reopened, actor=actor, occurred_at=occurred_at, reason=text(reason, "lý do")
        )

    @property
    def approved_total(self) -> Decimal | None:
        return Decimal(self.approved["total"]) if self.approved else None


APPROVAL_EVENTS = (ScoreSheet.Approved, ScoreSheet.Reopened)
"""The only events that set or clear a sheet's approval."""


def approved_total_of(events: Iterable[Any]) -> Decimal | None:
    """A sheet's approved total from its approval events alone, in version order (the last
    ``Approved`` sets it, a later ``Reopened`` clears it): ``ScoreSheet.approved_total``
    without replaying the sheet."""
    total = None
    for event in events:
        if isinstance(event, ScoreSheet.Approved):
            total = Decimal(event.total)
        elif isinstance(event, ScoreSheet.Reopened):
            total = None
    return total
