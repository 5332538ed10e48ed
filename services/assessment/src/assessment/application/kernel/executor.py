"""The one executor: every command of every context runs here, in one transaction.

``ContextApplication.execute`` checks the caller's role against the matrix (before any lookup),
answers a repeated ``Idempotency-Key`` from its record, runs the handler with a ``Run`` (the
context, the business time, loads scoped to the tenant), saves what it returns together with
the idempotency record, and on a conflicting write runs it once more on fresh state, then
refuses with ``assessment.concurrent_update``. Queries get a ``Read`` after the same check.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any, ClassVar, TypeVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, Recording
from eventsourcing.utils import get_topic
from pydantic import ValidationError

from assessment.application.kernel.catalogue import Catalogue, CommandSpec, Outcome, QuerySpec
from assessment.application.kernel.commands import Command
from assessment.application.kernel.context import CommandContext
from assessment.application.kernel.errors import ConcurrencyConflict, IdempotencyKeyReused
from assessment.application.kernel.idempotency import IdempotencyRecord, idempotency_id_for
from assessment.application.kernel.permissions import Forbidden, Scope, check, role_scope
from assessment.domain.kernel.base import TenantAggregate
from assessment.domain.kernel.errors import DomainError, NotFound, ValidationFailed

T = TypeVar("T", bound=TenantAggregate)
Clock = Callable[[], datetime]


@dataclass
class Read:
    """What a query may do: load the tenant's aggregates."""

    app: ContextApplication
    ctx: CommandContext

    @property
    def tenant(self) -> str:
        return self.ctx.tenant

    def load(self, cls: type[T], ident: UUID, what: str) -> T:
        return self.app.load(cls, ident, self.ctx.tenant, what)

    def find(self, cls: type[T], ident: UUID, what: str) -> T | None:
        """The tenant's aggregate, or None when there is none (another tenant's: NotFound)."""
        if not self.app.exists(ident):
            return None
        return self.load(cls, ident, what)

    def load_many(self, cls: type[T], idents: Sequence[UUID], what: str) -> dict[UUID, T]:
        """The tenant's aggregates among ``idents``, by id, in one store read (a missing one,
        another tenant's or another kind's is left out: the caller refuses it as ``load``)."""
        return self.app.load_many(cls, idents, self.ctx.tenant)

    def events_of(
        self, idents: Sequence[UUID], kinds: Sequence[type[Any]]
    ) -> dict[UUID, list[Any]]:
        """The tenant's events of ``kinds`` of each of ``idents`` (in version order), in one
        store read: for a use case that needs one fact of many aggregates, not their state."""
        return self.app.events_of(idents, kinds, self.ctx.tenant)

    def exists(self, ident: UUID) -> bool:
        return self.app.exists(ident)

    def existing(self, idents: Sequence[UUID]) -> set[UUID]:
        """Which of ``idents`` exist (in any tenant: as ``exists``), in one store read."""
        return self.app.existing(idents)


@dataclass
class Run(Read):
    """What a handler may do: a ``Read`` at one business time, for one command."""

    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    command: str = ""
    authorized: bool = False

    @property
    def by(self) -> dict[str, Any]:
        """Actor and business time, as every aggregate method takes them."""
        return {"actor": self.ctx.actor, "occurred_at": self.now}

    def authorize_for(self, target_unit: UUID, year: int) -> None:
        """For commands scoped to units: check the caller's reach on this unit in this year."""
        self.app.authorize_on(self.ctx, self.command, target_unit, year)
        self.authorized = True


def _invalid(exc: ValidationError) -> ValidationFailed:
    parts = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
    return ValidationFailed("dữ liệu không hợp lệ — " + "; ".join(parts))


