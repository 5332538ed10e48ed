"""Verifiable random sampling of case files (SAMPLING.md, ``congvu-sampling/v1``).

Nobody chooses or predicts the draw: the unit's register is committed (a hash of its canonical
encoding) together with the sample sizes per field; the team and the unit then each commit to a
32-byte random value and reveal it; the seed is a hash of everything above, and the sample of
each field is a partial Fisher–Yates shuffle driven by a SHA-256 counter stream with rejection
sampling (no modulo bias). Everything is published, so anyone re-derives the sample with
:func:`verify_record`. Only ``hashlib``/``hmac``/``unicodedata`` are used: the bytes are fixed
by the spec, not by a library.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from assessment.domain.kernel.errors import DomainError

SPEC: Final[str] = "congvu-sampling/v1"

TAG_ENTRY: Final[bytes] = b"congvu/sampling/v1/entry01"
TAG_REGISTER: Final[bytes] = b"congvu/sampling/v1/register01"
TAG_PARAMS: Final[bytes] = b"congvu/sampling/v1/params01"
TAG_COMMIT: Final[bytes] = b"congvu/sampling/v1/commit01"
TAG_SEED: Final[bytes] = b"congvu/sampling/v1/seed01"
TAG_STREAM: Final[bytes] = b"congvu/sampling/v1/stream01"

PARTIES: Final[tuple[str, str]] = ("team", "unit")
MAX_ID: Final[int] = 200
MAX_TITLE: Final[int] = 2000
MAX_POPULATION: Final[int] = 2**32 - 1
_U64: Final[int] = 2**64
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_HEX64 = re.compile(r"[0-9a-f]{64}\Z")

RECORD_KEYS: Final[frozenset[str]] = frozenset(
    {
        "spec",
        "inspection_id",
        "unit_id",
        "register",
        "register_hash",
        "sizes",
        "parameters_hash",
        "commitments",
        "reveals",
        "seed",
        "samples",
    }
)
ENTRY_KEYS: Final[frozenset[str]] = frozenset(
    {"file_id", "field", "received_on", "title", "document_sha256"}
)


class SamplingError(DomainError):
    """A refused register, parameter or record. ``code`` is stable (SAMPLING.md §9)."""

    title = "Mẫu hồ sơ không hợp lệ"
    title_en = "Invalid case-file sample"

    def __init__(self, code: str, detail: str, detail_en: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail_en = detail_en


# -- encodings (§2) -------------------------------------------------------------------------


def u32(n: int) -> bytes:
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_POPULATION:
        raise SamplingError(
            "sampling.invalid_parameter",
            f"số nguyên {n!r} nằm ngoài khoảng 0..2^32−1",
            "integer out of u32 range",
        )
    return n.to_bytes(4, "big")


def text(value: str, what: str, *, limit: int = MAX_ID, empty: bool = False) -> bytes:
    if not isinstance(value, str):
        raise SamplingError(
            "sampling.malformed", f"'{what}' phải là chuỗi ký tự", f"'{what}' must be a string"
        )
    if not unicodedata.is_normalized("NFC", value):
        raise SamplingError(
            "sampling.non_canonical",
            f"'{what}' chưa chuẩn hoá Unicode NFC",
            f"'{what}' is not in Unicode NFC",
        )
    if (not empty and not value.strip()) or len(value) > limit or value != value.strip():
        raise SamplingError(
            "sampling.malformed",
            f"'{what}' trống, thừa khoảng trắng hoặc dài quá {limit} ký tự",
            f"'{what}' is empty, padded or longer than {limit} characters",
        )
    return value.encode("utf-8")


def transcript(tag: bytes, *fields: bytes) -> bytes:
    """``T(tag, f1, …, fn) = LP(tag) || LP(f1) || … || LP(fn)``, ``LP(x) = u32(len x) || x``."""
    parts = [len(tag).to_bytes(4, "big"), tag]
    for f in fields:
        parts.append(len(f).to_bytes(4, "big"))
        parts.append(f)
    return b"".join(parts)


def h256(tag: bytes, *fields: bytes) -> bytes:
    return hashlib.sha256(transcript(tag, *fields)).digest()


def hex32(value: Any, what: str) -> bytes:
    if not isinstance(value, str) or not _HEX64.match(value):
        raise SamplingError(
            "sampling.non_canonical",
            f"'{what}' phải là 64 chữ số hex viết thường",
            f"'{what}' must be 64 lowercase hex digits",
        )
    return bytes.fromhex(value)


# -- register (§3) --------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class RegisterEntry:
    """One case file of the unit's register. Ordered canonically by (field, file_id) bytes."""

    field_key: bytes
    id_key: bytes
    file_id: str
    field: str
    received_on: str
    title: str
    document_sha256: str

    @classmethod
    def of(
        cls,
        *,
        file_id: str,
        field: str,
        received_on: str,
        title: str = "",
        document_sha256: str = "",
    ) -> RegisterEntry:
        fid = text(file_id, "file_id")
        fld = text(field, "field")
        if not isinstance(received_on, str) or not _DATE.match(received_on):
            raise SamplingError(
                "sampling.malformed",
                f"ngày đến của hồ sơ '{file_id}' phải có dạng YYYY-MM-DD",
                f"received_on of '{file_id}' must be YYYY-MM-DD",
            )
        text(title, "title", limit=MAX_TITLE, empty=True)
        if document_sha256 != "":
            hex32(document_sha256, "document_sha256")
        return cls(fld, fid, file_id, field, received_on, title, document_sha256)

    def digest(self) -> bytes:
        return h256(
            TAG_ENTRY,
            self.id_key,
            self.field_key,
            self.received_on.encode("ascii"),
            self.title.encode("utf-8"),
            bytes.fromhex(self.document_sha256),
        )

    def to_json(self) -> dict[str, str]:
        return {
            "file_id": self.file_id,
            "field": self.field,
            "received_on": self.received_on,
            "title": self.title,
            "document_sha256": self.document_sha256,
        }


