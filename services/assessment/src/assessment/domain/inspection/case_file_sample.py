"""The random sample of one unit's case files in one inspection (SAMPLING.md).

One aggregate per (inspection, unit). Its events are the protocol's steps, so the event history
itself proves the order: the register and the sizes are committed first, then each party's
commitment, then each reveal (checked against its commitment); the second reveal draws the
sample in the same transaction. The published record (:meth:`record`) is exactly what
``inspection-verify-sample`` re-derives.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from assessment.domain.inspection import sampling as S
from assessment.domain.inspection.values import Party, parse_enum
from assessment.domain.kernel.base import TenantAggregate
from assessment.domain.kernel.errors import StepClosed, StepOrderViolation, ValidationFailed

SAMPLE_NAMESPACE = uuid.UUID("b5a7e0c1-44d2-5f8e-a913-6c0d2e4f8a61")
MAX_REGISTER = 100_000


def sample_id_for(inspection_id: UUID, unit_id: str) -> UUID:
    return uuid.uuid5(SAMPLE_NAMESPACE, f"{inspection_id}/{unit_id}")


def _hex32(value: str, what: str) -> bytes:
    return S.hex32(value, what)  # SamplingError: its stable code (SAMPLING.md §9) reaches the API


class CaseFileSample(TenantAggregate):
    TOPIC = "assessment.CaseFileSample"

    class Event(TenantAggregate.Event):
        TOPIC = "assessment.CaseFileSample.Event"

    class RegisterCommitted(Event, TenantAggregate.Created):
        TOPIC = "assessment.CaseFileSample.RegisterCommitted"
        inspection_id: UUID
        unit_id: str
        register: list[dict[str, str]]
        register_hash: str
        sizes: dict[str, int]
        parameters_hash: str
        populations: dict[str, int]

    class ValueCommitted(Event):
        TOPIC = "assessment.CaseFileSample.ValueCommitted"
        party: str
        commitment: str

        def apply(self, aggregate: Any) -> None:
            aggregate.commitments[self.party] = self.commitment

    class ValueRevealed(Event):
        TOPIC = "assessment.CaseFileSample.ValueRevealed"
        party: str
        value: str

        def apply(self, aggregate: Any) -> None:
            aggregate.reveals[self.party] = self.value

    class Drawn(Event):
        TOPIC = "assessment.CaseFileSample.Drawn"
        seed: str
        samples: dict[str, list[str]]

        def apply(self, aggregate: Any) -> None:
            aggregate.seed = self.seed
            aggregate.samples = {f: list(v) for f, v in self.samples.items()}

    def __init__(
        self,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        inspection_id: UUID,
        unit_id: str,
        register: list[dict[str, str]],
        register_hash: str,
        sizes: dict[str, int],
        parameters_hash: str,
        populations: dict[str, int],
    ) -> None:
        self.tenant = tenant
        self.inspection_id = inspection_id
        self.unit_id = unit_id
        self.register = [dict(e) for e in register]
        self.register_hash = register_hash
        self.sizes = dict(sizes)
        self.parameters_hash = parameters_hash
        self.populations = dict(populations)
        self.commitments: dict[str, str] = {}
        self.reveals: dict[str, str] = {}
        self.seed: str | None = None
        self.samples: dict[str, list[str]] | None = None

    @classmethod
    def commit_register(
        cls,
        *,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        inspection_id: UUID,
        unit_id: str,
        entries: Sequence[S.RegisterEntry],
        sizes: Mapping[str, int],
    ) -> CaseFileSample:
        if len(entries) > MAX_REGISTER:
            raise ValidationFailed(f"sổ có quá {MAX_REGISTER} hồ sơ")
        ordered = S.canonical_register(entries)
        S.check_sizes(sizes, ordered)
        reg = S.register_hash(str(inspection_id), unit_id, ordered)
        params = S.parameters_hash(str(inspection_id), unit_id, reg, sizes)
        return cls._create(
            cls.RegisterCommitted,
            id=sample_id_for(inspection_id, unit_id),
            tenant=tenant,
            actor=actor,
            occurred_at=occurred_at,
            inspection_id=inspection_id,
            unit_id=unit_id,
            register=[e.to_json() for e in ordered],
            register_hash=reg.hex(),
            sizes=dict(sizes),
            parameters_hash=params.hex(),
            populations={f: len(p) for f, p in S.populations(ordered).items()},
        )

    def commit(
        self, *, actor: dict[str, Any], occurred_at: datetime, party: str, commitment: str
    ) -> None:
        who = parse_enum(Party, party, "bên cam kết").value
        if who in self.commitments:
            raise StepClosed("bên này đã cam kết; không thay đổi được cam kết")
        _hex32(commitment, "commitment")
        self._trigger(
            self.ValueCommitted,
            actor=actor,
            occurred_at=occurred_at,
            party=who,
            commitment=commitment,
        )

    def reveal(
        self, *, actor: dict[str, Any], occurred_at: datetime, party: str, value: str
    ) -> None:
        """Reveal a party's value; the second reveal also draws the sample."""
        who = parse_enum(Party, party, "bên công bố").value
        if len(self.commitments) < len(Party):
            raise StepOrderViolation("chỉ công bố giá trị khi cả Đoàn và đơn vị đã cam kết")
        if who in self.reveals:
            raise StepClosed("bên này đã công bố giá trị")
        raw = _hex32(value, "value")
        S.check_reveal(
            str(self.inspection_id),
            self.unit_id,
            who,
            bytes.fromhex(self.parameters_hash),
            bytes.fromhex(self.commitments[who]),
            raw,
        )
        self._trigger(
            self.ValueRevealed, actor=actor, occurred_at=occurred_at, party=who, value=value
        )
        if len(self.reveals) == len(Party):
            record = self._record()
            self._trigger(
                self.Drawn,
                actor=actor,
                occurred_at=occurred_at,
                seed=record.seed.hex(),
                samples=record.samples(),
            )

    def _record(self) -> S.SamplingRecord:
        return S.SamplingRecord(
            str(self.inspection_id),
            self.unit_id,
            tuple(S.RegisterEntry.of(**e) for e in self.register),
            dict(self.sizes),
            {p: bytes.fromhex(c) for p, c in self.commitments.items()},
            {p: bytes.fromhex(v) for p, v in self.reveals.items()},
        )

    @property
    def status(self) -> str:
        if self.samples is not None:
            return "drawn"
        if self.reveals:
            return "revealing"
        return "committing" if self.commitments else "register_committed"

    def record(self) -> dict[str, Any]:
        """The published record: complete (SAMPLING.md §8) once drawn, else the public part."""
        if self.samples is not None:
            return self._record().to_json()
        return {
            "spec": S.SPEC,
            "inspection_id": str(self.inspection_id),
            "unit_id": self.unit_id,
            "register": [dict(e) for e in self.register],
            "register_hash": self.register_hash,
            "sizes": dict(self.sizes),
            "parameters_hash": self.parameters_hash,
            "commitments": dict(self.commitments),
            "status": self.status,
        }
