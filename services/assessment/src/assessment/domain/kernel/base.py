"""The base of every aggregate here: tenant, actor and business time on every event."""

from __future__ import annotations

import copy
import enum
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

_ATOMIC: frozenset[type] = frozenset(
    {str, int, float, bool, bytes, type(None), UUID, datetime, date, time, timedelta, Decimal}
)
"""Immutable values: a copy may share them (what ``copy.deepcopy`` does for ``str``; for
``UUID`` and ``datetime`` it rebuilds each one through ``__reduce_ex__``)."""


def copy_state(value: Any, memo: dict[int, Any]) -> Any:
    """A deep copy of plain aggregate state (dicts, lists, tuples, sets of immutable values,
    nested), several times faster than ``copy.deepcopy``'s walk; any other object goes to
    ``copy.deepcopy`` with the same ``memo``. Containers are copied, never shared: a command
    mutating its copy can never change the cached aggregate."""
    kind = type(value)
    if kind in _ATOMIC or isinstance(value, enum.Enum):
        return value
    if kind is list:
        if _ATOMIC.issuperset(map(type, value)):  # one C-level pass
            return value.copy()
        return [copy_state(v, memo) for v in value]
    if kind is dict:
        if _ATOMIC.issuperset(map(type, value.values())):
            return value.copy()  # keys are hashable, so immutable in practice
        return {k: copy_state(v, memo) for k, v in value.items()}
    if kind is tuple:
        return tuple(copy_state(v, memo) for v in value)
    if kind is set or kind is frozenset:
        return kind(copy_state(v, memo) for v in value)
    return copy.deepcopy(value, memo)


class TenantAggregate(Aggregate):
    """An aggregate owned by one tenant (a province). Every event names tenant and actor."""

    class Event(Aggregate.Event):
        tenant: str
        actor: dict[str, Any]
        occurred_at: datetime

    tenant: str

    def _trigger(
        self,
        event_class: type[Aggregate.Event],
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        **kwargs: Any,
    ) -> None:
        self.trigger_event(
            event_class, tenant=self.tenant, actor=actor, occurred_at=occurred_at, **kwargs
        )

    def belongs_to(self, tenant: str) -> bool:
        return self.tenant == tenant

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        """The application's aggregate cache hands every command a deep copy of the cached
        aggregate (``DEEPCOPY_FROM_AGGREGATE_CACHE``); a cycle holds every enrolled unit, so
        ``copy.deepcopy``'s walk was the largest share of a command's Python calls (issue 14).
        Same independence, through ``copy_state``."""
        clone = type(self).__new__(type(self))
        memo[id(self)] = clone
        clone.__dict__.update({k: copy_state(v, memo) for k, v in self.__dict__.items()})
        return clone
