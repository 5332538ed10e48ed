"""``inspection-sample-commitment``: a party's commitment for the case-file draw (SAMPLING.md §5).

The team and the unit each keep a secret 32-byte value ``r`` and record only
``commitment = H256("congvu/sampling/v1/commit01", inspection_id, unit_id, party,
parameters_hash, r)``. This command computes it on the party's own machine, so the secret
never passes through the portal before the reveal:

* ``--generate``: draw a new secret from the operating system's CSPRNG and print it with its
  commitment (keep the secret until the reveal; paste only the commitment);
* otherwise the secret is read as 64 hex digits from standard input (never from the command
  line, where other users of the machine could see it in the process list).

Exit status: 0 printed; 2 a bad argument or secret. Messages Vietnamese first, English second.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from collections.abc import Sequence

from assessment.domain.inspection.sampling import PARTIES, SamplingError, commitment

EXIT_OK = 0
EXIT_BAD = 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="inspection-sample-commitment",
        description="Tính cam kết cho giá trị bí mật khi rút mẫu hồ sơ / compute the "
        "commitment of a secret for the case-file draw (SAMPLING.md §5).",
    )
    p.add_argument("--inspection", required=True, help="mã cuộc kiểm tra / inspection id")
    p.add_argument("--unit", required=True, help="mã đơn vị (UUID) / unit id")
    p.add_argument("--party", required=True, choices=sorted(PARTIES), help="team | unit")
    p.add_argument(
        "--parameters-hash",
        required=True,
        help="mã băm tham số rút mẫu (trang rút mẫu) / parameters hash shown on the page",
    )
    p.add_argument(
        "--generate",
        action="store_true",
        help="sinh giá trị bí mật mới / draw a new secret (else read hex from stdin)",
    )
    p.add_argument("--json", action="store_true", help="kết quả dạng JSON / JSON output")
    return p


def _hex(value: str, what: str, size: int = 32) -> bytes:
    try:
        raw = bytes.fromhex(value.strip())
    except ValueError:
        raw = b""
    if len(raw) != size:
        raise SamplingError(
            "sampling.invalid_parameter",
            f"{what} phải là {2 * size} chữ số hex",
            f"{what} must be {2 * size} hex digits",
        )
    return raw


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        params = _hex(args.parameters_hash, "parameters_hash")
        value = secrets.token_bytes(32) if args.generate else _hex(sys.stdin.read(), "secret")
        digest = commitment(args.inspection, args.unit, args.party, params, value)
    except SamplingError as exc:
        print(f"LỖI [{exc.code}]: {exc.detail}", file=sys.stderr)
        print(f"ERROR: {exc.detail_en}", file=sys.stderr)
        return EXIT_BAD
    out = {"party": args.party, "commitment": digest.hex()}
    if args.generate:
        out["secret"] = value.hex()
    if args.json:
        print(json.dumps(out))
    else:
        if args.generate:
            print(f"Giá trị bí mật / secret (giữ kín đến khi công bố): {value.hex()}")
        print(f"Cam kết / commitment: {digest.hex()}")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
