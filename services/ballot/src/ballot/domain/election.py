"""An election as the sequence of its board entries: configuration and lifecycle rules.

:class:`ElectionConfig` is the body of the first entry (``election.created``).
:class:`ElectionState` replays entries; with ``check=True`` it first verifies an entry
completely (signatures, proofs, state rules) and raises a typed error without changing anything,
so the service validates new entries and the standalone verifier validates a downloaded record
with the same code. Ballot-level rules that need an index over all ballots (listed credential,
replay, duplicated ciphertexts, last ballot per credential) are in :mod:`ballot.domain.ballots`.

Lifecycle: ``setup`` (key ceremony rounds, credential list) → ``open`` (ballots) → ``closed``
(aggregate, partial decryptions) → ``decrypted`` (result).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from ballot.crypto import (
    BelowMinimumError,
    Ceremony,
    Ciphertext,
    CryptoError,
    DecryptionShare,
    ElectionManifest,
    EncryptedShare,
    MalformedError,
    Point,
    Question,
    Round1Message,
    Round2Message,
    TrusteePublicKeys,
    TrusteeRecord,
    combine_decryption_shares,
    credential_list_hash,
    joint_public_key,
    open_audit,
    sort_credentials,
    verification_key,
    verify_decryption_share,
    verify_manifest,
    verify_round1,
    verify_round2,
)
from ballot.crypto.group import parse_hex
from ballot.domain import board
from ballot.domain.ceremony import complaint_payload, confirm_payload, verify_ed25519
from ballot.domain.errors import BallotError, invalid_config, invalid_entry, wrong_state
from ballot.domain.result import build_report

SETUP: Final = "setup"
OPEN: Final = "open"
CLOSED: Final = "closed"
DECRYPTED: Final = "decrypted"

ROUND1: Final = "round1"
ROUND2: Final = "round2"
CONFIRM: Final = "confirm"
DONE: Final = "done"
FAILED: Final = "failed"

SCALES: Final[dict[str, tuple[str, ...]]] = {
    # Regulation 96-QĐ/TW, Appendix 4: three levels of confidence.
    "confidence": ("Tín nhiệm cao", "Tín nhiệm", "Tín nhiệm thấp"),
    # The four completion levels (Decree 90/2020, 124-QĐ/TW), for evaluation ballots on heads.
    "completion": (
        "Hoàn thành xuất sắc nhiệm vụ",
        "Hoàn thành tốt nhiệm vụ",
        "Hoàn thành nhiệm vụ",
        "Không hoàn thành nhiệm vụ",
    ),
}
BLANK_OPTION: Final = "Không đánh giá (phiếu không hợp lệ với người này)"
PERCENT_BASES: Final = ("returned", "valid", "summoned")
CONFIG_FORMAT: Final = "congvu/ballot/election/v1"
MAX_PERSONS: Final = 50
MAX_SUMMONED: Final = 100_000
MAX_TRUSTEES: Final = 16


def _text(value: object, what: str, *, max_len: int = 300, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise invalid_config(f"{what} phải là chuỗi / must be a string")
    if value != unicodedata.normalize("NFC", value):
        raise invalid_config(f"{what} phải ở dạng Unicode NFC / must be NFC")
    if (not value.strip() and not allow_empty) or len(value) > max_len or value != value.strip():
        raise invalid_config(f"{what} rỗng, quá dài hoặc có khoảng trắng thừa")
    return value


def _int(value: object, what: str, lo: int, hi: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
        raise invalid_config(f"{what} phải là số nguyên trong [{lo}, {hi}]")
    return value


def _when(value: object, what: str) -> datetime:
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, str):
        try:
            dt = datetime.fromisoformat(value)
        except ValueError:
            raise invalid_config(f"{what} không phải thời điểm ISO 8601") from None
    else:
        raise invalid_config(f"{what} phải là thời điểm ISO 8601")
    if dt.tzinfo is None:
        raise invalid_config(f"{what} phải có múi giờ / needs a time zone")
    return dt


@dataclass(frozen=True)
class Person:
    """A person voted on (a head or deputy): public, never a voter."""

    id: str
    name: str
    position: str

    @property
    def label(self) -> str:
        return f"{self.name} — {self.position}" if self.position else self.name

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "position": self.position}


@dataclass(frozen=True)
class TrusteeInfo:
    index: int
    name: str
    sign_key: bytes
    kx_key: bytes

    def public_keys(self) -> TrusteePublicKeys:
        return TrusteePublicKeys(self.index, self.sign_key, self.kx_key)

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "name": self.name,
            "sign_key": self.sign_key.hex(),
            "kx_key": self.kx_key.hex(),
        }


@dataclass(frozen=True)
class ElectionConfig:
    election_id: str
    tenant: str
    unit: str
    title: str
    scale: str
    persons: tuple[Person, ...]
    summoned: int
    opens_at: datetime
    closes_at: datetime
    min_ballots: int
    threshold: int
    trustees: tuple[TrusteeInfo, ...]
    quorum: tuple[int, int]
    percent_base: str
    allow_blank: bool
    board_key: dict[str, str]

    # ------------------------------------------------------------------ derived
    @property
    def levels(self) -> tuple[str, ...]:
        return SCALES[self.scale]

    @property
    def options(self) -> tuple[str, ...]:
        return (*self.levels, BLANK_OPTION) if self.allow_blank else self.levels

    @property
    def option_counts(self) -> tuple[int, ...]:
        return tuple(len(self.options) for _ in self.persons)

    def questions(self) -> tuple[Question, ...]:
        return tuple(Question(p.id, p.label, self.options) for p in self.persons)

    def ceremony(self) -> Ceremony:
        return Ceremony(
            self.election_id, self.threshold, tuple(t.public_keys() for t in self.trustees)
        )

    # ------------------------------------------------------------------ construction
    @classmethod
    def create(cls, election_id: str, data: Mapping[str, Any]) -> ElectionConfig:
        """Validate an organiser's request (JSON-like) into a configuration."""
        known = {
            "tenant",
            "unit",
            "title",
            "scale",
            "persons",
            "summoned",
            "opens_at",
            "closes_at",
            "min_ballots",
            "threshold",
            "trustees",
            "quorum",
            "percent_base",
            "allow_blank",
            "board_key",
        }
        unknown = set(data) - known
        if unknown:
            raise invalid_config(f"trường không biết / unknown fields: {sorted(unknown)}")
        scale = data.get("scale")
        if scale not in SCALES:
            raise invalid_config(f"scale phải là một trong {sorted(SCALES)}")
        persons_raw = data.get("persons")
        if not isinstance(persons_raw, list) or not 1 <= len(persons_raw) <= MAX_PERSONS:
            raise invalid_config(f"persons: 1..{MAX_PERSONS} người được lấy phiếu")
        persons = []
        for i, p in enumerate(persons_raw, start=1):
            if not isinstance(p, Mapping) or not set(p) <= {"id", "name", "position"}:
                raise invalid_config("mỗi người cần name, position (và id tùy chọn)")
            persons.append(
                Person(
                    _text(p.get("id", f"p{i}"), "persons.id", max_len=40),
                    _text(p.get("name"), "persons.name", max_len=200),
                    _text(p.get("position", ""), "persons.position", allow_empty=True),
                )
            )
        if len({p.id for p in persons}) != len(persons):
            raise invalid_config("persons.id phải khác nhau / must be unique")
        summoned = _int(data.get("summoned"), "summoned", 1, MAX_SUMMONED)
        opens_at = _when(data.get("opens_at"), "opens_at")
        closes_at = _when(data.get("closes_at"), "closes_at")
        if closes_at <= opens_at:
            raise invalid_config("closes_at phải sau opens_at / must be after opens_at")
        trustees_raw = data.get("trustees")
        if not isinstance(trustees_raw, list) or not 1 <= len(trustees_raw) <= MAX_TRUSTEES:
            raise invalid_config(f"trustees: 1..{MAX_TRUSTEES} thành viên giữ khóa")
        trustees = []
        for i, t in enumerate(trustees_raw, start=1):
            if not isinstance(t, Mapping) or not set(t) <= {"index", "name", "sign_key", "kx_key"}:
                raise invalid_config("mỗi thành viên giữ khóa cần name, sign_key, kx_key")
            if t.get("index", i) != i:
                raise invalid_config("trustees phải theo thứ tự chỉ số 1..n")
            try:
                sign_key = parse_hex(t.get("sign_key"), 32)
                kx_key = parse_hex(t.get("kx_key"), 32)
            except CryptoError:
                raise invalid_config("sign_key, kx_key: 32 byte, hex chữ thường") from None
            trustees.append(
                TrusteeInfo(i, _text(t.get("name"), "trustees.name", max_len=200), sign_key, kx_key)
            )
        if len({t.sign_key for t in trustees}) != len(trustees) or len(
            {t.kx_key for t in trustees}
        ) != len(trustees):
            raise invalid_config("khóa của các thành viên giữ khóa phải khác nhau")
        threshold = _int(data.get("threshold"), "threshold", 1, len(trustees))
        min_ballots = _int(data.get("min_ballots"), "min_ballots", 0, summoned)
        quorum_raw = data.get("quorum", {"numerator": 2, "denominator": 3})
        if not isinstance(quorum_raw, Mapping) or set(quorum_raw) != {"numerator", "denominator"}:
            raise invalid_config("quorum cần numerator, denominator")
        den = _int(quorum_raw["denominator"], "quorum.denominator", 1, 100)
        num = _int(quorum_raw["numerator"], "quorum.numerator", 1, den)
        base = data.get("percent_base", "returned")
        if base not in PERCENT_BASES:
            raise invalid_config(f"percent_base phải là một trong {list(PERCENT_BASES)}")
        allow_blank = data.get("allow_blank", True)
        if not isinstance(allow_blank, bool):
            raise invalid_config("allow_blank phải là true/false")
        board_key = data.get("board_key")
        if (
            not isinstance(board_key, Mapping)
            or set(board_key) != {"key_id", "public_key"}
            or not all(isinstance(v, str) for v in board_key.values())
        ):
            raise invalid_config("board_key cần key_id, public_key")
        config = cls(
            election_id=_text(election_id, "election_id", max_len=100),
            tenant=_text(data.get("tenant"), "tenant", max_len=100),
            unit=_text(data.get("unit"), "unit", max_len=100),
            title=_text(data.get("title"), "title"),
            scale=str(scale),
            persons=tuple(persons),
            summoned=summoned,
            opens_at=opens_at,
            closes_at=closes_at,
            min_ballots=min_ballots,
            threshold=threshold,
            trustees=tuple(trustees),
            quorum=(num, den),
            percent_base=str(base),
            allow_blank=allow_blank,
            board_key=dict(board_key),
        )
        try:
            config.ceremony()
            config.questions()
        except CryptoError as exc:
            raise invalid_config(exc.message) from None
        return config

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": CONFIG_FORMAT,
            "election_id": self.election_id,
            "tenant": self.tenant,
            "unit": self.unit,
            "title": self.title,
            "scale": self.scale,
            "levels": list(self.levels),
            "options": list(self.options),
            "persons": [p.to_dict() for p in self.persons],
            "summoned": self.summoned,
            "opens_at": self.opens_at.isoformat(),
            "closes_at": self.closes_at.isoformat(),
            "min_ballots": self.min_ballots,
            "threshold": self.threshold,
            "trustees": [t.to_dict() for t in self.trustees],
            "quorum": {"numerator": self.quorum[0], "denominator": self.quorum[1]},
            "percent_base": self.percent_base,
            "allow_blank": self.allow_blank,
            "board_key": dict(self.board_key),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ElectionConfig:
        """Parse (and fully re-validate) the body of an ``election.created`` entry."""
        if not isinstance(data, Mapping) or data.get("format") != CONFIG_FORMAT:
            raise invalid_entry("election.created: unknown format")
        rest = {
            k: v
            for k, v in data.items()
            if k not in {"format", "election_id", "levels", "options", "at", "actor"}
        }
        config = cls.create(str(data.get("election_id")), rest)
        if config.to_dict() != {k: v for k, v in data.items() if k not in {"at", "actor"}}:
            raise invalid_entry("election.created: body is not in canonical form")
        return config


