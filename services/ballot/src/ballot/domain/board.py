"""The public board: one append-only, hash-chained list of entries per election.

Each entry is ``{"election", "seq", "kind", "body"}``; ``seq`` counts from 1 without gaps. Its
link is ``hash = SHA-256(prev ‖ canonical bytes)`` where ``prev`` is the previous entry's hash
(32 zero bytes before the first) and the canonical bytes are the sorted-key, compact UTF-8 JSON
of the entry (``shared.envelope.canonical_json``, the same rule as the audit chain). Checkpoints
are ``shared.audit.Checkpoint`` values with ``service = "ballot:<election id>"``,
``position = count = seq`` and ``signed_at`` a UTC *date* (no finer time on the board).

The downloadable record is NDJSON: one ``{"type": "entry", ...}`` line per entry in ``seq``
order, each checkpoint as a ``{"type": "checkpoint", ...}`` line right after the entry it seals.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Final

from shared.envelope import canonical_json

ZERO_HASH: Final[bytes] = bytes(32)

# Entry kinds, in lifecycle order.
CREATED: Final = "election.created"
ROUND1: Final = "ceremony.round1"
ROUND2: Final = "ceremony.round2"
CONFIRMED: Final = "ceremony.confirmed"
COMPLAINT: Final = "ceremony.complaint"
RESTARTED: Final = "ceremony.restarted"
COMPLETED: Final = "ceremony.completed"
CREDENTIALS: Final = "credentials.published"
OPENED: Final = "election.opened"
BALLOT: Final = "ballot.cast"
CLOSED: Final = "election.closed"
AUDITED: Final = "ballot.audited"
AGGREGATED: Final = "tally.aggregated"
SHARE: Final = "decryption.share"
RESULT: Final = "tally.result"

KINDS: Final = frozenset(
    {
        CREATED,
        ROUND1,
        ROUND2,
        CONFIRMED,
        COMPLAINT,
        RESTARTED,
        COMPLETED,
        CREDENTIALS,
        OPENED,
        BALLOT,
        CLOSED,
        AUDITED,
        AGGREGATED,
        SHARE,
        RESULT,
    }
)


def checkpoint_service(election_id: str) -> str:
    return f"ballot:{election_id}"


def entry_bytes(election_id: str, seq: int, kind: str, body: dict[str, Any]) -> bytes:
    return canonical_json({"election": election_id, "seq": seq, "kind": kind, "body": body})


def link_hash(prev_hash: str | None, canonical: bytes) -> str:
    h = hashlib.sha256()
    h.update(bytes.fromhex(prev_hash) if prev_hash else ZERO_HASH)
    h.update(canonical)
    return h.hexdigest()


@dataclass(frozen=True)
class Entry:
    election_id: str
    seq: int
    kind: str
    body: dict[str, Any]
    prev_hash: str | None
    hash: str

    @classmethod
    def make(
        cls, election_id: str, seq: int, kind: str, body: dict[str, Any], prev_hash: str | None
    ) -> Entry:
        return cls(
            election_id,
            seq,
            kind,
            body,
            prev_hash,
            link_hash(prev_hash, entry_bytes(election_id, seq, kind, body)),
        )

    def canonical(self) -> bytes:
        return entry_bytes(self.election_id, self.seq, self.kind, self.body)

    def recomputed_hash(self) -> str:
        return link_hash(self.prev_hash, self.canonical())

    def to_line(self) -> dict[str, Any]:
        return {
            "type": "entry",
            "election": self.election_id,
            "seq": self.seq,
            "kind": self.kind,
            "body": self.body,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }

    @classmethod
    def from_line(cls, line: dict[str, Any]) -> Entry:
        keys = {"type", "election", "seq", "kind", "body", "prev_hash", "hash"}
        if set(line) != keys or line["type"] != "entry":
            raise ValueError("an entry line needs exactly " + ", ".join(sorted(keys)))
        seq, body = line["seq"], line["body"]
        if not isinstance(seq, int) or isinstance(seq, bool) or not isinstance(body, dict):
            raise ValueError("entry seq must be an integer and body an object")
        for k in ("election", "kind", "hash"):
            if not isinstance(line[k], str):
                raise ValueError(f"entry {k} must be a string")
        if line["prev_hash"] is not None and not isinstance(line["prev_hash"], str):
            raise ValueError("entry prev_hash must be a string or null")
        return cls(line["election"], seq, line["kind"], body, line["prev_hash"], line["hash"])
