"""Tamper evidence: a SHA-256 chain over envelopes in global order, Ed25519-signed checkpoints,
and the verification that names the first altered, deleted, inserted or reordered event.

Pure: no I/O. The chain link is ``hash = SHA-256(prev_hash ‖ canonical envelope bytes)`` with
``prev_hash`` = 32 zero bytes for the first event (``shared.envelope.chain_hash``). A checkpoint
signs the canonical JSON of ``{"service", "position", "count", "head_hash", "signed_at"}``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from shared.envelope import Envelope, canonical_json, chain_hash

CHECKPOINT_TAG = "congvu/audit/checkpoint/v1"


@dataclass(frozen=True)
class ChainLink:
    position: int
    event_id: str
    prev_hash: str | None
    hash: str
    aggregate_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Checkpoint:
    service: str
    position: int
    count: int
    head_hash: str
    signed_at: str
    key_id: str
    signature: str = ""

    def signed_bytes(self) -> bytes:
        return canonical_json(
            {
                "tag": CHECKPOINT_TAG,
                "service": self.service,
                "position": self.position,
                "count": self.count,
                "head_hash": self.head_hash,
                "signed_at": self.signed_at,
                "key_id": self.key_id,
            }
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Checkpoint:
        return cls(
            service=str(data["service"]),
            position=int(data["position"]),
            count=int(data["count"]),
            head_hash=str(data["head_hash"]),
            signed_at=str(data["signed_at"]),
            key_id=str(data["key_id"]),
            signature=str(data["signature"]),
        )


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_key_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


class CheckpointSigner:
    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._key = private_key
        self.public_key = private_key.public_key()
        self.key_id = key_id(self.public_key)

    @classmethod
    def from_pem(cls, pem: bytes) -> CheckpointSigner:
        key = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("the audit signing key must be Ed25519")
        return cls(key)

    @classmethod
    def load_or_create(
        cls, path: Path, *, create: bool, what: str = "signing key"
    ) -> CheckpointSigner:
        """The key from a PEM file outside the database; made (mode 0600) when allowed."""
        if not path.exists():
            if not create:
                raise FileNotFoundError(f"{what} {path} not found")
            path.parent.mkdir(parents=True, exist_ok=True)
            pem = Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            path.touch(mode=0o600)
            path.write_bytes(pem)
        return cls.from_pem(path.read_bytes())

    def sign(self, checkpoint: Checkpoint) -> Checkpoint:
        unsigned = replace(checkpoint, key_id=self.key_id, signature="")
        sig = self._key.sign(unsigned.signed_bytes())
        return replace(unsigned, signature=base64.b64encode(sig).decode())


def verify_checkpoint(checkpoint: Checkpoint, public_key: Ed25519PublicKey) -> bool:
    if checkpoint.key_id != key_id(public_key):
        return False
    try:
        public_key.verify(base64.b64decode(checkpoint.signature), checkpoint.signed_bytes())
    except (InvalidSignature, ValueError):
        return False
    return True


def link(prev: str | None, envelope: Envelope) -> ChainLink:
    return ChainLink(
        envelope.global_position,
        envelope.event_id,
        prev,
        chain_hash(prev, envelope),
        envelope.aggregate_id,
    )


@dataclass
class Finding:
    # altered | deleted | inserted | reordered | chain_broken | checkpoint_invalid |
    # truncated | checkpoint_deleted
    kind: str
    position: int | None
    event_id: str | None
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Report:
    events: int = 0
    checkpoints_checked: int = 0
    head_position: int = 0
    head_hash: str | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def first(self) -> Finding | None:
        return self.findings[0] if self.findings else None


def verify_history(
    envelopes: Iterable[Envelope],
    links: Sequence[ChainLink] | None,
    checkpoints: Sequence[Checkpoint],
    public_key: Ed25519PublicKey | None,
    *,
    stop_at_first: bool = True,
    independent: Sequence[Checkpoint] | None = None,
) -> Report:
    """Check a history against its chain and its signed checkpoints.

    ``independent`` is a copy of the checkpoints kept outside the store (Kafka's topic, an
    export, the auditor's own file): the store's own checkpoints can be deleted together
    with the events they sign, this copy cannot, so a cut tail (*truncated*) and a rewritten
    history whose checkpoints were deleted (*altered*, *checkpoint_deleted*) are caught.

    ``links`` are the stored chain rows (database); None when the envelopes carry their own
    ``prev_hash``/``hash`` (NDJSON export, Kafka). Positions are walked in order:
    a sealed position without its event is *deleted*; an event at a sealed position that the
    chain does not hold there is *reordered* (the chain holds it elsewhere) or *inserted*; an
    event whose bytes no longer give the sealed hash is *altered*; a link that does not follow
    its predecessor is *chain_broken* (with embedded hashes: an event before it was *deleted*).
    Checkpoints are then checked against a chain recomputed purely from content, so rewriting
    the events *and* the stored chain together is still caught by the signatures.
    """
    report = Report()
    ordered = sorted(envelopes, key=lambda e: e.global_position)
    embedded = links is None
    if links is None:
        links = [
            ChainLink(e.global_position, e.event_id, e.prev_hash, e.hash) for e in ordered if e.hash
        ]
    stored = {lk.position: lk for lk in links}
    where = {lk.event_id: lk.position for lk in links}
    events = {e.global_position: e for e in ordered}
    sealed_head = max(stored) if stored else 0
    positions = sorted(set(stored) | {p for p in events if p <= sealed_head})
    prev_link: ChainLink | None = None

    def add(kind: str, position: int | None, event_id: str | None, detail: str) -> bool:
        report.findings.append(Finding(kind, position, event_id, detail))
        return stop_at_first

    for pos in positions:
        lk, env = stored.get(pos), events.get(pos)
        if env is None and lk is not None:
            if add("deleted", pos, lk.event_id, "sự kiện đã niêm phong không còn trong kho"):
                break
            prev_link = lk
            continue
        assert env is not None
        report.events += 1
        if lk is None or lk.event_id != env.event_id:
            kind = "reordered" if env.event_id in where else "inserted"
            if add(
                kind,
                pos,
                env.event_id,
                f"chuỗi niêm phong không ghi sự kiện này ở vị trí {pos}"
                + (f" (ghi ở vị trí {where[env.event_id]})" if kind == "reordered" else ""),
            ):
                break
            continue
        expected_prev = prev_link.hash if prev_link else None
        if (lk.prev_hash or None) != expected_prev:
            kind = "deleted" if embedded else "chain_broken"
            if add(
                kind,
                pos,
                env.event_id,
                "mắt xích không nối tiếp mắt xích trước: có sự kiện bị xóa trước vị trí này"
                if embedded
                else "bảng chuỗi niêm phong đã bị sửa",
            ):
                break
        altered = not hmac.compare_digest(lk.hash, chain_hash(lk.prev_hash, env))
        if altered and add(
            "altered", pos, env.event_id, "nội dung sự kiện khác với lúc niêm phong"
        ):
            break
        prev_link = lk
        report.head_position, report.head_hash = pos, lk.hash
    report.events += sum(1 for p in events if p > sealed_head)
    if report.ok:
        _check_checkpoints(report, ordered, checkpoints, public_key)
    if report.ok and independent is not None:
        _check_independent(report, ordered, checkpoints, independent, public_key)
    return report


def _check_independent(
    report: Report,
    ordered: list[Envelope],
    stored: Sequence[Checkpoint],
    independent: Sequence[Checkpoint],
    public_key: Ed25519PublicKey | None,
) -> None:
    heads: dict[int, tuple[str, int]] = {}
    prev: str | None = None
    for n, env in enumerate(ordered, start=1):
        prev = chain_hash(prev, env)
        heads[env.global_position] = (prev, n)
    last = ordered[-1].global_position if ordered else 0
    kept = {(cp.position, cp.signature) for cp in stored}
    for cp in sorted(independent, key=lambda c: c.position):
        report.checkpoints_checked += 1
        if public_key is not None and not verify_checkpoint(cp, public_key):
            report.findings.append(
                Finding(
                    "checkpoint_invalid",
                    cp.position,
                    None,
                    "bản sao điểm kiểm tra độc lập có chữ ký không hợp lệ",
                )
            )
            return
        if cp.position > last:
            report.findings.append(
                Finding(
                    "truncated",
                    last + 1 if ordered else cp.position,
                    None,
                    f"kho chỉ còn đến vị trí {last} ({len(ordered)} sự kiện) nhưng điểm kiểm "
                    f"tra đã ký lúc {cp.signed_at} bao gồm đến vị trí {cp.position} "
                    f"({cp.count} sự kiện): phần cuối lịch sử đã bị cắt "
                    f"/ the store's tail was cut",
                )
            )
            return
        head = heads.get(cp.position)
        if head is None:
            report.findings.append(
                Finding(
                    "deleted",
                    cp.position,
                    None,
                    f"điểm kiểm tra độc lập ({cp.signed_at}) trỏ tới sự kiện không còn",
                )
            )
            return
        if not hmac.compare_digest(head[0], cp.head_hash) or head[1] != cp.count:
            report.findings.append(
                Finding(
                    "altered",
                    cp.position,
                    None,
                    f"lịch sử đến vị trí {cp.position} không khớp điểm kiểm tra độc lập đã ký "
                    f"lúc {cp.signed_at}: sự kiện đã bị viết lại / history rewritten",
                )
            )
            return
        if (cp.position, cp.signature) not in kept:
            report.findings.append(
                Finding(
                    "checkpoint_deleted",
                    cp.position,
                    None,
                    f"điểm kiểm tra ký lúc {cp.signed_at} có trong bản sao độc lập nhưng đã "
                    "bị xóa khỏi kho / deleted from the store",
                )
            )
            return


def load_checkpoints(text: str) -> list[Checkpoint]:
    """Checkpoints from an auditor's file: the API's JSON answer (``{"items": [...]}``), a
    JSON list, or NDJSON lines (bare checkpoints or an export's ``{"kind": "checkpoint"}``)."""
    text = text.strip()
    if not text:
        return []
    items: list[Any]
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = None
    if isinstance(data, dict) and "items" in data:
        items = list(data["items"])
    elif isinstance(data, list):
        items = data
    elif isinstance(data, dict):
        items = [data]
    else:
        items = [json.loads(line) for line in text.splitlines() if line.strip()]
    out = []
    for item in items:
        if not isinstance(item, dict) or item.get("kind", "checkpoint") != "checkpoint":
            continue
        if "signature" in item and "head_hash" in item:
            out.append(Checkpoint.from_dict(item))
    return out


def _check_checkpoints(
    report: Report,
    ordered: list[Envelope],
    checkpoints: Sequence[Checkpoint],
    public_key: Ed25519PublicKey | None,
) -> None:
    # recompute heads purely from content: independent of any stored chain
    heads: dict[int, tuple[str, int]] = {}
    prev: str | None = None
    for n, env in enumerate(ordered, start=1):
        prev = chain_hash(prev, env)
        heads[env.global_position] = (prev, n)
    for cp in checkpoints:
        report.checkpoints_checked += 1
        if public_key is not None and not verify_checkpoint(cp, public_key):
            report.findings.append(
                Finding(
                    "checkpoint_invalid", cp.position, None, "chữ ký điểm kiểm tra không hợp lệ"
                )
            )
            return
        head = heads.get(cp.position)
        if head is None:
            if cp.position > (ordered[-1].global_position if ordered else 0):
                continue  # signed ahead of this copy (e.g. incremental export): nothing to say
            report.findings.append(
                Finding("deleted", cp.position, None, "điểm kiểm tra trỏ tới sự kiện không còn")
            )
            return
        if not hmac.compare_digest(head[0], cp.head_hash) or head[1] != cp.count:
            report.findings.append(
                Finding(
                    "altered",
                    cp.position,
                    None,
                    f"lịch sử đến vị trí {cp.position} không khớp điểm kiểm tra đã ký "
                    f"({cp.signed_at}): sự kiện và chuỗi niêm phong đều đã bị sửa",
                )
            )
            return


def verify_export(
    envelopes: Sequence[Envelope],
    links: Sequence[ChainLink],
    checkpoints: Sequence[Checkpoint],
    public_key: Ed25519PublicKey | None,
    aggregate_ids: set[str],
) -> Report:
    """Check a partial export (one tenant's cycle): its events plus every chain link.

    The link list is complete (contents of other tenants' events are not in the file, their
    links are): links must follow each other, checkpoints must sign a link's hash, each
    exported event must hash to its link, and every link of an exported aggregate must come
    with its event.
    """
    report = Report()
    ordered = sorted(links, key=lambda lk: lk.position)
    prev: ChainLink | None = None
    for lk in ordered:
        if (lk.prev_hash or None) != (prev.hash if prev else None):
            report.findings.append(
                Finding(
                    "chain_broken",
                    lk.position,
                    lk.event_id,
                    "mắt xích không nối tiếp mắt xích trước",
                )
            )
            return report
        prev = lk
        report.head_position, report.head_hash = lk.position, lk.hash
    by_pos = {lk.position: lk for lk in ordered}
    index = {lk.position: i for i, lk in enumerate(ordered, start=1)}
    for cp in checkpoints:
        report.checkpoints_checked += 1
        if public_key is not None and not verify_checkpoint(cp, public_key):
            report.findings.append(
                Finding(
                    "checkpoint_invalid", cp.position, None, "chữ ký điểm kiểm tra không hợp lệ"
                )
            )
            return report
        at_cp = by_pos.get(cp.position)
        if at_cp is None or at_cp.hash != cp.head_hash or index[cp.position] != cp.count:
            report.findings.append(
                Finding("altered", cp.position, None, "chuỗi không khớp điểm kiểm tra đã ký")
            )
            return report
    seen: set[int] = set()
    for env in sorted(envelopes, key=lambda e: e.global_position):
        report.events += 1
        here = by_pos.get(env.global_position)
        if here is None or here.event_id != env.event_id:
            where = next((x.position for x in ordered if x.event_id == env.event_id), None)
            kind = "reordered" if where is not None else "inserted"
            report.findings.append(
                Finding(
                    kind,
                    env.global_position,
                    env.event_id,
                    "sự kiện không nằm ở vị trí này trong chuỗi",
                )
            )
            return report
        if not hmac.compare_digest(here.hash, chain_hash(here.prev_hash, env)):
            report.findings.append(
                Finding(
                    "altered",
                    env.global_position,
                    env.event_id,
                    "nội dung sự kiện khác với lúc niêm phong",
                )
            )
            return report
        seen.add(env.global_position)
    for lk in ordered:
        if lk.aggregate_id in aggregate_ids and lk.position not in seen:
            report.findings.append(
                Finding("deleted", lk.position, lk.event_id, "sự kiện của hồ sơ được xuất bị thiếu")
            )
            return report
    return report
