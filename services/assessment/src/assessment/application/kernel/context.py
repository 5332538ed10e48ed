"""Who asks: the command context every handler and query receives."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from shared.envelope import canonical_json


@dataclass(frozen=True)
class CommandContext:
    """Who asks, for which tenant, and the client's idempotency key (if any)."""

    tenant: str
    actor: dict[str, Any]
    idempotency_key: str | None = None
    request_fingerprint: str | None = None


def fingerprint(*parts: Any) -> str:
    return hashlib.sha256(canonical_json(list(parts))).hexdigest()