def canonical_register(entries: Iterable[RegisterEntry]) -> tuple[RegisterEntry, ...]:
    """Sort canonically; refuse a file listed twice (by ``file_id``) and an empty register."""
    ordered = tuple(sorted(entries))
    seen: set[str] = set()
    for e in ordered:
        if e.file_id in seen:
            raise SamplingError(
                "sampling.duplicate_file",
                f"hồ sơ '{e.file_id}' xuất hiện hai lần trong sổ",
                f"file '{e.file_id}' is listed twice",
            )
        seen.add(e.file_id)
    if not ordered or len(ordered) > MAX_POPULATION:
        raise SamplingError("sampling.malformed", "sổ đăng ký trống", "empty register")
    return ordered


def register_hash(inspection_id: str, unit_id: str, entries: Sequence[RegisterEntry]) -> bytes:
    """``H256(register01, inspection_id, unit_id, u32(N), d_1, …, d_N)`` in canonical order."""
    return h256(
        TAG_REGISTER,
        text(inspection_id, "inspection_id"),
        text(unit_id, "unit_id"),
        u32(len(entries)),
        *(e.digest() for e in entries),
    )


def populations(entries: Sequence[RegisterEntry]) -> dict[str, list[RegisterEntry]]:
    by_field: dict[str, list[RegisterEntry]] = {}
    for e in entries:
        by_field.setdefault(e.field, []).append(e)
    return by_field


def _sorted_sizes(sizes: Mapping[str, int]) -> list[tuple[str, int]]:
    return sorted(sizes.items(), key=lambda kv: kv[0].encode("utf-8"))


