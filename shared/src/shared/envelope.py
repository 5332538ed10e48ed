"""The integration contract: the event envelope published on ``*.events.v1`` topics.

Schema version 1 (ARCHITECTURE §5). Changes are additive only; a breaking change is a new
topic version. ``event_id`` is uuid5 of (aggregate_id, aggregate_version), so a republish of the
same stored event carries the same id and consumers can drop duplicates.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any

SCHEMA_VERSION = 1
EVENT_ID_NAMESPACE = uuid.UUID("6f1c2b9e-3d7a-5e4b-9a61-2c0f6f7f1a10")


_NAMESPACE_BYTES = EVENT_ID_NAMESPACE.bytes


def event_id_for(aggregate_id: uuid.UUID | str, aggregate_version: int) -> str:
    """``str(uuid5(EVENT_ID_NAMESPACE, f"{aggregate_id}:{aggregate_version}"))``, computed
    without building two ``UUID`` objects (it runs for every event the relay or a rebuild
    maps)."""
    name = f"{aggregate_id}:{aggregate_version}".encode()
    b = bytearray(hashlib.sha1(_NAMESPACE_BYTES + name, usedforsecurity=False).digest()[:16])
    b[6] = (b[6] & 0x0F) | 0x50  # version 5
    b[8] = (b[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


@dataclass(frozen=True)
class Actor:
    """Who did it: the authenticated subject, the role used and the unit acted for."""

    subject: str
    role: str
    acting_for: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"subject": self.subject, "role": self.role, "acting_for": self.acting_for}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Actor:
        return cls(
            subject=str(data["subject"]),
            role=str(data["role"]),
            acting_for=data.get("acting_for"),
        )


@dataclass(frozen=True)
class Envelope:
    event_id: str
    type: str
    tenant: str
    aggregate_type: str
    aggregate_id: str
    aggregate_version: int
    global_position: int
    occurred_at: str
    recorded_at: str
    actor: dict[str, Any]
    payload: dict[str, Any]
    schema_version: int = SCHEMA_VERSION
    correlation_id: str | None = None
    causation_id: str | None = None
    prev_hash: str | None = None
    hash: str | None = None
    extensions: dict[str, Any] = field(default_factory=dict)

    @property
    def event_name(self) -> str:
        """The event's own name: ``Consolidated`` of ``assessment.UnitAssessment.Consolidated``."""
        return self.type.rsplit(".", 1)[-1]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def _canonical(self, *, chain_fields: bool) -> bytes:
        """``canonical_json`` of ``to_dict()`` (without the chain fields if asked), built from
        the fields themselves: ``asdict`` deep-copies actor and payload only for them to be
        serialised, ~5× the cost (the relay does it twice per event). Payloads are JSON
        values, which serialise the same either way; anything else takes ``to_dict()``."""
        body = {name: getattr(self, name) for name in _FIELD_NAMES}
        if not chain_fields:
            del body["prev_hash"], body["hash"]
        try:
            return canonical_json(body)
        except TypeError:  # e.g. a dataclass inside: asdict turns it into a dict
            body = self.to_dict()
            if not chain_fields:
                del body["prev_hash"], body["hash"]
            return canonical_json(body)

    def to_json_bytes(self) -> bytes:
        return self._canonical(chain_fields=True)

    def canonical_bytes_for_hash(self) -> bytes:
        """Bytes covered by the audit chain: everything but the chain fields themselves."""
        return self._canonical(chain_fields=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Envelope:
        known = {f for f in cls.__dataclass_fields__}
        missing = [
            name
            for name in (
                "event_id",
                "type",
                "tenant",
                "aggregate_type",
                "aggregate_id",
                "aggregate_version",
                "global_position",
                "occurred_at",
                "recorded_at",
                "actor",
                "payload",
            )
            if name not in data
        ]
        if missing:
            raise ValueError(f"envelope is missing fields: {', '.join(missing)}")
        if int(data.get("schema_version", SCHEMA_VERSION)) > SCHEMA_VERSION:
            # Additive changes keep version 1; a higher number means a contract we do not know.
            raise ValueError(f"unsupported envelope schema_version {data['schema_version']}")
        return cls(**{k: v for k, v in data.items() if k in known})

    @classmethod
    def from_json_bytes(cls, raw: bytes) -> Envelope:
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise ValueError("envelope must be a JSON object")
        return cls.from_dict(data)


_FIELD_NAMES = tuple(f.name for f in fields(Envelope))


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if hasattr(value, "value"):  # enums
        return value.value
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def canonical_json(data: Any) -> bytes:
    """Sorted keys, no insignificant whitespace, UTF-8: the bytes that are hashed and signed."""
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default
    ).encode("utf-8")


def chain_hash(prev_hash: str | None, envelope: Envelope) -> str:
    h = hashlib.sha256()
    h.update(bytes.fromhex(prev_hash) if prev_hash else b"\x00" * 32)
    h.update(envelope.canonical_bytes_for_hash())
    return h.hexdigest()
