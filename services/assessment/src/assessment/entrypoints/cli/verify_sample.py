"""``inspection-verify-sample``: re-derive a published case-file sample and refuse a forged one.

Exit status: 0 the sample is the one the record derives; 1 the record is refused (a swapped
file, a changed register, a wrong reveal, a changed sample…); 2 the file cannot be read as
JSON. Messages are Vietnamese first, English second.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from assessment.domain.inspection.sampling import SamplingError
from assessment.domain.inspection.sampling_verify import verify_record

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_UNREADABLE = 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="inspection-verify-sample",
        description="Kiểm tra mẫu hồ sơ rút ngẫu nhiên từ bản ghi công bố / "
        "verify a published case-file sample (SAMPLING.md).",
    )
    p.add_argument("record", help="tệp JSON bản ghi rút mẫu ('-' = đầu vào chuẩn) / record file")
    p.add_argument(
        "--register-hash",
        help="mã băm sổ đăng ký đã biết từ nguồn khác (lịch sử sự kiện) / pinned register hash",
    )
    p.add_argument(
        "--parameters-hash",
        help="mã băm tham số rút mẫu đã biết từ nguồn khác / pinned parameters hash",
    )
    p.add_argument("--json", action="store_true", help="kết quả dạng JSON / JSON output")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        raw = sys.stdin.read() if args.record == "-" else Path(args.record).read_text("utf-8")
        data = json.loads(raw)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        print(f"Không đọc được bản ghi: {exc} / cannot read the record", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        result = verify_record(
            data,
            expected_register_hash=args.register_hash,
            expected_parameters_hash=args.parameters_hash,
        )
    except SamplingError as exc:
        if args.json:
            out = {"ok": False, "code": exc.code, "detail": exc.detail, "detail_en": exc.detail_en}
            print(json.dumps(out, ensure_ascii=False))
        else:
            print(f"BỊ TỪ CHỐI [{exc.code}]: {exc.detail}", file=sys.stderr)
            print(f"REFUSED: {exc.detail_en}", file=sys.stderr)
        return EXIT_REFUSED
    if args.json:
        out = {
            "ok": True,
            "inspection_id": result.inspection_id,
            "unit_id": result.unit_id,
            "register_hash": result.register_hash,
            "parameters_hash": result.parameters_hash,
            "seed": result.seed,
            "entry_count": result.entry_count,
            "samples": result.samples,
        }
        print(json.dumps(out, ensure_ascii=False))
    else:
        print(
            f"HỢP LỆ: mẫu rút đúng từ sổ {result.entry_count} hồ sơ "
            f"(mã băm sổ {result.register_hash}, hạt giống {result.seed})."
        )
        for field, files in result.samples.items():
            print(f"  {field}: {', '.join(files)}")
        print("OK: the sample is the one the record derives.")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
