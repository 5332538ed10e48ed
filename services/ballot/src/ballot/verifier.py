"""Verify an election's public record from the record alone (``ballot-verify``).

Input: the NDJSON record (``GET /v1/ballot/elections/{id}/record``): entry lines in ``seq``
order and checkpoint lines. Checked:

1. structure: one election, ``seq`` = 1..N in order (a missing, duplicated or moved entry is
   named), every line well formed;
2. the hash chain: each ``prev_hash`` is the previous entry's hash, each ``hash`` is
   ``SHA-256(prev ‖ canonical bytes)`` of the entry as it is now;
3. checkpoints: Ed25519 signature under the board key (the one published in the first entry,
   or the one pinned with ``board_key_pem``), and the signed head equals the head recomputed
   from content, so rewriting entries *and* their chain is caught; a finished election must be
   sealed at its last entry;
4. the election itself, with the service's own rules (``ElectionState.apply(check=True)``):
   configuration, every ceremony message and signature, credential list and its hash, the
   fingerprint, every ballot (strict parse, proofs, signature, listed credential, no replay, no
   ciphertext copied from another credential), last ballot per credential, the aggregate
   recomputed from the counted ballots, every decryption share's proofs and the result
   recomputed from them.

``since=(seq, hash)`` re-verifies incrementally: the entry at ``seq`` must still have ``hash``
(nothing before it was rewritten), chain and checkpoints are checked in full (cheap), and the
expensive ballot proofs only after ``seq``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ballot.crypto import Ballot, CryptoError, audit_alphas
from ballot.domain import board
from ballot.domain.ballots import BallotBook, CastBallot, tally_of, tally_to_json, verify_cast
from ballot.domain.board import Entry, checkpoint_service, link_hash
from ballot.domain.election import DECRYPTED, ElectionState
from ballot.domain.errors import BallotError
from shared.audit import Checkpoint, key_id, load_public_key, verify_checkpoint


@dataclass
class Finding:
    code: str
    seq: int | None
    detail: str
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "seq": self.seq, "detail": self.detail, **self.extra}


@dataclass
class Report:
    election_id: str | None = None
    entries: int = 0
    ballots: int = 0
    counted: int = 0
    audited: int = 0
    checkpoints: int = 0
    head_seq: int = 0
    head_hash: str | None = None
    sealed_seq: int = 0
    status: str | None = None
    fingerprint: str | None = None
    board_key_id: str | None = None
    result: dict[str, Any] | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def vote_valid(self) -> bool | None:
        """Whether the *vote* is valid (quorum met); None before a result is published.

        Distinct from :attr:`ok` (the *record* verifies): a record of a vote below quorum
        verifies — the count is right — and the vote it records is invalid.
        """
        if self.result is None:
            return None
        return bool(self.result["report"].get("valid", False))

    @property
    def ok(self) -> bool:
        return not self.findings

    def add(self, code: str, seq: int | None, detail: str, **extra: Any) -> None:
        self.findings.append(Finding(code, seq, detail, extra))

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "election_id": self.election_id,
            "entries": self.entries,
            "ballots": self.ballots,
            "counted": self.counted,
            "audited": self.audited,
            "checkpoints": self.checkpoints,
            "head": f"{self.head_seq}:{self.head_hash}" if self.head_hash else None,
            "sealed_seq": self.sealed_seq,
            "status": self.status,
            "fingerprint": self.fingerprint,
            "board_key_id": self.board_key_id,
            "vote_valid": self.vote_valid,
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass
class Verified:
    """What a trustee (or a test) needs after a verification."""

    report: Report
    state: ElectionState | None
    book: BallotBook


def read_ndjson(lines: Iterable[str | bytes]) -> list[dict[str, Any]]:
    out = []
    for n, raw in enumerate(lines, start=1):
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        if not text.strip():
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"line {n} is not JSON: {exc.msg}") from None
        if not isinstance(value, dict):
            raise ValueError(f"line {n} is not a JSON object")
        out.append(value)
    return out


def parse_since(value: str) -> tuple[int, str]:
    seq, _, digest = value.partition(":")
    if not seq.isdigit() or len(digest) != 64:
        raise ValueError("--since needs <seq>:<64 hex digits>, as printed by a previous run")
    return int(seq), digest


def verify_record(
    lines: Iterable[Mapping[str, Any]],
    *,
    board_key_pem: bytes | None = None,
    since: tuple[int, str] | None = None,
) -> Verified:
    report = Report()
    book = BallotBook()
    entries: list[Entry] = []
    checkpoints: list[Checkpoint] = []
    for n, line in enumerate(lines, start=1):
        kind = line.get("type")
        try:
            if kind == "entry":
                entries.append(Entry.from_line(dict(line)))
            elif kind == "checkpoint":
                body = {k: v for k, v in line.items() if k != "type"}
                checkpoints.append(Checkpoint.from_dict(body))
            else:
                raise ValueError("unknown line type")
        except (ValueError, KeyError, TypeError) as exc:
            report.add("record.malformed", None, f"dòng {n}: {exc}")
    if not entries:
        report.add("record.empty", None, "bản ghi không có mục nào")
        return Verified(report, None, book)
    _check_structure(report, entries)
    heads = _check_chain(report, entries)
    if since is not None:
        seq, digest = since
        if heads.get(seq) != digest:
            report.add(
                "record.history_rewritten",
                seq,
                f"mục {seq} không còn mang mã băm đã kiểm tra trước đó",
            )
    state = _replay(report, entries, book, since[0] if since else 0)
    _check_checkpoints(report, entries, checkpoints, heads, board_key_pem)
    report.entries = len(entries)
    report.head_seq = entries[-1].seq
    report.head_hash = entries[-1].hash
    if state is not None:
        report.election_id = state.election_id
        report.status = state.status
        report.fingerprint = state.fingerprint.hex() if state.fingerprint else None
        report.counted = len(book.last)
        report.result = state.result
        if state.status == DECRYPTED and report.sealed_seq != report.head_seq:
            report.add(
                "record.unsealed_head",
                report.head_seq,
                "cuộc bỏ phiếu đã kết thúc nhưng mục cuối chưa có điểm kiểm tra được ký",
            )
    return Verified(report, state, book)


def _check_structure(report: Report, entries: list[Entry]) -> None:
    elections = {e.election_id for e in entries}
    if len(elections) != 1:
        report.add("record.mixed_elections", None, "bản ghi trộn nhiều cuộc bỏ phiếu")
    seqs = [e.seq for e in entries]
    expected = list(range(1, len(entries) + 1))
    if seqs == expected:
        return
    present = set(seqs)
    if len(present) != len(seqs):
        dup = next(s for s in seqs if seqs.count(s) > 1)
        report.add("record.duplicate_entry", dup, f"mục {dup} xuất hiện nhiều lần")
    missing = [s for s in range(1, max(seqs) + 1) if s not in present]
    if missing:
        report.add(
            "record.missing_entry", missing[0], f"thiếu mục {missing[0]} (bị xóa khỏi bản ghi?)"
        )
    if sorted(present) == sorted(seqs) and seqs != sorted(seqs):
        first = next(i for i, (a, b) in enumerate(zip(seqs, sorted(seqs), strict=True)) if a != b)
        report.add(
            "record.reordered", seqs[first], f"mục {seqs[first]} nằm sai vị trí (bị đảo thứ tự)"
        )


def _check_chain(report: Report, entries: list[Entry]) -> dict[int, str]:
    """Check every stored link; return ``seq → head hash recomputed from content alone``."""
    heads: dict[int, str] = {}
    stored_prev: str | None = None
    content_head: str | None = None
    chain_reported = False
    for e in entries:
        if e.hash != e.recomputed_hash():
            report.add(
                "record.entry_altered",
                e.seq,
                f"nội dung mục {e.seq} ({e.kind}) không khớp mã băm của nó",
            )
        if (e.prev_hash or None) != stored_prev and not chain_reported:
            report.add(
                "record.chain_broken",
                e.seq,
                f"mục {e.seq} không nối tiếp mục đứng trước nó trong bản ghi",
            )
            chain_reported = True
        stored_prev = e.hash
        content_head = link_hash(content_head, e.canonical())
        heads[e.seq] = content_head
    return heads


def _check_checkpoints(
    report: Report,
    entries: list[Entry],
    checkpoints: list[Checkpoint],
    heads: dict[int, str],
    pinned_pem: bytes | None,
) -> None:
    created = entries[0].body.get("board_key") if entries[0].kind == board.CREATED else None
    key: Ed25519PublicKey | None = None
    try:
        if pinned_pem is not None:
            key = load_public_key(pinned_pem)
            if isinstance(created, dict) and created.get("key_id") != key_id(key):
                report.add(
                    "record.board_key_mismatch",
                    1,
                    "khóa bảng công khai trong bản ghi khác khóa được chỉ định (--board-key)",
                )
        elif isinstance(created, dict) and isinstance(created.get("public_key"), str):
            key = load_public_key(created["public_key"].encode())
    except ValueError as exc:
        report.add("record.board_key_invalid", 1, f"khóa bảng công khai không đọc được: {exc}")
    report.board_key_id = key_id(key) if key is not None else None
    election_id = entries[0].election_id
    last = 0
    for cp in checkpoints:
        report.checkpoints += 1
        if cp.service != checkpoint_service(election_id) or cp.position != cp.count:
            report.add("record.checkpoint_invalid", cp.position, "điểm kiểm tra của bản ghi khác")
            continue
        if key is None or not verify_checkpoint(cp, key):
            report.add(
                "record.checkpoint_invalid",
                cp.position,
                f"chữ ký điểm kiểm tra tại mục {cp.position} không hợp lệ (bị giả mạo?)",
            )
            continue
        head = heads.get(cp.position)
        if head is None:
            report.add(
                "record.missing_entry",
                cp.position,
                f"điểm kiểm tra đã ký tại mục {cp.position} nhưng mục này không có trong bản ghi",
            )
            continue
        if head != cp.head_hash:
            report.add(
                "record.checkpoint_mismatch",
                cp.position,
                f"nội dung đến mục {cp.position} khác với lúc ký điểm kiểm tra "
                f"({cp.signed_at}): bản ghi đã bị sửa",
            )
            continue
        last = max(last, cp.position)
    report.sealed_seq = last


def _replay(
    report: Report, entries: list[Entry], book: BallotBook, since: int
) -> ElectionState | None:
    first = entries[0]
    if first.kind != board.CREATED:
        report.add("record.not_an_election", first.seq, "mục đầu tiên phải là election.created")
        return None
    try:
        state = ElectionState.start(first.body)
    except (BallotError, CryptoError) as exc:
        _finding(report, first.seq, exc)
        return None
    last_audit = ""
    for e in entries[1:]:
        check = e.seq > since
        try:
            if e.kind == board.BALLOT:
                _ballot(report, state, book, e, check)
                continue
            state.apply(e.kind, e.body, check=check)
            if e.kind == board.AUDITED:
                report.audited += 1
                last_audit = _audited(report, book, e, last_audit)
            if e.kind == board.CLOSED and e.body["counted"] != len(book.last):
                report.add(
                    "record.counted_mismatch",
                    e.seq,
                    f"công bố {e.body['counted']} phiếu được đếm, bảng có {len(book.last)}",
                )
                return state
            if e.kind == board.AGGREGATED:
                expected = tally_to_json(tally_of(book.counted(), state.config.option_counts))
                if e.body["tally"] != expected:
                    report.add(
                        "record.tally_mismatch",
                        e.seq,
                        "tổng mã hóa công bố khác tổng tính lại từ các phiếu được đếm",
                    )
                    return state
        except (BallotError, CryptoError) as exc:
            _finding(report, e.seq, exc)
            return state
        except (KeyError, TypeError, ValueError) as exc:
            report.add("record.malformed", e.seq, f"mục {e.seq} ({e.kind}) sai cấu trúc: {exc}")
            return state
    return state


def _ballot(report: Report, state: ElectionState, book: BallotBook, e: Entry, check: bool) -> None:
    state.apply(board.BALLOT, e.body, check=check)
    report.ballots += 1
    if state.fingerprint is None or state.joint_key is None:
        raise BallotError("ballot.wrong_state", "", "", "ballot before the election opened")
    if not book.credentials and state.credentials is not None:
        book.credentials = frozenset(state.credentials)
    if check:
        cast = verify_cast(
            e.body["ballot"],
            fingerprint=state.fingerprint,
            joint_key=state.joint_key,
            option_counts=state.config.option_counts,
        )
        if e.body["tracker"] != cast.tracker:
            raise BallotError(
                "record.tracker_mismatch", "", "", f"mã theo dõi của mục {e.seq} không đúng"
            )
    else:
        ballot = Ballot.from_dict(e.body["ballot"])
        cast = CastBallot(
            ballot,
            ballot.tracker(),
            ballot.credential.hex(),
            tuple(ct.alpha.hex() for a in ballot.answers for ct in a.ciphertexts),
        )
    book.admit(cast)
    book.record(e.seq, cast)


def _audited(report: Report, book: BallotBook, e: Entry, previous: str) -> str:
    """An audited ballot (its opening already checked): never counted, published in order."""
    doc = e.body["audit"]
    tracker = str(doc["tracker"])
    if tracker <= previous:
        report.add(
            "record.audits_unordered",
            e.seq,
            "phiếu kiểm tra phải được công bố theo thứ tự mã theo dõi tăng dần, không lặp",
        )
    if tracker in book.trackers or any(a in book.alpha_owner for a in audit_alphas(doc)):
        report.add(
            "ballot.audited_ballot_cast",
            e.seq,
            f"phiếu đã kiểm tra {tracker[:16]}… có bản mã trùng một phiếu đã bỏ trên bảng",
            tracker=tracker,
        )
    return tracker


def _finding(report: Report, seq: int, exc: BallotError | CryptoError) -> None:
    if isinstance(exc, BallotError):
        report.add(exc.code, seq, exc.detail or exc.title_en, **exc.extra)
        return
    extra = {k: getattr(exc, k) for k in ("trustee", "question", "option") if getattr(exc, k, None)}
    report.add(exc.code, seq, exc.message, **extra)
