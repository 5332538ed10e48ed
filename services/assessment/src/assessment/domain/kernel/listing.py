"""A tenant's list of aggregates of one kind for one key (e.g. the inspections of a year, the
remediation plans of a year): what a page lists and what another context's query walks,
without scanning the event store. One ``Listing`` per (tenant, name, key); an entry is added
once, in the same transaction as the aggregate it names."""

from __future__ import annotations

import copy
import uuid
from datetime import datetime
from typing import Any
from uuid import UUID

from assessment.domain.kernel.base import TenantAggregate

LISTING_NAMESPACE = uuid.UUID("5b0e7c1a-9d2f-5a4e-8c3b-71f6d2a9e4c0")


def listing_id_for(tenant: str, name: str, key: str) -> UUID:
    return uuid.uuid5(LISTING_NAMESPACE, f"{tenant}/{name}/{key}")


class Listing(TenantAggregate):
    TOPIC = "assessment.Listing"

    class Event(TenantAggregate.Event):
        TOPIC = "assessment.Listing.Event"

    class Opened(Event, TenantAggregate.Created):
        TOPIC = "assessment.Listing.Opened"
        name: str
        key: str

    class EntryAdded(Event):
        TOPIC = "assessment.Listing.EntryAdded"
        entry_id: str
        entry: dict[str, Any]

        def apply(self, aggregate: Any) -> None:
            aggregate.entries[self.entry_id] = copy.deepcopy(self.entry)

    def __init__(
        self, tenant: str, actor: dict[str, Any], occurred_at: datetime, name: str, key: str
    ) -> None:
        self.tenant = tenant
        self.name = name
        self.key = key
        self.entries: dict[str, dict[str, Any]] = {}

    @classmethod
    def open(
        cls, *, tenant: str, actor: dict[str, Any], occurred_at: datetime, name: str, key: str
    ) -> Listing:
        return cls._create(
            cls.Opened,
            id=listing_id_for(tenant, name, key),
            tenant=tenant,
            actor=actor,
            occurred_at=occurred_at,
            name=name,
            key=key,
        )

    def add(
        self, *, actor: dict[str, Any], occurred_at: datetime, entry_id: str, entry: dict[str, Any]
    ) -> None:
        if entry_id in self.entries:
            return
        self._trigger(
            self.EntryAdded, actor=actor, occurred_at=occurred_at, entry_id=entry_id, entry=entry
        )