def check_sizes(sizes: Mapping[str, int], entries: Sequence[RegisterEntry]) -> None:
    if not sizes:
        raise SamplingError(
            "sampling.invalid_parameter",
            "cần số hồ sơ cần rút cho ít nhất một lĩnh vực",
            "sample sizes for at least one field are required",
        )
    pops = populations(entries)
    for field, k in sizes.items():
        text(field, "field")
        n = len(pops.get(field, ()))
        if n == 0:
            raise SamplingError(
                "sampling.invalid_parameter",
                f"lĩnh vực '{field}' không có hồ sơ nào trong sổ",
                f"field '{field}' has no file in the register",
            )
        if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= n:
            raise SamplingError(
                "sampling.invalid_parameter",
                f"lĩnh vực '{field}': số hồ sơ cần rút {k!r} phải từ 1 đến {n} (số hồ sơ trong sổ)",
                f"field '{field}': sample size {k!r} must be between 1 and {n}",
            )


def parameters_hash(
    inspection_id: str, unit_id: str, reg_hash: bytes, sizes: Mapping[str, int]
) -> bytes:
    """``H256(params01, inspection_id, unit_id, register_hash, u32(M), (field, u32(k))…)``."""
    fields: list[bytes] = []
    for field, k in _sorted_sizes(sizes):
        fields.extend((text(field, "field"), u32(k)))
    return h256(
        TAG_PARAMS,
        text(inspection_id, "inspection_id"),
        text(unit_id, "unit_id"),
        reg_hash,
        u32(len(sizes)),
        *fields,
    )


# -- commit, reveal, seed (§5, §6) ----------------------------------------------------------


def _party(party: str) -> bytes:
    if party not in PARTIES:
        raise SamplingError(
            "sampling.invalid_parameter",
            f"bên '{party}' không hợp lệ; chọn team hoặc unit",
            f"party '{party}' must be team or unit",
        )
    return party.encode("ascii")


def _value(value: bytes) -> bytes:
    if not isinstance(value, bytes) or len(value) != 32:
        raise SamplingError(
            "sampling.invalid_parameter",
            "giá trị bí mật phải dài đúng 32 byte",
            "the secret value must be exactly 32 bytes",
        )
    return value


def commitment(
    inspection_id: str, unit_id: str, party: str, params_hash: bytes, value: bytes
) -> bytes:
    """``H256(commit01, inspection_id, unit_id, party, parameters_hash, r)``."""
    return h256(
        TAG_COMMIT,
        text(inspection_id, "inspection_id"),
        text(unit_id, "unit_id"),
        _party(party),
        params_hash,
        _value(value),
    )


def check_reveal(
    inspection_id: str,
    unit_id: str,
    party: str,
    params_hash: bytes,
    committed: bytes,
    value: bytes,
) -> None:
    expected = commitment(inspection_id, unit_id, party, params_hash, value)
    if not hmac.compare_digest(expected, committed):
        who = "Đoàn kiểm tra" if party == "team" else "đơn vị"
        raise SamplingError(
            "sampling.reveal_mismatch",
            f"giá trị công bố của {who} không khớp với cam kết đã ghi",
            f"the {party}'s revealed value does not match its commitment",
        )


def derive_seed(
    inspection_id: str,
    unit_id: str,
    params_hash: bytes,
    commitments: Mapping[str, bytes],
    reveals: Mapping[str, bytes],
) -> bytes:
    """``H256(seed01, inspection_id, unit_id, parameters_hash, c_team, c_unit, r_team, r_unit)``."""
    return h256(
        TAG_SEED,
        text(inspection_id, "inspection_id"),
        text(unit_id, "unit_id"),
        params_hash,
        commitments["team"],
        commitments["unit"],
        _value(reveals["team"]),
        _value(reveals["unit"]),
    )


# -- derivation (§7) ------------------------------------------------------------------------


def words(seed: bytes, field: str) -> Iterator[int]:
    """The field's stream: blocks ``SHA-256(T(stream01, seed, field, u32(j)))``, 4 u64 each."""
    fb = text(field, "field")
    j = 0
    while True:
        block = hashlib.sha256(transcript(TAG_STREAM, seed, fb, u32(j))).digest()
        for i in range(0, 32, 8):
            yield int.from_bytes(block[i : i + 8], "big")
        j += 1


