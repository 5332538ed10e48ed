"""Idempotency records: the answer to a keyed command, saved atomically with its events.

A retry with the same ``Idempotency-Key`` gets the stored answer and stores nothing new; the
same key with a different request is refused. The record is an aggregate whose id is derived
from (tenant, key), so two concurrent first attempts collide on the store's unique key and only
one of them commits.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from uuid import UUID

from assessment.domain.kernel.base import TenantAggregate

IDEMPOTENCY_NAMESPACE = uuid.UUID("3c2b1a09-8f7e-5d6c-9b5a-4f3e2d1c0b9a")


def idempotency_id_for(tenant: str, key: str) -> UUID:
    return uuid.uuid5(IDEMPOTENCY_NAMESPACE, f"{tenant}/{key}")


class IdempotencyRecord(TenantAggregate):
    TOPIC = "assessment.IdempotencyRecord"

    class Event(TenantAggregate.Event):
        TOPIC = "assessment.IdempotencyRecord.Event"

    class Recorded(Event, TenantAggregate.Created):
        TOPIC = "assessment.IdempotencyRecord.Recorded"
        key: str
        request_hash: str
        response: dict[str, Any]

    def __init__(
        self,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        key: str,
        request_hash: str,
        response: dict[str, Any],
    ) -> None:
        self.tenant = tenant
        self.key = key
        self.request_hash = request_hash
        self.response = response

    @classmethod
    def record(
        cls,
        *,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        key: str,
        request_hash: str,
        response: dict[str, Any],
    ) -> IdempotencyRecord:
        return cls._create(
            cls.Recorded,
            id=idempotency_id_for(tenant, key),
            tenant=tenant,
            actor=actor,
            occurred_at=occurred_at,
            key=key,
            request_hash=request_hash,
            response=response,
        )
