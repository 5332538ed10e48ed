"""Board entries → integration envelopes on ``ballot.events.v1`` (the only translator).

Only lifecycle and result entries are published, never a ballot, a credential list, a
ceremony message or a decryption share. Payloads are copies of public board fields; there is
no voter identity anywhere in the service to leak.
"""

from __future__ import annotations

from typing import Any

from ballot.domain import board
from ballot.domain.board import Entry
from shared.envelope import Envelope, event_id_for

EVENT_TYPES = {
    board.CREATED: "ballot.ElectionCreated",
    board.RESTARTED: "ballot.KeyCeremonyRestarted",
    board.COMPLETED: "ballot.KeyCeremonyCompleted",
    board.CREDENTIALS: "ballot.CredentialsPublished",
    board.OPENED: "ballot.ElectionOpened",
    board.CLOSED: "ballot.ElectionClosed",
    board.RESULT: "ballot.ResultPublished",
}
SYSTEM_ACTOR = {"subject": "ballot-service", "role": "system", "acting_for": None}


def _payload(entry: Entry) -> dict[str, Any]:
    b = entry.body
    if entry.kind == board.CREATED:
        keep = (
            "unit",
            "title",
            "scale",
            "levels",
            "persons",
            "summoned",
            "opens_at",
            "closes_at",
            "min_ballots",
            "threshold",
            "quorum",
            "percent_base",
            "allow_blank",
        )
        return {
            **{k: b[k] for k in keep},
            "trustees": [{"index": t["index"], "name": t["name"]} for t in b["trustees"]],
            "board_key_id": b["board_key"]["key_id"],
        }
    if entry.kind == board.CREDENTIALS:
        return {"count": b["count"], "credential_list_hash": b["credential_list_hash"]}
    if entry.kind == board.COMPLETED:
        return {"joint_key": b["joint_key"]}
    if entry.kind == board.OPENED:
        return {"fingerprint": b["fingerprint"]}
    if entry.kind == board.CLOSED:
        return {"ballots": b["ballots"], "counted": b["counted"]}
    if entry.kind == board.RESTARTED:
        return {"attempt": b["attempt"]}
    if entry.kind == board.RESULT:
        return {"counted": b["counted"], "used": b["used"], "report": b["report"]}
    raise ValueError(f"{entry.kind} is never published")


def to_envelope(position: int, tenant: str, entry: Entry) -> Envelope:
    at = str(entry.body.get("at", ""))
    actor = entry.body.get("actor")
    return Envelope(
        event_id=event_id_for(entry.election_id, entry.seq),
        type=EVENT_TYPES[entry.kind],
        tenant=tenant,
        aggregate_type="ballot.Election",
        aggregate_id=entry.election_id,
        aggregate_version=entry.seq,
        global_position=position,
        occurred_at=at,
        recorded_at=at,
        actor={**SYSTEM_ACTOR, **actor} if isinstance(actor, dict) else dict(SYSTEM_ACTOR),
        payload=_payload(entry),
        extensions={"board": {"seq": entry.seq, "hash": entry.hash}},
    )