def uniform(stream: Iterator[int], m: int) -> int:
    """A uniform integer in ``[0, m)``: reject words ≥ ``2^64 − (2^64 mod m)``, then mod m."""
    if not 1 <= m <= MAX_POPULATION:
        raise SamplingError(
            "sampling.invalid_parameter", "khoảng rút mẫu không hợp lệ", "bad range"
        )
    limit = _U64 - (_U64 % m)
    for w in stream:
        if w < limit:
            return w % m
    raise SamplingError("sampling.invalid_parameter", "hết dòng ngẫu nhiên", "stream exhausted")


def draw_positions(seed: bytes, field: str, n: int, k: int) -> list[int]:
    """Partial Fisher–Yates over ``0..n−1``: the first ``k`` positions, in draw order."""
    if not 1 <= k <= n <= MAX_POPULATION:
        raise SamplingError(
            "sampling.invalid_parameter",
            f"không thể rút {k} trong {n} hồ sơ",
            f"cannot draw {k} of {n}",
        )
    stream = words(seed, field)
    swapped: dict[int, int] = {}
    out: list[int] = []
    for i in range(k):
        j = i + uniform(stream, n - i)
        at_j = swapped.get(j, j)
        swapped[j] = swapped.get(i, i)
        out.append(at_j)
    return out


def draw(
    seed: bytes, entries: Sequence[RegisterEntry], sizes: Mapping[str, int]
) -> dict[str, list[str]]:
    """The sample of every field with a size: ``file_id``s in draw order."""
    pops = populations(entries)
    result: dict[str, list[str]] = {}
    for field, k in _sorted_sizes(sizes):
        pop = pops[field]
        result[field] = [pop[p].file_id for p in draw_positions(seed, field, len(pop), k)]
    return result


# -- the published record (§8) --------------------------------------------------------------


@dataclass(frozen=True)
class SamplingRecord:
    inspection_id: str
    unit_id: str
    register: tuple[RegisterEntry, ...]
    sizes: dict[str, int]
    commitments: dict[str, bytes]
    reveals: dict[str, bytes]

    @property
    def register_hash(self) -> bytes:
        return register_hash(self.inspection_id, self.unit_id, self.register)

    @property
    def parameters_hash(self) -> bytes:
        return parameters_hash(self.inspection_id, self.unit_id, self.register_hash, self.sizes)

    @property
    def seed(self) -> bytes:
        return derive_seed(
            self.inspection_id,
            self.unit_id,
            self.parameters_hash,
            self.commitments,
            self.reveals,
        )

    def samples(self) -> dict[str, list[str]]:
        return draw(self.seed, self.register, self.sizes)

    def to_json(self) -> dict[str, Any]:
        return {
            "spec": SPEC,
            "inspection_id": self.inspection_id,
            "unit_id": self.unit_id,
            "register": [e.to_json() for e in self.register],
            "register_hash": self.register_hash.hex(),
            "sizes": dict(_sorted_sizes(self.sizes)),
            "parameters_hash": self.parameters_hash.hex(),
            "commitments": {p: self.commitments[p].hex() for p in PARTIES},
            "reveals": {p: self.reveals[p].hex() for p in PARTIES},
            "seed": self.seed.hex(),
            "samples": self.samples(),
        }


def build_record(
    *,
    inspection_id: str,
    unit_id: str,
    register: Iterable[RegisterEntry],
    sizes: Mapping[str, int],
    reveals: Mapping[str, bytes],
) -> SamplingRecord:
    """The record a team publishes once both values are revealed (builds the commitments)."""
    entries = canonical_register(register)
    check_sizes(sizes, entries)
    reg = register_hash(inspection_id, unit_id, entries)
    params = parameters_hash(inspection_id, unit_id, reg, sizes)
    commits = {p: commitment(inspection_id, unit_id, p, params, reveals[p]) for p in PARTIES}
    return SamplingRecord(
        inspection_id, unit_id, entries, dict(sizes), commits, {p: reveals[p] for p in PARTIES}
    )
