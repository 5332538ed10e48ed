"""Wire schemas of the ballot API. Crypto objects travel as the JSON of SPEC.md and are parsed
strictly by the crypto core, so they are plain objects here."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.text import NfcStr


class PersonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(default=None, max_length=40, description="stable id; default p1..pn")
    name: NfcStr = Field(max_length=200)
    position: NfcStr = Field(default="", max_length=300)


class TrusteeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: NfcStr = Field(max_length=200)
    sign_key: str = Field(description="Ed25519 public key, 64 lowercase hex digits")
    kx_key: str = Field(description="X25519 public key, 64 lowercase hex digits")


class Quorum(BaseModel):
    model_config = ConfigDict(extra="forbid")

    numerator: int = 2
    denominator: int = 3


class ElectionCreate(BaseModel):
    """A confidence vote (3 levels) or an evaluation ballot (4 completion levels)."""

    model_config = ConfigDict(extra="forbid")

    unit: NfcStr = Field(max_length=100, description="the unit whose heads are voted on")
    title: NfcStr = Field(max_length=300)
    scale: Literal["confidence", "completion"]
    persons: list[PersonIn] = Field(min_length=1, max_length=50)
    summoned: int = Field(ge=1, le=100_000, description="number of voters summoned")
    opens_at: datetime
    closes_at: datetime
    min_ballots: int = Field(ge=0, description="trustees refuse to decrypt fewer ballots")
    threshold: int = Field(ge=1, description="k of the k-of-n trustees")
    trustees: list[TrusteeIn] = Field(min_length=1, max_length=16)
    quorum: Quorum = Field(default_factory=Quorum)
    percent_base: Literal["returned", "valid", "summoned"] = "returned"
    allow_blank: bool = Field(
        default=True, description="add a 'no assessment' box per person, counted as invalid"
    )

    def to_request(self) -> dict[str, Any]:
        data = self.model_dump(mode="json", exclude_none=True)
        data["opens_at"] = self.opens_at.isoformat()
        data["closes_at"] = self.closes_at.isoformat()
        return data


class CredentialsUpload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    credentials: list[str] = Field(
        min_length=1, max_length=100_000, description="public credentials, hex (any order)"
    )


class Round1In(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: dict[str, Any] = Field(description="SPEC §10.3 round-1 message")


class Round2In(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: dict[str, Any] = Field(description="SPEC §10.4 round-2 message")
    shares: list[dict[str, Any]] = Field(description="SPEC §10.5 encrypted shares, to 1..n")


class ConfirmIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    trustee: int
    attempt: int
    joint_key: str
    verification_key: str
    signature: str


class ComplaintIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    trustee: int
    attempt: int
    accused: int
    signature: str


class DecryptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    share: dict[str, Any] = Field(description="SPEC §11.1 partial decryption with proofs")


class CastReceipt(BaseModel):
    election_id: str
    tracker: str = Field(description="SHA-256 of the ballot's canonical bytes: the receipt")
    fingerprint: str = Field(description="the election fingerprint the ballot is bound to")


class AuditReceipt(BaseModel):
    election_id: str
    tracker: str = Field(description="tracker of the audited (spoiled) ballot")
    audited: bool
    choices: list[int] = Field(description="the choice per question the nonces opened")
    published: str = Field(description="when the audit document appears on the board")
    replayed: bool = False


class TrackerLookup(BaseModel):
    election_id: str
    tracker: str
    seq: int | None = Field(description="board position; null for an audit before the close")
    counted: bool = Field(description="the last ballot of its credential (the one that counts)")
    superseded: bool
    audited: bool = Field(description="an audited (spoiled) ballot: never counted (SPEC §9.4)")
    election_status: str
