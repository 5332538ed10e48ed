"""The assessment application: use cases over the event store, one transaction each."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, Recording

from assessment.application.errors import ConcurrencyConflict, IdempotencyKeyReused
from assessment.application.idempotency import IdempotencyRecord, idempotency_id_for
from assessment.application.permissions import Scope, check
from assessment.application.views import to_public_event, to_public_state
from assessment.domain.assignment import Assignments, assignments_id_for
from assessment.domain.base import TenantAggregate
from assessment.domain.cycle import Cycle, cycle_id_for
from assessment.domain.errors import AlreadyExists, NotFound, ValidationFailed
from assessment.domain.unit import Unit, unit_id_for
from assessment.domain.unit_assessment import UnitAssessment, unit_assessment_id_for
from assessment.domain.values import Step
from shared.envelope import canonical_json

T = TypeVar("T", bound=TenantAggregate)
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class CommandContext:
    """Who asks, for which tenant, and the client's idempotency key (if any)."""

    tenant: str
    actor: dict[str, Any]
    idempotency_key: str | None = None
    request_fingerprint: str | None = None


def fingerprint(*parts: Any) -> str:
    return hashlib.sha256(canonical_json(list(parts))).hexdigest()


Outcome = tuple[Sequence[Aggregate], dict[str, Any]]


