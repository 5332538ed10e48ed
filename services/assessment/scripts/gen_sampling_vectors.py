"""Generate the sampling test vectors in ``services/assessment/testvectors/sampling/``.

Usage::

    .venv/bin/python services/assessment/scripts/gen_sampling_vectors.py          # (re)write
    .venv/bin/python services/assessment/scripts/gen_sampling_vectors.py --check  # exit 1 if stale

Secret values come from SHA-256 of fixed labels, so the output is byte-for-byte stable.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

from assessment.domain.inspection import sampling as S

OUT_DIR = Path(__file__).resolve().parent.parent / "testvectors" / "sampling"


def secret(label: str) -> bytes:
    return hashlib.sha256(f"congvu-sampling test secret {label}".encode()).digest()


def render(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


def transcript_vectors() -> dict[str, Any]:
    cases = [
        (S.TAG_ENTRY, []),
        (S.TAG_ENTRY, [b""]),
        (S.TAG_SEED, [b"abc", S.u32(7), "Đất đai".encode()]),
        (S.TAG_STREAM, [bytes(32), "Tư pháp".encode(), S.u32(0)]),
    ]
    out = []
    for tag, fields in cases:
        t = S.transcript(tag, *fields)
        out.append(
            {
                "tag": tag.decode("ascii"),
                "fields": [f.hex() for f in fields],
                "transcript": t.hex(),
                "h256": hashlib.sha256(t).hexdigest(),
            }
        )
    return {
        "description": "T(tag, f...) = LP(tag) || LP(f1) || ...; H256 = SHA-256(T)",
        "cases": out,
    }


def uniform_vectors() -> dict[str, Any]:
    top = 2**64 - 1
    cases: list[tuple[int, list[int]]] = [
        (1, [12345]),
        (3, [top, 5]),  # 2^64 mod 3 = 1: only 2^64-1 is rejected
        (10, [top, 2**64 - 6, 42]),  # limit = 2^64 - 6: the first two are rejected
        (2**32 - 1, [top, 2**33 + 9]),
        (7, [0, 1]),
    ]
    out = []
    for m, ws in cases:
        it = iter(ws)
        value = S.uniform(it, m)
        used = len(ws) - sum(1 for _ in it)
        out.append(
            {
                "m": m,
                "limit": str(2**64 - (2**64 % m)),
                "words": [str(w) for w in ws],
                "value": value,
                "words_used": used,
            }
        )
    return {
        "description": "uniform(m): reject w >= limit = 2^64 - (2^64 mod m); else w mod m. "
        "Words and limits are decimal strings (u64 exceeds JSON-safe integers).",
        "cases": out,
    }


def stream_vectors() -> dict[str, Any]:
    out = []
    for seed_label, field in (("stream-a", "Đất đai"), ("stream-b", "xay_dung")):
        seed = hashlib.sha256(seed_label.encode()).digest()
        blocks = [
            hashlib.sha256(S.transcript(S.TAG_STREAM, seed, field.encode(), S.u32(j))).hexdigest()
            for j in range(3)
        ]
        it = S.words(seed, field)
        out.append(
            {
                "seed": seed.hex(),
                "field": field,
                "blocks": blocks,
                "words": [str(next(it)) for _ in range(12)],
                "positions_n100_k10": S.draw_positions(seed, field, 100, 10),
                "positions_n5_k5": S.draw_positions(seed, field, 5, 5),
            }
        )
    return {
        "description": "B_j = SHA-256(T(stream01, seed, field, u32(j))); 4 u64be words "
        "per block; partial Fisher-Yates positions",
        "cases": out,
    }


def _entry(fid: str, field: str, day: str, title: str = "", doc: str = "") -> S.RegisterEntry:
    return S.RegisterEntry.of(
        file_id=fid, field=field, received_on=day, title=title, document_sha256=doc
    )


def registers() -> list[dict[str, Any]]:
    small = [
        _entry(f"{i}/UBND", "a" if i % 2 else "b", f"2024-03-{i + 1:02d}") for i in range(1, 8)
    ]
    fields_vi = ["Đất đai", "Xây dựng", "Tư pháp"]
    vi = []
    for i in range(30):
        field = fields_vi[i % 3]
        fid = f"{100 + i}/SNV-{'ĐĐ' if i % 3 == 0 else 'XD' if i % 3 == 1 else 'TP'}"
        doc = hashlib.sha256(f"scan {fid}".encode()).hexdigest() if i % 4 else ""
        vi.append(
            _entry(
                fid,
                field,
                f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
                f"V/v giải quyết hồ sơ số {i} của công dân",
                doc,
            )
        )
    large = [
        _entry(f"CV-{i:05d}", f"linh_vuc_{i % 3}", f"2023-{1 + i % 12:02d}-15") for i in range(300)
    ]
    return [
        {
            "name": "small",
            "inspection_id": "insp-2024-01",
            "unit_id": "SXD",
            "entries": small,
            "sizes": {"a": 2, "b": 3},
        },
        {
            "name": "vietnamese",
            "inspection_id": "7f0c9a4e-2c1b-5d3e-9f8a-0b1c2d3e4f50",
            "unit_id": "UBND-huyện-Càng-Long",
            "entries": vi,
            "sizes": {"Đất đai": 4, "Xây dựng": 6, "Tư pháp": 10},
        },
        {
            "name": "large",
            "inspection_id": "insp-2023-07",
            "unit_id": "STP",
            "entries": large,
            "sizes": {"linh_vuc_0": 10, "linh_vuc_1": 100, "linh_vuc_2": 25},
        },
    ]


def build_record(reg: dict[str, Any]) -> S.SamplingRecord:
    return S.build_record(
        inspection_id=reg["inspection_id"],
        unit_id=reg["unit_id"],
        register=reg["entries"],
        sizes=reg["sizes"],
        reveals={p: secret(f"{reg['name']}/{p}") for p in S.PARTIES},
    )


def record_vectors() -> dict[str, Any]:
    out = []
    for reg in registers():
        rec = build_record(reg)
        out.append(
            {
                "name": reg["name"],
                "entry_digests": [e.digest().hex() for e in rec.register],
                "record": rec.to_json(),
            }
        )
    return {"description": "complete published records (SAMPLING.md §8)", "cases": out}


def invalid_vectors() -> dict[str, Any]:
    reg = registers()[1]
    good = build_record(reg).to_json()
    cases: list[dict[str, Any]] = []

    def case(name: str, code: str, mutate: Any, pin: str | None = None) -> None:
        rec = copy.deepcopy(good)
        mutate(rec)
        item: dict[str, Any] = {"name": name, "code": code, "record": rec}
        if pin is not None:
            item["expected_register_hash"] = pin
        cases.append(item)

    sampled_field = "Xây dựng"
    unsampled = next(
        e["file_id"]
        for e in good["register"]
        if e["field"] == sampled_field and e["file_id"] not in good["samples"][sampled_field]
    )
    doc_index = next(i for i, e in enumerate(good["register"]) if e["document_sha256"])

    def swap_document(r: dict[str, Any]) -> None:
        r["register"][doc_index]["document_sha256"] = hashlib.sha256(b"another scan").hexdigest()

    def swap_sampled_file(r: dict[str, Any]) -> None:
        r["samples"][sampled_field][0] = unsampled

    def reorder_sample(r: dict[str, Any]) -> None:
        s = r["samples"][sampled_field]
        s[0], s[1] = s[1], s[0]

    def rename_file(r: dict[str, Any]) -> None:
        # replace the last entry of the register by another file (order stays canonical)
        r["register"][-1]["file_id"] = r["register"][-1]["file_id"] + "-thay"

    case("document_swapped", "sampling.register_mismatch", swap_document)
    case("file_replaced", "sampling.register_mismatch", rename_file)
    case(
        "register_hash_edited",
        "sampling.register_mismatch",
        lambda r: r.update(register_hash="00" * 32),
    )
    case("sample_file_swapped", "sampling.sample_mismatch", swap_sampled_file)
    case("sample_reordered", "sampling.sample_mismatch", reorder_sample)
    case("sample_field_dropped", "sampling.sample_mismatch", lambda r: r["samples"].pop("Tư pháp"))
    case(
        "sizes_changed",
        "sampling.parameters_mismatch",
        lambda r: r["sizes"].update({"Xây dựng": 5}),
    )
    case(
        "team_reveal_wrong",
        "sampling.reveal_mismatch",
        lambda r: r["reveals"].update(team=secret("other").hex()),
    )
    case(
        "unit_reveal_wrong",
        "sampling.reveal_mismatch",
        lambda r: r["reveals"].update(unit=r["reveals"]["team"]),
    )
    case("seed_edited", "sampling.seed_mismatch", lambda r: r.update(seed="ab" * 32))
    case("register_reordered", "sampling.non_canonical", lambda r: r["register"].reverse())
    case(
        "duplicate_file",
        "sampling.duplicate_file",
        lambda r: r["register"].insert(1, dict(r["register"][0])),
    )
    case("extra_key", "sampling.malformed", lambda r: r.update(tenant="tra-vinh"))
    case("missing_key", "sampling.malformed", lambda r: r.pop("seed"))
    case("uppercase_hex", "sampling.non_canonical", lambda r: r.update(seed=r["seed"].upper()))
    case(
        "non_nfc_title",
        "sampling.non_canonical",
        lambda r: r["register"][0].update(title=unicodedata.normalize("NFD", "Đất đai")),
    )
    case(
        "size_above_population",
        "sampling.invalid_parameter",
        lambda r: r["sizes"].update({"Tư pháp": 11}),
    )
    case(
        "unknown_field_size", "sampling.invalid_parameter", lambda r: r["sizes"].update({"Y tế": 1})
    )
    case("wrong_spec", "sampling.malformed", lambda r: r.update(spec="congvu-sampling/v0"))
    case(
        "bad_date",
        "sampling.malformed",
        lambda r: r["register"][0].update(received_on="01/03/2024"),
    )

    # A forger rebuilds a whole consistent record around a swapped file: only a pin catches it.
    forged_entries = list(reg["entries"])
    forged_entries[0] = _entry(
        forged_entries[0].file_id,
        forged_entries[0].field,
        forged_entries[0].received_on,
        "Hồ sơ khác",
        "",
    )
    forged = build_record({**reg, "entries": forged_entries}).to_json()
    cases.append(
        {
            "name": "rebuilt_around_swapped_file_pinned",
            "code": "sampling.register_mismatch",
            "record": forged,
            "expected_register_hash": good["register_hash"],
        }
    )
    return {
        "description": "manipulations of record 'vietnamese'; a verifier MUST refuse each "
        "with the code given",
        "cases": cases,
    }


def build_all() -> dict[str, Any]:
    return {
        "transcript": transcript_vectors(),
        "uniform": uniform_vectors(),
        "stream": stream_vectors(),
        "records": record_vectors(),
        "invalid": invalid_vectors(),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    stale = []
    for name, obj in build_all().items():
        path = OUT_DIR / f"{name}.json"
        text = render(obj)
        if args.check:
            if not path.exists() or path.read_text("utf-8") != text:
                stale.append(name)
        else:
            OUT_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
    if stale:
        print("stale vectors: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
