"""Which ballots the board accepts and which it counts (SPEC.md §15.2).

A ballot is accepted when the election is open and inside its window, it parses strictly and
verifies completely (``ballot.crypto.verify_ballot``), its credential is on the published list,
it is not already on the board (replay) and none of its ``α`` appears in a ballot of another
credential (a copied ciphertext). The last accepted ballot of each credential is counted.

:class:`BallotBook` is the in-memory index the standalone verifier and tests use; the service
keeps the same index in SQL tables (``ballot.adapters.store``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ballot.crypto import Ballot, Ciphertext, Point, aggregate_ballots, verify_ballot
from ballot.domain.errors import BallotError


@dataclass(frozen=True)
class CastBallot:
    """A parsed, fully verified ballot with the values the board indexes."""

    ballot: Ballot
    tracker: str
    credential: str
    alphas: tuple[str, ...]

    def body(self) -> dict[str, Any]:
        return {"ballot": self.ballot.to_dict(), "tracker": self.tracker}


def verify_cast(
    data: Mapping[str, Any],
    *,
    fingerprint: bytes,
    joint_key: Point,
    option_counts: Sequence[int],
) -> CastBallot:
    """Strict parse + complete verification; raises a typed ``CryptoError``."""
    ballot = Ballot.from_dict(data)
    verify_ballot(fingerprint, joint_key, ballot, option_counts)
    return CastBallot(
        ballot,
        ballot.tracker(),
        ballot.credential.hex(),
        tuple(ct.alpha.hex() for ans in ballot.answers for ct in ans.ciphertexts),
    )


def check_window(now: datetime, opens_at: datetime, closes_at: datetime) -> None:
    if not opens_at <= now < closes_at:
        raise BallotError(
            "ballot.outside_window",
            "Ngoài thời gian bỏ phiếu",
            "Outside the voting window",
            f"chỉ nhận phiếu từ {opens_at.isoformat()} đến trước {closes_at.isoformat()}",
            opens_at=opens_at.isoformat(),
            closes_at=closes_at.isoformat(),
        )


def unknown_credential() -> BallotError:
    return BallotError(
        "ballot.unknown_credential",
        "Mã bỏ phiếu không có trong danh sách của cuộc bỏ phiếu này",
        "Credential is not on the election's list",
        "khóa công khai của phiếu không nằm trong danh sách đã công bố",
    )


def replay(tracker: str) -> BallotError:
    return BallotError(
        "ballot.replay",
        "Phiếu này đã có trên bảng công khai",
        "Ballot already on the board (replay)",
        "phiếu giống hệt đã được ghi nhận; không ghi thêm",
        tracker=tracker,
    )


def duplicate_ciphertext() -> BallotError:
    return BallotError(
        "ballot.duplicate_ciphertext",
        "Phiếu dùng lại bản mã của một phiếu khác",
        "Ciphertext copied from another credential's ballot",
        "một α của phiếu đã xuất hiện trong phiếu của mã bỏ phiếu khác",
    )


AUDITED_OWNER = "audited"
"""Owner recorded for the ciphertexts of an audited ballot in the α index (not a credential)."""


def audited_ballot() -> BallotError:
    return BallotError(
        "ballot.audited",
        "Phiếu này đã được mở để kiểm tra nên không thể bỏ; hãy mã hóa phiếu mới",
        "This ballot was audited (its randomness revealed): it can never be cast",
        "một bản mã của phiếu thuộc một phiếu đã kiểm tra (Benaloh)",
    )


def already_cast() -> BallotError:
    return BallotError(
        "ballot.already_cast",
        "Phiếu này đã được bỏ: không thể mở để kiểm tra (sẽ lộ lựa chọn của một phiếu được đếm)",
        "This ballot was cast: it cannot be audited (that would reveal a counted vote)",
    )


@dataclass
class BallotBook:
    """Everything needed to accept and count ballots, in memory."""

    credentials: frozenset[str] = frozenset()
    trackers: dict[str, int] = field(default_factory=dict)
    alpha_owner: dict[str, str] = field(default_factory=dict)
    last: dict[str, tuple[int, Ballot]] = field(default_factory=dict)

    def admit(self, cast: CastBallot) -> None:
        """Raise the service's error if the board must refuse this verified ballot."""
        if cast.credential not in self.credentials:
            raise unknown_credential()
        if cast.tracker in self.trackers:
            raise replay(cast.tracker)
        for a in cast.alphas:
            owner = self.alpha_owner.get(a)
            if owner is not None and owner != cast.credential:
                raise duplicate_ciphertext()

    def record(self, seq: int, cast: CastBallot) -> None:
        self.trackers[cast.tracker] = seq
        for a in cast.alphas:
            self.alpha_owner.setdefault(a, cast.credential)
        self.last[cast.credential] = (seq, cast.ballot)

    def counted(self) -> list[Ballot]:
        return [b for _, b in sorted(self.last.values(), key=lambda x: x[0])]

    def counted_trackers(self) -> set[str]:
        return {b.tracker() for _, b in self.last.values()}


def tally_of(
    ballots: Iterable[Ballot], option_counts: Sequence[int]
) -> tuple[tuple[Ciphertext, ...], ...]:
    return aggregate_ballots(ballots, option_counts)


def tally_to_json(tally: tuple[tuple[Ciphertext, ...], ...]) -> list[list[dict[str, str]]]:
    return [[ct.to_dict() for ct in row] for row in tally]