class ContextApplication(Application[UUID]):
    """The event-sourced application every context's commands run in (one store, one log)."""

    catalogue: ClassVar[Catalogue]

    def __init__(self, env: Mapping[str, str] | None = None, clock: Clock | None = None) -> None:
        super().__init__(env)
        self.clock: Clock = clock or (lambda: datetime.now(UTC))
        self._listeners: list[Callable[[], None]] = []
        self._listeners_lock = threading.Lock()
        self._committer: Callable[[Sequence[Aggregate]], None] | None = None

    # ------------------------------------------------------------ hooks (the registry's)
    def acting_unit(self, ctx: CommandContext) -> UUID | None:
        """The unit the caller acts for (its id), if any."""
        raise NotImplementedError

    def covered(self, ctx: CommandContext, scope: Scope, target_unit: UUID, year: int) -> bool:
        """Whether an assignment of the caller covers ``target_unit`` in ``year``."""
        raise NotImplementedError

    # ------------------------------------------------------------ storing
    def use_committer(self, commit: Callable[[Sequence[Aggregate]], None]) -> None:
        """Install a committer (e.g. group commit); by default each command saves alone."""
        self._committer = commit

    def _commit(self, aggregates: Sequence[Aggregate]) -> None:
        if self._committer is None:
            self.save(*aggregates)
        else:
            self._committer(aggregates)

    def add_save_listener(self, listener: Callable[[], None]) -> None:
        """Called after every successful save (wakes the relay; SQLite has no LISTEN)."""
        with self._listeners_lock:
            self._listeners.append(listener)

    def _notify(self, recordings: list[Recording[UUID]]) -> None:
        for listener in list(self._listeners):
            listener()

    def load(self, cls: type[T], ident: UUID, tenant: str, what: str) -> T:
        try:
            agg: Any = self.repository.get(ident)
        except AggregateNotFoundError:
            raise NotFound(f"{what} {ident} không tồn tại") from None
        # Across tenants the answer is the same as for a missing aggregate.
        if not isinstance(agg, cls) or not agg.belongs_to(tenant):
            raise NotFound(f"{what} {ident} không tồn tại")
        return agg

    def load_many(self, cls: type[T], idents: Sequence[UUID], tenant: str) -> dict[UUID, T]:
        """Many aggregates in one query on PostgreSQL (in pages of 5,000), each rebuilt from
        all its events, not through the cache (nothing to copy); one ``load`` per id on other
        stores. Only ``tenant``'s aggregates of class ``cls`` are returned."""
        events_of = getattr(self.recorder, "events_of", None)
        found: dict[UUID, Any] = {}
        wanted = list(dict.fromkeys(idents))
        if events_of is None:
            for ident in wanted:
                try:
                    found[ident] = self.load(cls, ident, tenant, "")
                except NotFound:
                    continue
            return found
        to_domain = self.mapper.to_domain_event
        for k in range(0, len(wanted), 5_000):
            for ident, stored in events_of(wanted[k : k + 5_000]).items():
                agg: Any = None
                for event in stored:  # as eventsourcing's projector, without its per-event
                    agg = cast(Any, to_domain(event)).mutate(agg)  # runtime check (slow)
                if isinstance(agg, cls) and agg.belongs_to(tenant):
                    found[ident] = agg
        return found

    def events_of(
        self, idents: Sequence[UUID], kinds: Sequence[type[Any]], tenant: str
    ) -> dict[UUID, list[Any]]:
        """The ``tenant``'s events of ``kinds`` of each of ``idents``, in version order: one
        query on PostgreSQL (the rows of other kinds never leave the server), the events of
        each id filtered here on other stores."""
        events_of = getattr(self.recorder, "events_of", None)
        found: dict[UUID, list[Any]] = {}
        wanted = list(dict.fromkeys(idents))
        if events_of is None:
            for ident in wanted:
                chosen = [e for e in self.events.get(ident) if isinstance(e, tuple(kinds))]
                if chosen:
                    found[ident] = chosen
        else:
            topics = [get_topic(k) for k in kinds]
            to_domain = self.mapper.to_domain_event
            for k in range(0, len(wanted), 5_000):
                for ident, stored in events_of(wanted[k : k + 5_000], topics).items():
                    found[ident] = [to_domain(e) for e in stored]
        return {
            i: mine
            for i, events in found.items()
            if (mine := [e for e in events if getattr(e, "tenant", None) == tenant])
        }

    def exists(self, ident: UUID) -> bool:
        return bool(self.recorder.select_events(ident, limit=1))

    def existing(self, idents: Sequence[UUID]) -> set[UUID]:
        """Which of ``idents`` have events: one query on PostgreSQL (in pages of 10,000),
        one look-up per id on other stores."""
        found_in = getattr(self.recorder, "existing_ids", None)
        if found_in is not None:
            found: set[UUID] = set()
            for k in range(0, len(idents), 10_000):
                found |= found_in(idents[k : k + 10_000])
            return found
        return {i for i in idents if self.exists(i)}

    # ------------------------------------------------------------ the matrix
    def authorize(self, ctx: CommandContext, command: str) -> None:
        """A check with no target unit (reads, and streamed exports done outside)."""
        self._check(ctx, command, None, None)

    def authorize_on(self, ctx: CommandContext, command: str, unit: UUID, year: int) -> None:
        self._check(ctx, command, unit, year)

    def _check(
        self, ctx: CommandContext, command: str, unit: UUID | None, year: int | None
    ) -> None:
        """The one place where the permission matrix is applied."""

        def covered(scope: Scope) -> bool:
            if unit is None or year is None:
                return False
            return self.covered(ctx, scope, unit, year)

        role = str(ctx.actor.get("role"))
        check(self.catalogue.matrix, command, role, self.acting_unit(ctx), unit, covered)

    # ------------------------------------------------------------ commands
    def execute(
        self, spec: CommandSpec, ctx: CommandContext, cmd: Command, ids: Mapping[str, UUID]
    ) -> dict[str, Any]:
        """Run one command: role check, idempotency, handler, one save, retry once, 409."""
        role = str(ctx.actor.get("role"))
        on_target = spec.model.checked_on_target
        scope = None if on_target else role_scope(self.catalogue.matrix, spec.permission, role)

        def action(now: datetime) -> Outcome:
            run = Run(self, ctx, now=now, command=spec.permission)
            outcome = spec.handler(run, cmd, **ids)
            if scope is not Scope.TENANT and not run.authorized:
                raise Forbidden(f"'{spec.permission}' cần đơn vị đích")
            return outcome

        return self._execute(ctx, action)

    def _execute(
        self, ctx: CommandContext, action: Callable[[datetime], Outcome]
    ) -> dict[str, Any]:
        key = ctx.idempotency_key
        if key:
            earlier = self._idempotent_answer(ctx)
            if earlier is not None:
                return earlier
        for attempt in (1, 2):
            now = self.clock()
            try:
                aggregates, response = action(now)
            except DomainError:
                # a concurrent first attempt with this key committed while we were checking
                # (e.g. "already exists"): its answer is ours, not a 409
                if key:
                    earlier = self._idempotent_answer(ctx)
                    if earlier is not None:
                        return earlier
                raise
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
                if to_save:  # a read that records nothing opens no write transaction
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

    # ------------------------------------------------------------ queries
    def ask(self, spec: QuerySpec, ctx: CommandContext, *args: Any, **kwargs: Any) -> Any:
        self.authorize(ctx, spec.permission)
        return spec.fn(Read(self, ctx), *args, **kwargs)

    # ------------------------------------------------------------ by name
    def _call(self, spec: CommandSpec, ctx: CommandContext, *ids: UUID, **fields: Any) -> Any:
        """``app.<command>(ctx, *ids, **fields)``: the model validates the fields, as the
        route's body would be."""
        if len(ids) != len(spec.target):
            raise TypeError(f"{spec.name} takes ids {spec.target}")
        try:
            cmd = spec.model.model_validate(fields)
        except ValidationError as exc:
            raise _invalid(exc) from None
        return self.execute(spec, ctx, cmd, dict(zip(spec.target, ids, strict=True)))

    def __getattr__(self, name: str) -> Callable[..., Any]:
        """Each command and query of the catalogue, by its name (``app.register_unit(ctx,
        code=…)``, ``app.get_unit(ctx, unit_id)``)."""
        if not name.startswith("_"):
            catalogue = type(self).catalogue
            if name in catalogue.commands:
                return partial(self._call, catalogue.commands[name])
            if name in catalogue.queries:
                return partial(self.ask, catalogue.queries[name])
        raise AttributeError(name)