class AssessmentApplication(Application[UUID]):
    name = "assessment"
    DEFAULT_SNAPSHOT_INTERVAL = 100
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {
        UnitAssessment: DEFAULT_SNAPSHOT_INTERVAL
    }

    def __init__(self, env: dict[str, str] | None = None, clock: Clock | None = None) -> None:
        super().__init__(env)
        self.clock: Clock = clock or (lambda: datetime.now(UTC))
        self._listeners: list[Callable[[], None]] = []
        self._listeners_lock = threading.Lock()

    # ------------------------------------------------------------ plumbing
    def use_committer(self, commit: Callable[[Sequence[Aggregate]], None]) -> None:
        """Install a committer (e.g. group commit); by default each command saves alone."""
        self._committer = commit

    def _commit(self, aggregates: Sequence[Aggregate]) -> None:
        committer = getattr(self, "_committer", None)
        if committer is None:
            self.save(*aggregates)
        else:
            committer(aggregates)

    def add_save_listener(self, listener: Callable[[], None]) -> None:
        """Called after every successful save (wakes the relay; SQLite has no LISTEN)."""
        with self._listeners_lock:
            self._listeners.append(listener)

    def _notify(self, recordings: list[Recording[UUID]]) -> None:
        for listener in list(self._listeners):
            listener()

    def _load(self, cls: type[T], ident: UUID, tenant: str, what: str) -> T:
        try:
            agg: Any = self.repository.get(ident)
        except AggregateNotFoundError:
            raise NotFound(f"{what} {ident} không tồn tại") from None
        # Across tenants the answer is the same as for a missing aggregate.
        if not isinstance(agg, cls) or not agg.belongs_to(tenant):
            raise NotFound(f"{what} {ident} không tồn tại")
        return agg

    def _exists(self, ident: UUID) -> bool:
        return bool(self.recorder.select_events(ident, limit=1))

    def authorize(self, ctx: CommandContext, command: str) -> None:
        """For reads done outside the application (streamed exports): the same matrix."""
        self._authorize(ctx, command)

    def _authorize(
        self,
        ctx: CommandContext,
        command: str,
        target_unit: UUID | None = None,
        year: int | None = None,
    ) -> None:
        """The one place where the permission matrix is applied (see permissions.py)."""
        acting = ctx.actor.get("acting_for")
        acting_id = unit_id_for(ctx.tenant, acting) if acting else None

        def covered(scope: Scope) -> bool:
            if target_unit is None or year is None:
                return False
            if scope is Scope.MANAGED_UNITS:
                if acting_id is None:
                    return False
                kind, holder = "sector_management", str(acting_id)
            else:
                kind, holder = "pc_oversight", str(ctx.actor.get("subject"))
            try:
                found: Any = self.repository.get(assignments_id_for(ctx.tenant, kind, holder))
            except AggregateNotFoundError:
                return False
            return isinstance(found, Assignments) and found.covers(target_unit, year)

        check(command, str(ctx.actor.get("role")), acting_id, target_unit, covered)

    def _execute(
        self, ctx: CommandContext, action: Callable[[datetime], Outcome]
    ) -> dict[str, Any]:
        """Run a command: idempotency check, optimistic retry once, then 409."""
        key = ctx.idempotency_key
        if key:
            earlier = self._idempotent_answer(ctx)
            if earlier is not None:
                return earlier
        for attempt in (1, 2):
            now = self.clock()
            aggregates, response = action(now)
            to_save: list[Aggregate] = list(aggregates)
            if key:
                to_save.append(
                    IdempotencyRecord.record(
                        tenant=ctx.tenant,
                        actor=ctx.actor,
                        occurred_at=now,
                        key=key,
                        request_hash=ctx.request_fingerprint or "",
                        response=response,
                    )
                )
            try:
                self._commit(to_save)
            except IntegrityError:
                if key:
                    earlier = self._idempotent_answer(ctx)
                    if earlier is not None:
                        return earlier
                if attempt == 2:
                    raise ConcurrencyConflict(
                        "dữ liệu đã thay đổi trong lúc xử lý; hãy tải lại và thử lại"
                    ) from None
                continue
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def _idempotent_answer(self, ctx: CommandContext) -> dict[str, Any] | None:
        assert ctx.idempotency_key is not None
        ident = idempotency_id_for(ctx.tenant, ctx.idempotency_key)
        try:
            record: Any = self.repository.get(ident)
        except AggregateNotFoundError:
            return None
        if not isinstance(record, IdempotencyRecord):
            return None
        if record.request_hash != (ctx.request_fingerprint or ""):
            raise IdempotencyKeyReused(
                "khóa Idempotency-Key này đã dùng cho một yêu cầu khác; hãy dùng khóa mới"
            )
        return dict(record.response)

    # ------------------------------------------------------------ units
    def register_unit(
        self,
        ctx: CommandContext,
        *,
        code: str,
        name: str,
        kind: str,
        parent_code: str | None = None,
        valid_from: str | None = None,
        split_from: UUID | None = None,
    ) -> dict[str, Any]:
        self._authorize(ctx, "register_unit")

        def action(now: datetime) -> Outcome:
            ident = unit_id_for(ctx.tenant, code)
            if self._exists(ident):
                raise AlreadyExists(f"mã đơn vị '{code}' đã được đăng ký")
            parent_id = None
            if parent_code:
                parent_id = unit_id_for(ctx.tenant, parent_code)
                self._load(Unit, parent_id, ctx.tenant, "đơn vị cấp trên")
            if split_from is not None:
                self._load(Unit, split_from, ctx.tenant, "đơn vị được chia tách")
            unit = Unit.register(
                tenant=ctx.tenant,
                actor=ctx.actor,
                occurred_at=now,
                code=code,
                name=name,
                kind=kind,
                parent_id=parent_id,
                valid_from=valid_from,
                split_from=split_from,
            )
            return [unit], {"id": str(unit.id), "version": unit.version}

        return self._execute(ctx, action)

    def _on_unit(
        self, ctx: CommandContext, unit_id: UUID, act: Callable[[Unit, datetime], object]
    ) -> dict[str, Any]:
        """A registry change (rename, merge, dissolve): one unit, one transaction."""
        self._authorize(ctx, "change_unit")

        def action(now: datetime) -> Outcome:
            unit = self._load(Unit, unit_id, ctx.tenant, "đơn vị")
            act(unit, now)
            return [unit], {"id": str(unit.id), "version": unit.version}

        return self._execute(ctx, action)

    def rename_unit(
        self, ctx: CommandContext, unit_id: UUID, *, name: str, effective_date: str | None = None
    ) -> dict[str, Any]:
        return self._on_unit(
            ctx,
            unit_id,
            lambda unit, now: unit.rename(
                actor=ctx.actor, occurred_at=now, name=name, effective_date=effective_date
            ),
        )

    def merge_unit(
        self,
        ctx: CommandContext,
        unit_id: UUID,
        *,
        successor_id: UUID,
        effective_date: str,
        decision_number: str,
    ) -> dict[str, Any]:
        def merge(unit: Unit, now: datetime) -> None:
            successor = self._load(Unit, successor_id, ctx.tenant, "đơn vị tiếp nhận")
            unit.merge_into(
                actor=ctx.actor,
                occurred_at=now,
                successor=successor,
                effective_date=effective_date,
                decision_number=decision_number,
            )

        return self._on_unit(ctx, unit_id, merge)

    def dissolve_unit(
        self,
        ctx: CommandContext,
        unit_id: UUID,
        *,
        effective_date: str,
        decision_number: str,
        reason: str,
    ) -> dict[str, Any]:
        return self._on_unit(
            ctx,
            unit_id,
            lambda unit, now: unit.dissolve(
                actor=ctx.actor,
                occurred_at=now,
                effective_date=effective_date,
                decision_number=decision_number,
                reason=reason,
            ),
        )

    def get_unit(self, ctx: CommandContext, unit_id: UUID) -> dict[str, Any]:
        self._authorize(ctx, "read")
        unit = self._load(Unit, unit_id, ctx.tenant, "đơn vị")
        return {
            "id": str(unit.id),
            "code": unit.code,
            "name": unit.name,
            "kind": unit.kind.value,
            "parent_id": str(unit.parent_id) if unit.parent_id else None,
            "valid_from": unit.valid_from,
            "valid_to": unit.valid_to,
            "names": unit.names,
            "split_from": str(unit.split_from) if unit.split_from else None,
            "successor_id": str(unit.successor_id) if unit.successor_id else None,
            "version": unit.version,
        }

    # ------------------------------------------------------------ assignments
    def grant_assignment(
        self,
        ctx: CommandContext,
        *,
        kind: str,
        holder: str,
        unit_ids: Sequence[UUID],
        decision_number: str,
        decision_date: str,
        valid_from: str,
        valid_to: str | None = None,
    ) -> dict[str, Any]:
        """Sector management (holder = the agency's unit code) or PC member oversight (holder
        = the member's subject), by decision, with validity dates."""
        self._authorize(ctx, "grant_assignment")

        def action(now: datetime) -> Outcome:
            if kind == "sector_management":
                agency = self._load(
                    Unit,
                    unit_id_for(ctx.tenant, holder),
                    ctx.tenant,
                    "cơ quan quản lý chuyên ngành",
                )
                holder_key = str(agency.id)
            else:
                holder_key = holder
            for unit_id in unit_ids:
                self._load(Unit, unit_id, ctx.tenant, "đơn vị")
            ident = assignments_id_for(ctx.tenant, kind, holder_key)
            if self._exists(ident):
                found: Any = self.repository.get(ident)
                if not isinstance(found, Assignments) or not found.belongs_to(ctx.tenant):
                    raise NotFound(f"phân công {ident} không tồn tại")
                agg = found
            else:
                agg = Assignments.open(
                    tenant=ctx.tenant,
                    actor=ctx.actor,
                    occurred_at=now,
                    kind=kind,
                    holder=holder_key,
                )
            grant_id = agg.grant(
                actor=ctx.actor,
                occurred_at=now,
                unit_ids=list(unit_ids),
                decision_number=decision_number,
                decision_date=decision_date,
                valid_from=valid_from,
                valid_to=valid_to,
            )
            return [agg], {"id": str(agg.id), "version": agg.version, "grant_id": grant_id}

        return self._execute(ctx, action)

    def revoke_assignment(
        self,
        ctx: CommandContext,
        assignments_id: UUID,
        *,
        grant_id: str,
        effective_date: str,
        reason: str,
    ) -> dict[str, Any]:
        self._authorize(ctx, "revoke_assignment")

        def action(now: datetime) -> Outcome:
            agg = self._load(Assignments, assignments_id, ctx.tenant, "phân công")
            agg.revoke(
                actor=ctx.actor,
                occurred_at=now,
                grant_id=grant_id,
                effective_date=effective_date,
                reason=reason,
            )
            return [agg], {"id": str(agg.id), "version": agg.version}

        return self._execute(ctx, action)

    def get_assignments(self, ctx: CommandContext, assignments_id: UUID) -> dict[str, Any]:
        self._authorize(ctx, "read")
        agg = self._load(Assignments, assignments_id, ctx.tenant, "phân công")
        return {
            "id": str(agg.id),
            "kind": agg.kind,
            "holder": agg.holder,
            "grants": agg.grants,
            "version": agg.version,
        }

    # ------------------------------------------------------------ cycles
    def plan_cycle(
        self,
        ctx: CommandContext,
        *,
        year: int,
        plan_reference: str,
        title: str | None = None,
        content_groups: list[dict[str, Any]] | None = None,
        deadlines: dict[str, str] | None = None,
        unit_ids: Sequence[UUID] = (),
    ) -> dict[str, Any]:
        self._authorize(ctx, "plan_cycle")

        def action(now: datetime) -> Outcome:
            if self._exists(cycle_id_for(ctx.tenant, year)):
                raise AlreadyExists(f"kỳ đánh giá năm {year} đã có")
            cycle = Cycle.plan(
                tenant=ctx.tenant,
                actor=ctx.actor,
                occurred_at=now,
                year=year,
                title=title,
                plan_reference=plan_reference,
                content_groups=content_groups,
                deadlines=deadlines,
            )
            opened = self._enrol(ctx, cycle, list(unit_ids), now)
            return [cycle, *opened], {
                "id": str(cycle.id),
                "version": cycle.version,
                "enrolled": [str(a.unit_id) for a in opened],
            }

        return self._execute(ctx, action)

    def _enrol(
        self, ctx: CommandContext, cycle: Cycle, unit_ids: list[UUID], now: datetime
    ) -> list[UnitAssessment]:
        for unit_id in unit_ids:
            unit = self._load(Unit, unit_id, ctx.tenant, "đơn vị")
            if unit.valid_to is not None and unit.valid_to < f"{cycle.year}-01-01":
                raise ValidationFailed(
                    f"đơn vị '{unit.code}' đã ngừng hoạt động từ {unit.valid_to}, trước năm "
                    f"{cycle.year}"
                )
        new = cycle.enrol(actor=ctx.actor, occurred_at=now, unit_ids=unit_ids)
        return [
            UnitAssessment.open(
                tenant=ctx.tenant,
                actor=ctx.actor,
                occurred_at=now,
                cycle_id=cycle.id,
                unit_id=u,
                year=cycle.year,
            )
            for u in new
        ]

    def enrol_units(
        self, ctx: CommandContext, cycle_id: UUID, unit_ids: Sequence[UUID]
    ) -> dict[str, Any]:
        self._authorize(ctx, "enrol_units")
        if not unit_ids:
            raise ValidationFailed("cần ít nhất một đơn vị")

        def action(now: datetime) -> Outcome:
            cycle = self._load(Cycle, cycle_id, ctx.tenant, "kỳ đánh giá")
            opened = self._enrol(ctx, cycle, list(unit_ids), now)
            return [cycle, *opened], {
                "id": str(cycle.id),
                "version": cycle.version,
                "enrolled": [str(a.unit_id) for a in opened],
            }

        return self._execute(ctx, action)

    def change_deadline(
        self, ctx: CommandContext, cycle_id: UUID, *, step: str, deadline: str, reason: str
    ) -> dict[str, Any]:
        self._authorize(ctx, "change_deadline")

        def action(now: datetime) -> Outcome:
            cycle = self._load(Cycle, cycle_id, ctx.tenant, "kỳ đánh giá")
            cycle.change_deadline(
                actor=ctx.actor, occurred_at=now, step=step, deadline=deadline, reason=reason
            )
            return [cycle], {"id": str(cycle.id), "version": cycle.version}

        return self._execute(ctx, action)

    def get_cycle(self, ctx: CommandContext, cycle_id: UUID) -> dict[str, Any]:
        self._authorize(ctx, "read")
        cycle = self._load(Cycle, cycle_id, ctx.tenant, "kỳ đánh giá")
        return {
            "id": str(cycle.id),
            "year": cycle.year,
            "title": cycle.title,
            "plan_reference": cycle.plan_reference,
            "content_groups": cycle.content_groups,
            "deadlines": cycle.deadlines,
            "unit_ids": list(cycle.unit_ids),
            "version": cycle.version,
        }

    # ------------------------------------------------------------ unit assessments
    def _on_assessment(
        self,
        command: str,
        ctx: CommandContext,
        cycle_id: UUID,
        unit_id: UUID,
        step: Step | None,
        act: Callable[[UnitAssessment, Cycle, datetime, datetime | None], object],
    ) -> dict[str, Any]:
        def action(now: datetime) -> Outcome:
            cycle = self._load(Cycle, cycle_id, ctx.tenant, "kỳ đánh giá")
            ua = self._load(
                UnitAssessment,
                unit_assessment_id_for(cycle_id, unit_id),
                ctx.tenant,
                "hồ sơ đánh giá của đơn vị",
            )
            self._authorize(ctx, command, ua.unit_id, cycle.year)
            deadline = cycle.deadline_for(step) if step else None
            act(ua, cycle, now, deadline)
            response: dict[str, Any] = {"id": str(ua.id), "version": ua.version}
            if deadline is not None:
                late = max(0, int((now - deadline).total_seconds()))
                response["late"] = late > 0
                response["late_by_seconds"] = late
            return [ua], response

        return self._execute(ctx, action)

    def submit_sector_review(
        self,
        ctx: CommandContext,
        cycle_id: UUID,
        unit_id: UUID,
        *,
        comment: str,
        proposed_level: str | None,
        published: bool,
    ) -> dict[str, Any]:
        reviewer = ctx.actor.get("acting_for") or ""
        return self._on_assessment(
            "submit_sector_review",
            ctx,
            cycle_id,
            unit_id,
            Step.SECTOR_REVIEW,
            lambda ua, _c, now, dl: ua.submit_sector_review(
                actor=ctx.actor,
                occurred_at=now,
                deadline=dl,
                reviewer_unit_id=reviewer,
                comment=comment,
                proposed_level=proposed_level,
                published=published,
            ),
        )

    def publish_sector_review(
        self, ctx: CommandContext, cycle_id: UUID, unit_id: UUID
    ) -> dict[str, Any]:
        reviewer = ctx.actor.get("acting_for") or ""
        return self._on_assessment(
            "publish_sector_review",
            ctx,
            cycle_id,
            unit_id,
            None,
            lambda ua, _c, now, _dl: ua.publish_sector_review(
                actor=ctx.actor, occurred_at=now, reviewer_unit_id=reviewer
            ),
        )

    def submit_self_assessment(
        self,
        ctx: CommandContext,
        cycle_id: UUID,
        unit_id: UUID,
        *,
        groups: dict[str, dict[str, Any]],
        proposed_level: str,
    ) -> dict[str, Any]:
        return self._on_assessment(
            "submit_self_assessment",
            ctx,
            cycle_id,
            unit_id,
            Step.SELF_ASSESSMENT,
            lambda ua, c, now, dl: ua.submit_self_assessment(
                actor=ctx.actor,
                occurred_at=now,
                deadline=dl,
                group_codes=c.content_group_codes(),
                groups=groups,
                proposed_level=proposed_level,
            ),
        )

    def submit_member_review(
        self,
        ctx: CommandContext,
        cycle_id: UUID,
        unit_id: UUID,
        *,
        assignment_reference: str,
        comment: str,
        proposed_level: str | None,
    ) -> dict[str, Any]:
        return self._on_assessment(
            "submit_member_review",
            ctx,
            cycle_id,
            unit_id,
            Step.MEMBER_REVIEW,
            lambda ua, _c, now, dl: ua.submit_member_review(
                actor=ctx.actor,
                occurred_at=now,
                deadline=dl,
                assignment_reference=assignment_reference,
                comment=comment,
                proposed_level=proposed_level,
            ),
        )

    def consolidate(
        self,
        ctx: CommandContext,
        cycle_id: UUID,
        unit_id: UUID,
        *,
        summary: str,
        proposed_level: str,
    ) -> dict[str, Any]:
        return self._on_assessment(
            "consolidate",
            ctx,
            cycle_id,
            unit_id,
            Step.CONSOLIDATION,
            lambda ua, _c, now, dl: ua.consolidate(
                actor=ctx.actor,
                occurred_at=now,
                deadline=dl,
                summary=summary,
                proposed_level=proposed_level,
            ),
        )

    def review_by_caucus(
        self,
        ctx: CommandContext,
        cycle_id: UUID,
        unit_id: UUID,
        *,
        comment: str,
        proposed_level: str | None,
    ) -> dict[str, Any]:
        return self._on_assessment(
            "review_by_caucus",
            ctx,
            cycle_id,
            unit_id,
            Step.CAUCUS_REVIEW,
            lambda ua, _c, now, dl: ua.review_by_caucus(
                actor=ctx.actor,
                occurred_at=now,
                deadline=dl,
                comment=comment,
                proposed_level=proposed_level,
            ),
        )

    def adjust_level(
        self, ctx: CommandContext, cycle_id: UUID, unit_id: UUID, *, level: str, reason: str
    ) -> dict[str, Any]:
        return self._on_assessment(
            "adjust_level",
            ctx,
            cycle_id,
            unit_id,
            None,
            lambda ua, _c, now, _dl: ua.adjust_level(
                actor=ctx.actor, occurred_at=now, level=level, reason=reason
            ),
        )

    def recognise(
        self,
        ctx: CommandContext,
        cycle_id: UUID,
        unit_id: UUID,
        *,
        decision_number: str,
        decision_date: str,
        signer: str,
        level: str,
    ) -> dict[str, Any]:
        return self._on_assessment(
            "recognise",
            ctx,
            cycle_id,
            unit_id,
            Step.RECOGNITION,
            lambda ua, _c, now, dl: ua.recognise(
                actor=ctx.actor,
                occurred_at=now,
                deadline=dl,
                decision_number=decision_number,
                decision_date=decision_date,
                signer=signer,
                level=level,
            ),
        )

    def publish(
        self, ctx: CommandContext, cycle_id: UUID, unit_id: UUID, *, channel: str
    ) -> dict[str, Any]:
        return self._on_assessment(
            "publish",
            ctx,
            cycle_id,
            unit_id,
            None,
            lambda ua, _c, now, _dl: ua.publish(actor=ctx.actor, occurred_at=now, channel=channel),
        )

    def flag_perfunctory(
        self, ctx: CommandContext, cycle_id: UUID, unit_id: UUID, *, reason: str
    ) -> dict[str, Any]:
        return self._on_assessment(
            "flag_perfunctory",
            ctx,
            cycle_id,
            unit_id,
            None,
            lambda ua, _c, now, _dl: ua.flag_perfunctory(
                actor=ctx.actor, occurred_at=now, reason=reason
            ),
        )

    def reopen_step(
        self, ctx: CommandContext, cycle_id: UUID, unit_id: UUID, *, step: str, reason: str
    ) -> dict[str, Any]:
        return self._on_assessment(
            "reopen_step",
            ctx,
            cycle_id,
            unit_id,
            None,
            lambda ua, _c, now, _dl: ua.reopen(
                actor=ctx.actor, occurred_at=now, step=step, reason=reason
            ),
        )

    def get_unit_assessment(
        self, ctx: CommandContext, cycle_id: UUID, unit_id: UUID
    ) -> dict[str, Any]:
        self._authorize(ctx, "read")
        ua = self._load(
            UnitAssessment,
            unit_assessment_id_for(cycle_id, unit_id),
            ctx.tenant,
            "hồ sơ đánh giá của đơn vị",
        )
        return {
            "id": str(ua.id),
            "cycle_id": str(ua.cycle_id),
            "unit_id": str(ua.unit_id),
            "year": ua.year,
            "version": ua.version,
            "sector_reviews": ua.sector_reviews,
            "self_assessment": ua.self_assessment,
            "member_reviews": ua.member_reviews,
            "consolidation": ua.consolidation,
            "caucus_review": ua.caucus_review,
            "adjustments": ua.adjustments,
            "recognition": ua.recognition,
            "publication": ua.publication,
            "perfunctory_flags": ua.perfunctory_flags,
            "reopenings": ua.reopenings,
            "current_level": ua.current_level,
        }

    # ------------------------------------------------------------ audit: history and "as of"
    def _owned_events(self, tenant: str, aggregate_id: UUID) -> list[Any]:
        events = list(self.events.get(aggregate_id))
        if not events or getattr(events[0], "tenant", None) != tenant:
            raise NotFound(f"hồ sơ {aggregate_id} không tồn tại")
        if type(events[0]).__name__ == "Recorded":  # idempotency records are not history
            raise NotFound(f"hồ sơ {aggregate_id} không tồn tại")
        return events

    def aggregate_history(self, ctx: CommandContext, aggregate_id: UUID) -> list[dict[str, Any]]:
        """Every event of one aggregate: what, when (business and store time), who."""
        self._authorize(ctx, "read_audit")
        tenant = ctx.tenant
        return [to_public_event(e) for e in self._owned_events(tenant, aggregate_id)]

    def aggregate_as_of(
        self,
        ctx: CommandContext,
        aggregate_id: UUID,
        *,
        version: int | None = None,
        at: datetime | None = None,
    ) -> dict[str, Any]:
        """The aggregate at a version, or as it stood at a business time (``occurred_at``)."""
        self._authorize(ctx, "read_audit")
        first = list(self.events.get(aggregate_id, limit=1))
        if (
            not first
            or getattr(first[0], "tenant", None) != ctx.tenant
            or type(first[0]).__name__ == "Recorded"
        ):
            raise NotFound(f"hồ sơ {aggregate_id} không tồn tại")
        if at is not None:  # business time: the last event that had occurred by then
            history: list[Any] = list(self.events.get(aggregate_id))
            known = [e for e in history if e.occurred_at <= at]
            if not known:
                raise NotFound(f"hồ sơ {aggregate_id} chưa tồn tại vào thời điểm {at}")
            version = known[-1].originator_version
        if version is not None:
            last = next(iter(self.events.get(aggregate_id, desc=True, limit=1)))
            if not 1 <= version <= last.originator_version:
                raise ValidationFailed(f"phiên bản phải từ 1 đến {last.originator_version}")
        aggregate: Any = self.repository.get(aggregate_id, version=version)
        return to_public_state(aggregate)
