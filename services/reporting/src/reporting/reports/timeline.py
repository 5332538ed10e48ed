"""A tenant's event timeline for auditors: every published event of the tenant in store order,
filtered by unit, step, actor and business-time range, paged. Each entry carries who (actor),
when it happened (business time) and when it was stored (recorded time), its position in the
store's order (the audit chain's position), the request it came from, and whether its chain
link matches its content (when the history carries the chain fields)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from reporting.read_models.collective_steps import STEP_OF_EVENT
from shared.envelope import Envelope, chain_hash


@dataclass(frozen=True)
class TimelineFilter:
    unit_id: str | None = None
    step: str | None = None
    actor: str = ""
    start: datetime | None = None  # business time, inclusive
    end: datetime | None = None  # business time, inclusive


@dataclass
class Timeline:
    items: list[dict[str, Any]]
    total: int
    page: int
    page_size: int
    units: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def chain_status(env: Envelope) -> str:
    """``matches`` (its chain hash is the hash of its content and the previous link),
    ``altered`` (it is not), ``unsealed`` (no chain fields in this history)."""
    if env.hash is None:
        return "unsealed"
    return "matches" if chain_hash(env.prev_hash, env) == env.hash else "altered"


def step_of(env: Envelope) -> str | None:
    step = STEP_OF_EVENT.get(env.event_name)
    if step is None and env.aggregate_type == "UnitAssessment":
        reopened = env.payload.get("step")
        step = str(reopened) if reopened else None
    if step is None and env.event_name == "DeadlineChanged":
        step = str(env.payload.get("step"))
    return step


def _units_of(env: Envelope, unit_of_assessment: dict[str, str]) -> set[str]:
    found: set[str] = set()
    if env.aggregate_type == "Unit":
        found.add(env.aggregate_id)
    if env.aggregate_id in unit_of_assessment:
        found.add(unit_of_assessment[env.aggregate_id])
    p = env.payload
    for key in ("unit_id", "successor_id", "split_from"):
        if p.get(key):
            found.add(str(p[key]))
    found.update(str(u) for u in p.get("unit_ids", []) or [])
    return found


def timeline(
    envelopes: Iterable[Envelope],
    tenant: str,
    wanted: TimelineFilter,
    *,
    page: int = 1,
    page_size: int = 50,
) -> Timeline:
    """The tenant's events, oldest first; another tenant's are never read into it."""
    own = sorted((e for e in envelopes if e.tenant == tenant), key=lambda e: e.global_position)
    unit_of_assessment: dict[str, str] = {}
    units: dict[str, dict[str, str]] = {}
    for env in own:
        if env.aggregate_type == "UnitAssessment" and env.event_name == "Opened":
            unit_of_assessment[env.aggregate_id] = str(env.payload.get("unit_id"))
        if env.aggregate_type == "Unit" and env.event_name == "Registered":
            units[env.aggregate_id] = {"code": env.payload["code"], "name": env.payload["name"]}
    needle = wanted.actor.strip().casefold()
    chosen: list[Envelope] = []
    for env in own:
        at = datetime.fromisoformat(env.occurred_at)
        if wanted.start is not None and at < wanted.start:
            continue
        if wanted.end is not None and at > wanted.end:
            continue
        if wanted.step and step_of(env) != wanted.step:
            continue
        if needle:
            actor = " ".join(str(v) for v in env.actor.values() if v).casefold()
            if needle not in actor:
                continue
        if wanted.unit_id and wanted.unit_id not in _units_of(env, unit_of_assessment):
            continue
        chosen.append(env)
    total = len(chosen)
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    items = []
    for env in chosen[(page - 1) * page_size : page * page_size]:
        touched = sorted(_units_of(env, unit_of_assessment))
        items.append(
            {
                "position": env.global_position,
                "event": f"{env.aggregate_type}.{env.event_name}",
                "aggregate_id": env.aggregate_id,
                "aggregate_version": env.aggregate_version,
                "step": step_of(env),
                "units": [units.get(u, {"code": u[:8], "name": u}) for u in touched],
                "actor": dict(env.actor),
                "occurred_at": env.occurred_at,
                "recorded_at": env.recorded_at,
                "request": env.correlation_id or env.causation_id,
                "reason": env.payload.get("reason"),
                "hash": env.hash,
                "chain": chain_status(env),
            }
        )
    return Timeline(items, total, page, page_size, units)
