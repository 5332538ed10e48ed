"""Re-derive a published sampling record and refuse a manipulated one (SAMPLING.md §8–§9).

:func:`verify_record` reads the JSON object exactly as published, recomputes every hash, the
seed and every field's sample, and raises :class:`SamplingError` with the first check that
fails. Optional anchors (``expected_register_hash``, ``expected_parameters_hash``) are values
the verifier got elsewhere — e.g. from the inspection's event history, recorded before any
reveal — so a record rebuilt from scratch by a forger is refused as well.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any

from assessment.domain.inspection.sampling import (
    ENTRY_KEYS,
    PARTIES,
    RECORD_KEYS,
    SPEC,
    RegisterEntry,
    SamplingError,
    SamplingRecord,
    canonical_register,
    check_reveal,
    check_sizes,
    hex32,
    text,
)


@dataclass(frozen=True)
class VerifiedSample:
    inspection_id: str
    unit_id: str
    register_hash: str
    parameters_hash: str
    seed: str
    entry_count: int
    samples: dict[str, list[str]]


def _malformed(vi: str, en: str) -> SamplingError:
    return SamplingError("sampling.malformed", vi, en)


def _object(value: Any, keys: frozenset[str], what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _malformed(f"'{what}' phải là một đối tượng JSON", f"'{what}' must be an object")
    if set(value) != keys:
        extra = sorted(set(value) - keys)
        missing = sorted(keys - set(value))
        raise _malformed(
            f"'{what}': khoá thừa {extra}, khoá thiếu {missing}",
            f"'{what}': extra keys {extra}, missing keys {missing}",
        )
    return value


def _same(expected: bytes, published: bytes, code: str, vi: str, en: str) -> None:
    if not hmac.compare_digest(expected, published):
        raise SamplingError(code, vi, en)


def parse_record(data: Any) -> tuple[SamplingRecord, dict[str, Any]]:
    """Strictly parse a published record; returns the record and the raw published values."""
    obj = _object(data, RECORD_KEYS, "record")
    if obj["spec"] != SPEC:
        raise _malformed(
            f"phiên bản đặc tả '{obj['spec']}' không được hỗ trợ (cần {SPEC})",
            f"unsupported spec '{obj['spec']}' (expected {SPEC})",
        )
    inspection_id = obj["inspection_id"]
    unit_id = obj["unit_id"]
    text(inspection_id, "inspection_id")
    text(unit_id, "unit_id")
    if not isinstance(obj["register"], list):
        raise _malformed("'register' phải là một danh sách", "'register' must be a list")
    entries = []
    for i, raw in enumerate(obj["register"]):
        e = _object(raw, ENTRY_KEYS, f"register[{i}]")
        entries.append(RegisterEntry.of(**e))
    ordered = canonical_register(entries)
    if list(ordered) != entries:
        raise SamplingError(
            "sampling.non_canonical",
            "sổ đăng ký không theo thứ tự chuẩn (lĩnh vực, số hồ sơ)",
            "register is not in canonical order (field, file_id)",
        )
    sizes = obj["sizes"]
    if not isinstance(sizes, dict):
        raise _malformed("'sizes' phải là một đối tượng", "'sizes' must be an object")
    check_sizes(sizes, ordered)
    commitments = {
        p: hex32(v, f"commitments.{p}")
        for p, v in _object(obj["commitments"], frozenset(PARTIES), "commitments").items()
    }
    reveals = {
        p: hex32(v, f"reveals.{p}")
        for p, v in _object(obj["reveals"], frozenset(PARTIES), "reveals").items()
    }
    samples = obj["samples"]
    if not isinstance(samples, dict) or not all(
        isinstance(v, list) and all(isinstance(x, str) for x in v) for v in samples.values()
    ):
        raise _malformed(
            "'samples' phải ánh xạ lĩnh vực → danh sách số hồ sơ",
            "'samples' must map field → list of file ids",
        )
    published = {
        "register_hash": hex32(obj["register_hash"], "register_hash"),
        "parameters_hash": hex32(obj["parameters_hash"], "parameters_hash"),
        "seed": hex32(obj["seed"], "seed"),
        "samples": samples,
    }
    record = SamplingRecord(inspection_id, unit_id, ordered, dict(sizes), commitments, reveals)
    return record, published


def verify_record(
    data: Any,
    *,
    expected_register_hash: str | None = None,
    expected_parameters_hash: str | None = None,
) -> VerifiedSample:
    """Recompute everything; raise :class:`SamplingError` on the first mismatch."""
    record, published = parse_record(data)
    reg = record.register_hash
    _same(
        reg,
        published["register_hash"],
        "sampling.register_mismatch",
        "sổ đăng ký đã bị thay đổi: mã băm tính lại khác mã băm đã công bố",
        "the register was changed: its recomputed hash differs from the published one",
    )
    if expected_register_hash is not None:
        _same(
            reg,
            hex32(expected_register_hash, "expected register hash"),
            "sampling.register_mismatch",
            "sổ đăng ký khác với sổ đã cam kết trước khi rút mẫu",
            "the register differs from the one committed before the draw",
        )
    params = record.parameters_hash
    _same(
        params,
        published["parameters_hash"],
        "sampling.parameters_mismatch",
        "tham số rút mẫu (số hồ sơ mỗi lĩnh vực) khác với tham số đã công bố",
        "the draw parameters (sizes per field) differ from the published ones",
    )
    if expected_parameters_hash is not None:
        _same(
            params,
            hex32(expected_parameters_hash, "expected parameters hash"),
            "sampling.parameters_mismatch",
            "tham số rút mẫu khác với tham số đã cam kết trước khi rút mẫu",
            "the draw parameters differ from those committed before the draw",
        )
    for party in PARTIES:
        check_reveal(
            record.inspection_id,
            record.unit_id,
            party,
            params,
            record.commitments[party],
            record.reveals[party],
        )
    seed = record.seed
    _same(
        seed,
        published["seed"],
        "sampling.seed_mismatch",
        "hạt giống công bố không khớp với hạt giống tính lại",
        "the published seed differs from the recomputed one",
    )
    samples = record.samples()
    if set(published["samples"]) != set(samples):
        raise SamplingError(
            "sampling.sample_mismatch",
            "danh sách lĩnh vực của mẫu khác với tham số rút mẫu",
            "the sampled fields differ from the draw parameters",
        )
    for field, expected in samples.items():
        got = published["samples"][field]
        if got != expected:
            wrong = next(
                (
                    f"vị trí {i + 1}: công bố '{g}', đúng là '{e}'"
                    for i, (g, e) in enumerate(zip(got, expected, strict=False))
                    if g != e
                ),
                f"công bố {len(got)} hồ sơ, đúng là {len(expected)}",
            )
            raise SamplingError(
                "sampling.sample_mismatch",
                f"mẫu của lĩnh vực '{field}' không phải mẫu rút đúng ({wrong})",
                f"the sample of field '{field}' is not the derived one",
            )
    return VerifiedSample(
        record.inspection_id,
        record.unit_id,
        reg.hex(),
        params.hex(),
        seed.hex(),
        len(record.register),
        samples,
    )