def _exact_keys(body: Mapping[str, Any], keys: set[str], kind: str) -> None:
    if not isinstance(body, Mapping) or set(body) != keys:
        raise invalid_entry(f"{kind}: body needs exactly {sorted(keys)}")


def _without_at(body: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "at"}


@dataclass
class ElectionState:
    """The state reached after applying board entries 1..seq."""

    config: ElectionConfig
    ceremony: Ceremony
    seq: int = 1
    status: str = SETUP
    phase: str = ROUND1
    attempt: int = 1
    round1: dict[int, Round1Message] = field(default_factory=dict)
    round2: dict[int, Round2Message] = field(default_factory=dict)
    enc_shares: dict[int, tuple[EncryptedShare, ...]] = field(default_factory=dict)
    confirmed: dict[int, str] = field(default_factory=dict)
    complaint: dict[str, Any] | None = None
    joint_key: Point | None = None
    verification_keys: dict[int, Point] = field(default_factory=dict)
    credentials: tuple[str, ...] | None = None
    credential_hash: str | None = None
    fingerprint: bytes | None = None
    ballots: int = 0
    counted: int = 0
    audited: int = 0
    tally: tuple[tuple[Ciphertext, ...], ...] | None = None
    dec_shares: dict[int, DecryptionShare] = field(default_factory=dict)
    result: dict[str, Any] | None = None

    @classmethod
    def start(cls, body: Mapping[str, Any]) -> ElectionState:
        config = ElectionConfig.from_dict(body)
        return cls(config=config, ceremony=config.ceremony())

    # ------------------------------------------------------------------ derived
    @property
    def election_id(self) -> str:
        return self.config.election_id

    @property
    def n(self) -> int:
        return len(self.config.trustees)

    def reveals(self) -> list[Any]:
        return [self.round2[i].reveal for i in range(1, self.n + 1)]

    def manifest(self) -> ElectionManifest:
        if self.joint_key is None or self.credentials is None:
            raise wrong_state("bộ thông số chưa đủ: cần hoàn tất lập khóa và danh sách mã")
        return ElectionManifest(
            election_id=self.election_id,
            questions=self.config.questions(),
            threshold=self.config.threshold,
            trustees=tuple(
                TrusteeRecord(t.public_keys(), self.round2[t.index].reveal)
                for t in self.config.trustees
            ),
            joint_key=self.joint_key,
            credentials=tuple(Point.from_hex(c) for c in self.credentials),
            min_ballots=self.config.min_ballots,
        )

    def expected_completion(self) -> dict[str, Any]:
        reveals = self.reveals()
        return {
            "joint_key": joint_public_key(reveals).hex(),
            "verification_keys": [verification_key(i, reveals).hex() for i in range(1, self.n + 1)],
        }

    def compute_result(self) -> dict[str, Any]:
        """Combine the stored (valid) decryption shares and build the report."""
        if self.tally is None or self.fingerprint is None:
            raise wrong_state("chưa có tổng mã hóa")
        shares = [self.dec_shares[i] for i in sorted(self.dec_shares)]
        combined = combine_decryption_shares(
            self.fingerprint,
            self.tally,
            shares,
            self.verification_keys,
            self.config.threshold,
            self.counted,
        )
        for row in combined.counts:
            if sum(row) != self.counted:
                raise invalid_entry("tổng số phiếu theo từng người không khớp số phiếu được đếm")
        issued = len(self.credentials or ())
        return {
            "counts": [list(row) for row in combined.counts],
            "used": list(combined.used),
            "excluded": list(combined.excluded),
            "counted": self.counted,
            "report": build_report(self.config, combined.counts, self.counted, issued),
        }

    def follow_ups(self) -> list[tuple[str, dict[str, Any]]]:
        """Entries the board appends by itself after the current one (without ``at``)."""
        if self.status == SETUP and self.phase == CONFIRM and len(self.confirmed) == self.n:
            return [(board.COMPLETED, self.expected_completion())]
        if (
            self.status == CLOSED
            and self.result is None
            and len(self.dec_shares) >= self.config.threshold
        ):
            return [(board.RESULT, self.compute_result())]
        return []

    # ------------------------------------------------------------------ replay
    def apply(self, kind: str, body: Mapping[str, Any], *, check: bool) -> None:
        """Apply the next entry; with ``check`` verify it first (raises, changes nothing)."""
        handler = _HANDLERS.get(kind)
        if handler is None or kind == board.CREATED:
            raise invalid_entry(f"loại bản ghi không biết hoặc lặp lại: {kind}")
        handler(self, body, check)
        self.seq += 1

    def _require(self, status: str, phase: str | None = None) -> None:
        if self.status != status or (phase is not None and self.phase != phase):
            raise wrong_state(
                f"cuộc bỏ phiếu đang ở giai đoạn {self.status}"
                + (f"/{self.phase}" if self.status == SETUP else ""),
                election_status=self.status,
                phase=self.phase,
            )

    def _trustee(self, value: object) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= self.n:
            raise invalid_entry("chỉ số thành viên giữ khóa không hợp lệ")
        return value

    # -- ceremony --------------------------------------------------------------------------
    def _round1(self, body: Mapping[str, Any], check: bool) -> None:
        _exact_keys(body, {"message"}, board.ROUND1)
        msg = Round1Message.from_dict(body["message"])
        if check:
            self._require(SETUP, ROUND1)
            i = self._trustee(msg.trustee)
            if i in self.round1:
                raise _already(f"thành viên {i} đã gửi vòng 1", trustee=i)
            verify_round1(self.ceremony, msg)
        self.round1[msg.trustee] = msg
        if len(self.round1) == self.n:
            self.phase = ROUND2

    def _round2(self, body: Mapping[str, Any], check: bool) -> None:
        _exact_keys(body, {"message", "shares"}, board.ROUND2)
        msg = Round2Message.from_dict(body["message"])
        raw = body["shares"]
        if not isinstance(raw, list):
            raise MalformedError("shares must be a list")
        shares = tuple(EncryptedShare.from_dict(s) for s in raw)
        i = msg.reveal.trustee
        if check:
            self._require(SETUP, ROUND2)
            self._trustee(i)
            if i in self.round2:
                raise _already(f"thành viên {i} đã gửi vòng 2", trustee=i)
            verify_round2(self.ceremony, self.round1[i], msg)
            if [s.sender for s in shares] != [i] * self.n or [s.recipient for s in shares] != list(
                range(1, self.n + 1)
            ):
                raise invalid_entry(
                    f"thành viên {i} phải gửi đúng một phần khóa mã hóa cho mỗi thành viên 1..n",
                    trustee=i,
                )
        self.round2[i] = msg
        self.enc_shares[i] = shares
        if len(self.round2) == self.n:
            self.phase = CONFIRM

    def _confirmed(self, body: Mapping[str, Any], check: bool) -> None:
        _exact_keys(
            body,
            {"trustee", "attempt", "joint_key", "verification_key", "signature"},
            board.CONFIRMED,
        )
        i = self._trustee(body["trustee"])
        if check:
            self._require(SETUP, CONFIRM)
            if i in self.confirmed:
                raise _already(f"thành viên {i} đã xác nhận", trustee=i)
            if body["attempt"] != self.attempt:
                raise invalid_entry("xác nhận thuộc lần lập khóa khác", trustee=i)
            reveals = self.reveals()
            if (
                body["joint_key"] != joint_public_key(reveals).hex()
                or body["verification_key"] != verification_key(i, reveals).hex()
            ):
                raise invalid_entry(
                    f"thành viên {i} xác nhận khóa chung / khóa kiểm tra khác với bảng", trustee=i
                )
            verify_ed25519(
                self.config.trustees[i - 1].sign_key,
                body["signature"],
                confirm_payload(
                    self.ceremony, self.attempt, i, body["joint_key"], body["verification_key"]
                ),
                f"trustee {i}",
            )
        self.confirmed[i] = str(body["verification_key"])

    def _complaint(self, body: Mapping[str, Any], check: bool) -> None:
        _exact_keys(body, {"trustee", "attempt", "accused", "signature"}, board.COMPLAINT)
        i = self._trustee(body["trustee"])
        accused = self._trustee(body["accused"])
        if check:
            if self.status != SETUP or self.phase not in (ROUND2, CONFIRM):
                self._require(SETUP, CONFIRM)
            if accused not in self.enc_shares or body["attempt"] != self.attempt:
                raise invalid_entry("khiếu nại về phần khóa chưa có trên bảng", trustee=i)
            verify_ed25519(
                self.config.trustees[i - 1].sign_key,
                body["signature"],
                complaint_payload(self.ceremony, self.attempt, i, accused),
                f"trustee {i}",
            )
        self.phase = FAILED
        self.complaint = {"trustee": i, "accused": accused}

    def _restarted(self, body: Mapping[str, Any], check: bool) -> None:
        _exact_keys(body, {"attempt", "at", "actor"}, board.RESTARTED)
        if check:
            if self.status != SETUP or self.phase == DONE:
                raise wrong_state("chỉ lập khóa lại khi lễ lập khóa chưa hoàn tất")
            if body["attempt"] != self.attempt + 1:
                raise invalid_entry("số lần lập khóa phải tăng đúng 1")
        self.attempt += 1
        self.phase = ROUND1
        self.round1.clear()
        self.round2.clear()
        self.enc_shares.clear()
        self.confirmed.clear()
        self.complaint = None

    def _completed(self, body: Mapping[str, Any], check: bool) -> None:
        _exact_keys(body, {"joint_key", "verification_keys", "at"}, board.COMPLETED)
        if check:
            self._require(SETUP, CONFIRM)
            if len(self.confirmed) != self.n:
                raise wrong_state("chưa đủ xác nhận của các thành viên giữ khóa")
            if _without_at(body) != self.expected_completion():
                raise invalid_entry("khóa chung hoặc khóa kiểm tra không khớp các cam kết")
        self.joint_key = Point.from_hex(body["joint_key"])
        self.verification_keys = {
            i: Point.from_hex(v) for i, v in enumerate(body["verification_keys"], start=1)
        }
        self.phase = DONE

    # -- credentials and opening -----------------------------------------------------------
    def _credentials(self, body: Mapping[str, Any], check: bool) -> None:
        _exact_keys(
            body,
            {"credentials", "count", "credential_list_hash", "at", "actor"},
            board.CREDENTIALS,
        )
        creds = body["credentials"]
        if not isinstance(creds, list) or not all(isinstance(c, str) for c in creds):
            raise invalid_entry("credentials phải là danh sách khóa công khai (hex)")
        if check:
            self._require(SETUP)
            if self.credentials is not None:
                raise _already("danh sách mã đã được công bố")
            points = [Point.from_hex(c) for c in creds]
            ordered = sort_credentials(points)
            if [p.hex() for p in ordered] != creds:
                raise invalid_entry("danh sách khóa công khai phải được sắp xếp tăng dần")
            if len(creds) != self.config.summoned or body["count"] != len(creds):
                raise BallotError(
                    "ballot.credential_count_mismatch",
                    "Số mã bỏ phiếu phải bằng số người được triệu tập",
                    "Credential count must equal the number summoned",
                    f"{len(creds)} mã, {self.config.summoned} người được triệu tập",
                )
            if body["credential_list_hash"] != credential_list_hash(ordered).hex():
                raise invalid_entry("credential_list_hash không khớp danh sách")
        self.credentials = tuple(creds)
        self.credential_hash = str(body["credential_list_hash"])

    def _opened(self, body: Mapping[str, Any], check: bool) -> None:
        _exact_keys(body, {"fingerprint", "at", "actor"}, board.OPENED)
        if check:
            self._require(SETUP, DONE)
            if self.credentials is None:
                raise wrong_state("chưa có danh sách mã bỏ phiếu")
            fp = verify_manifest(self.manifest())
            if body["fingerprint"] != fp.hex():
                raise invalid_entry("dấu vân tay bầu cử không khớp bộ thông số")
        self.fingerprint = parse_hex(body["fingerprint"], 32)
        self.status = OPEN

    # -- ballots, closing, tally -----------------------------------------------------------
    def _ballot(self, body: Mapping[str, Any], check: bool) -> None:
        if check:
            _exact_keys(body, {"ballot", "tracker"}, board.BALLOT)
            self._require(OPEN)
        self.ballots += 1

    def _closed(self, body: Mapping[str, Any], check: bool) -> None:
        _exact_keys(body, {"ballots", "counted", "at", "actor"}, board.CLOSED)
        counted = body["counted"]
        if check:
            self._require(OPEN)
            if body["ballots"] != self.ballots:
                raise invalid_entry("số phiếu khi đóng không khớp số phiếu trên bảng")
            if not isinstance(counted, int) or not 0 <= counted <= len(self.credentials or ()):
                raise invalid_entry("số phiếu được đếm vượt số mã bỏ phiếu")
        self.counted = int(counted)
        self.status = CLOSED

    def _audited(self, body: Mapping[str, Any], check: bool) -> None:
        """A spoiled (audited) ballot, published at the close before the aggregate (§9.4)."""
        _exact_keys(body, {"audit"}, board.AUDITED)
        if check:
            self._require(CLOSED)
            if self.tally is not None or self.fingerprint is None or self.joint_key is None:
                raise wrong_state("phiếu kiểm tra chỉ được công bố khi đóng, trước tổng hợp")
            open_audit(body["audit"], self.fingerprint, self.joint_key, self.config.option_counts)
        self.audited += 1

    def _aggregated(self, body: Mapping[str, Any], check: bool) -> None:
        _exact_keys(body, {"counted", "tally", "at"}, board.AGGREGATED)
        rows = body["tally"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise MalformedError("tally must be a list of lists")
        tally = tuple(tuple(Ciphertext.from_dict(c) for c in row) for row in rows)
        if check:
            self._require(CLOSED)
            if self.tally is not None:
                raise _already("đã có tổng mã hóa")
            if body["counted"] != self.counted:
                raise invalid_entry("số phiếu tổng hợp khác số phiếu được đếm")
            if tuple(len(r) for r in tally) != self.config.option_counts:
                raise invalid_entry("tổng mã hóa không đúng số người / số mức")
        self.tally = tally

    def _share(self, body: Mapping[str, Any], check: bool) -> None:
        _exact_keys(body, {"share"}, board.SHARE)
        share = DecryptionShare.from_dict(body["share"])
        if check:
            self._require(CLOSED)
            t = self._trustee(share.trustee)
            if self.tally is None or self.fingerprint is None:
                raise wrong_state("chưa có tổng mã hóa")
            if self.result is not None:
                raise _already("kết quả đã được giải mã")
            if self.counted < self.config.min_ballots:
                raise BelowMinimumError(
                    f"{self.counted} phiếu, tối thiểu {self.config.min_ballots}: không giải mã"
                )
            if t in self.dec_shares:
                raise _already(f"thành viên {t} đã gửi phần giải mã", trustee=t)
            verify_decryption_share(self.fingerprint, share, self.verification_keys[t], self.tally)
        self.dec_shares[share.trustee] = share

    def _result(self, body: Mapping[str, Any], check: bool) -> None:
        _exact_keys(body, {"counts", "used", "excluded", "counted", "report", "at"}, board.RESULT)
        if check:
            self._require(CLOSED)
            if len(self.dec_shares) < self.config.threshold:
                raise wrong_state("chưa đủ phần giải mã")
            if _without_at(body) != self.compute_result():
                raise BallotError(
                    "ballot.result_mismatch",
                    "Kết quả công bố không khớp kết quả tính lại từ bảng",
                    "Published result differs from the recomputed one",
                )
        self.result = dict(body)
        self.status = DECRYPTED


def _already(detail: str, **extra: Any) -> BallotError:
    return BallotError(
        "ballot.already_submitted",
        "Đã gửi trước đó",
        "Already submitted",
        detail,
        **extra,
    )


_HANDLERS = {
    board.ROUND1: ElectionState._round1,
    board.ROUND2: ElectionState._round2,
    board.CONFIRMED: ElectionState._confirmed,
    board.COMPLAINT: ElectionState._complaint,
    board.RESTARTED: ElectionState._restarted,
    board.COMPLETED: ElectionState._completed,
    board.CREDENTIALS: ElectionState._credentials,
    board.OPENED: ElectionState._opened,
    board.BALLOT: ElectionState._ballot,
    board.CLOSED: ElectionState._closed,
    board.AUDITED: ElectionState._audited,
    board.AGGREGATED: ElectionState._aggregated,
    board.SHARE: ElectionState._share,
    board.RESULT: ElectionState._result,
}


def replay(entries: Sequence[tuple[str, Mapping[str, Any]]], *, check: bool) -> ElectionState:
    """State after ``entries`` (kind, body), the first being ``election.created``."""
    if not entries or entries[0][0] != board.CREATED:
        raise invalid_entry("bản ghi đầu tiên phải là election.created")
    state = ElectionState.start(entries[0][1])
    for kind, body in entries[1:]:
        state.apply(kind, body, check=check)
    return state
