"""Benchmark of the ballot crypto core, with an ElectionGuard-style 4096-bit baseline.

Run::

    .venv/bin/python bench/ballot_crypto.py                       # 100,000-ballot tally
    .venv/bin/python bench/ballot_crypto.py --ballots 20000 --baseline 3

Measures, for one question of three levels (the confidence vote):

* make one ballot (encrypt + 3 CDS proofs + sum proof + Schnorr signature);
* verify one ballot (parse canonical bytes + signature + proofs), median latency;
* ballots verified per second on 1 process and on 2 processes (multiprocessing);
* aggregation of N ballots (default 100,000), pre-parsed and from canonical bytes;
* 3-of-5 key ceremony; 3 trustees' partial decryptions + share checks + Lagrange + discrete log.

BASELINE, same run: the same verification protocol (0/1 CDS per option, sum = 1 DLEQ, Schnorr
signature, subgroup membership checks) over the ElectionGuard 2.0 integer group (4096-bit p,
q = 2^256 - 189, generator g, from microsoft/electionguard-rust's published
election_parameters example; checked at start-up: 4096 bits, q | p - 1, g^q = 1, probable
primes) with pure-Python ``pow``. It is a fair like-for-like protocol, not ElectionGuard's code.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing as mp
import random
import secrets
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from ballot.crypto import (
    Ballot,
    Point,
    aggregate_ballots,
    aggregate_canonical,
    combine_decryption_shares,
    derive_credential,
    generate_code,
    make_ballot,
    partial_decrypt,
    verify_ballot,
)
from ballot.crypto.testing import run_ceremony_for_tests

SHAPE = (3,)
EID = "bench-election"

# --------------------------------------------------------------------------------------------
# ElectionGuard 2.0 fixed parameters (hex from microsoft/electionguard-rust, docs example of
# election_parameters.json, "ElectionGuard_Design_Specification": 2.0). Verified at start-up.
# --------------------------------------------------------------------------------------------
EG_P = int(
    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFB17217F7D1CF79ABC9E3B39803F2F6AF"
    "40F343267298B62D8A0D175B8BAAFA2BE7B876206DEBAC98559552FB4AFA1B10ED2EAE35C138214427573B291169B8"
    "253E96CA16224AE8C51ACBDA11317C387EB9EA9BC3B136603B256FA0EC7657F74B72CE87B19D6548CAF5DFA6BD3830"
    "3248655FA1872F20E3A2DA2D97C50F3FD5C607F4CA11FB5BFB90610D30F88FE551A2EE569D6DFC1EFA157D2E23DE14"
    "00B39617460775DB8990E5C943E732B479CD33CCCC4E659393514C4C1A1E0BD1D6095D25669B333564A3376A9C7F8A"
    "5E148E82074DB6015CFE7AA30C480A5417350D2C955D5179B1E17B9DAE313CDB6C606CB1078F735D1B2DB31B5F50B5"
    "185064C18B4D162DB3B365853D7598A1951AE273EE5570B6C68F96983496D4E6D330AF889B44A02554731CDC8EA172"
    "93D1228A4EF98D6F5177FBCF0755268A5C1F9538B98261AFFD446B1CA3CF5E9222B88C66D3C5422183EDC99421090B"
    "BB16FAF3D949F236E02B20CEE886B905C128D53D0BD2F9621363196AF503020060E49908391A0C57339BA2BEBA7D05"
    "2AC5B61CC4E9207CEF2F0CE2D7373958D762265890445744FB5F2DA4B751005892D356890DEFE9CAD9B9D4B713E061"
    "62A2D8FDD0DF2FD608FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
    16,
)
EG_Q = 2**256 - 189
EG_G = int(
    "36036FED214F3B50DC566D3A312FE4131FEE1C2BCE6D02EA39B477AC05F7F885F38CFE77A7E45ACF4029114C4D7A9B"
    "FE058BF2F995D2479D3DDA618FFD910D3C4236AB2CFDD783A5016F7465CF59BBF45D24A22F130F2D04FE93B2D58BB9"
    "C1D1D27FC9A17D2AF49A779F3FFBDCA22900C14202EE6C99616034BE35CBCDD3E7BB7996ADFE534B63CCA41E21FF5D"
    "C778EBB1B86C53BFBE99987D7AEA0756237FB40922139F90A62F2AA8D9AD34DFF799E33C857A6468D001ACF3B681DB"
    "87DC4242755E2AC5A5027DB81984F033C4D178371F273DBB4FCEA1E628C23E52759BC7765728035CEA26B44C49A656"
    "66889820A45C33DD37EA4A1D00CB62305CD541BE1E8A92685A07012B1A20A746C3591A2DB3815000D2AACCFE43DC49"
    "E828C1ED7387466AFD8E4BF1935593B2A442EEC271C50AD39F733797A1EA11802A2557916534662A6B7E9A9E449A24"
    "C8CFF809E79A4D806EB681119330E6C57985E39B200B4893639FDFDEA49F76AD1ACD997EBA13657541E79EC57437E5"
    "04EDA9DD011061516C643FB30D6D58AFCCD28B73FEDA29EC12B01A5EB86399A593A9D5F450DE39CB92962C5EC69253"
    "48DB54D128FD99C14B457F883EC20112A75A6A0581D3D80A3B4EF09EC86F9552FFDA1653F133AA2534983A6F31B0EE"
    "4697935A6B1EA2F75B85E7EBA151BA486094D68722B054633FEC51CA3F29B31E77E317B178B6B9D8AE0F",
    16,
)


def _probable_prime(n: int, rounds: int) -> bool:
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    rng = random.Random(1)
    for _ in range(rounds):
        x = pow(rng.randrange(2, n - 2), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def check_eg_parameters() -> str:
    ok = (
        EG_P.bit_length() == 4096
        and (EG_P - 1) % EG_Q == 0
        and EG_G not in (0, 1)
        and pow(EG_G, EG_Q, EG_P) == 1
        and _probable_prime(EG_Q, 16)
        and _probable_prime(EG_P, 2)
    )
    if not ok:
        raise SystemExit("ElectionGuard parameters failed their checks")
    return "ElectionGuard 2.0 group: p 4096-bit, q = 2^256-189, g (checked)"


# --------------------------------------------------------------------------------------------
# Baseline: the same ballot protocol over Z_p^* (subgroup of order q), pure Python pow.
# --------------------------------------------------------------------------------------------

EB = 512  # element bytes


def _h(tag: bytes, *fields: int | bytes) -> int:
    parts = [len(tag).to_bytes(4, "big"), tag]
    for f in fields:
        b = f if isinstance(f, bytes) else f.to_bytes(EB if f >= 2**256 else 32, "big")
        parts += [len(b).to_bytes(4, "big"), b]
    return int.from_bytes(hashlib.sha512(b"".join(parts)).digest(), "big") % EG_Q


def _rand() -> int:
    return secrets.randbelow(EG_Q - 1) + 1


@dataclass
class EgBallot:
    fp: bytes
    cred: int
    alphas: list[int]
    betas: list[int]
    proofs: list[tuple[int, int, int, int]]
    sum_proof: tuple[int, int]
    sig: tuple[int, int]

    def body(self) -> bytes:
        out = [self.fp, self.cred.to_bytes(EB, "big")]
        for a, b, pr in zip(self.alphas, self.betas, self.proofs, strict=True):
            out += [a.to_bytes(EB, "big"), b.to_bytes(EB, "big")]
            out += [x.to_bytes(32, "big") for x in pr]
        out += [x.to_bytes(32, "big") for x in self.sum_proof]
        return b"".join(out)


def eg_make(fp: bytes, k: int, x: int, choice: int, n_opt: int) -> EgBallot:
    p, q, g = EG_P, EG_Q, EG_G
    cred = pow(g, x, p)
    alphas, betas, proofs, rs = [], [], [], []
    for o in range(n_opt):
        m = int(o == choice)
        r = _rand()
        a, b = pow(g, r, p), pow(k, r, p) * pow(g, m, p) % p
        w, cs, zs = _rand(), _rand(), _rand()
        bj = b * pow(g, q - 1, p) % p if m == 0 else b  # beta / g^j for the simulated j
        a_sim = pow(g, zs, p) * pow(a, q - cs, p) % p
        b_sim = pow(k, zs, p) * pow(bj, q - cs, p) % p
        a_real, b_real = pow(g, w, p), pow(k, w, p)
        a0, b0, a1, b1 = (
            (a_real, b_real, a_sim, b_sim) if m == 0 else (a_sim, b_sim, a_real, b_real)
        )
        c = _h(b"eg/cds", fp, cred, o, k, a, b, a0, b0, a1, b1)
        cr = (c - cs) % q
        zr = (w + cr * r) % q
        proofs.append((cr, cs, zr, zs) if m == 0 else (cs, cr, zs, zr))
        alphas.append(a)
        betas.append(b)
        rs.append(r)
    big_a = big_b = 1
    for a, b in zip(alphas, betas, strict=True):
        big_a, big_b = big_a * a % p, big_b * b % p
    w = _rand()
    bg = big_b * pow(g, q - 1, p) % p
    c = _h(b"eg/sum", fp, cred, g, big_a, k, bg, pow(g, w, p), pow(k, w, p))
    sum_proof = (c, (w + c * sum(rs)) % q)
    ballot = EgBallot(fp, cred, alphas, betas, proofs, sum_proof, (0, 0))
    w = _rand()
    c = _h(b"eg/sig", fp, ballot.body(), cred, pow(g, w, p))
    ballot.sig = (c, (w + c * x) % q)
    return ballot


def eg_verify(fp: bytes, k: int, ballot: EgBallot) -> bool:
    p, q, g = EG_P, EG_Q, EG_G
    cred = ballot.cred
    g_inv = pow(g, q - 1, p)
    # Subgroup membership (what ristretto255 decoding gives for free): x^q = 1.
    for v in (cred, *ballot.alphas, *ballot.betas):
        if not 1 < v < p or pow(v, q, p) != 1:
            return False
    c, z = ballot.sig
    r_commit = pow(g, z, p) * pow(cred, q - c, p) % p
    if _h(b"eg/sig", fp, ballot.body(), cred, r_commit) != c:
        return False
    for o, (a, b, (c0, c1, z0, z1)) in enumerate(
        zip(ballot.alphas, ballot.betas, ballot.proofs, strict=True)
    ):
        a0 = pow(g, z0, p) * pow(a, q - c0, p) % p
        b0 = pow(k, z0, p) * pow(b, q - c0, p) % p
        a1 = pow(g, z1, p) * pow(a, q - c1, p) % p
        b1 = pow(k, z1, p) * pow(b * g_inv % p, q - c1, p) % p
        if _h(b"eg/cds", fp, cred, o, k, a, b, a0, b0, a1, b1) != (c0 + c1) % q:
            return False
    big_a = big_b = 1
    for a, b in zip(ballot.alphas, ballot.betas, strict=True):
        big_a, big_b = big_a * a % p, big_b * b % p
    bg = big_b * g_inv % p
    c, z = ballot.sum_proof
    a1 = pow(g, z, p) * pow(big_a, q - c, p) % p
    a2 = pow(k, z, p) * pow(bg, q - c, p) % p
    return _h(b"eg/sum", fp, cred, g, big_a, k, bg, a1, a2) == c


# --------------------------------------------------------------------------------------------
# ristretto255 measurements
# --------------------------------------------------------------------------------------------

_W: dict[str, object] = {}  # set before fork; workers inherit it (no pickling of ballots)


def _worker_verify(span: tuple[int, int]) -> int:
    fp, k, raws = _W["fp"], _W["k"], _W["raws"]
    for raw in raws[span[0] : span[1]]:  # type: ignore[index]
        verify_ballot(fp, k, Ballot.from_canonical_bytes(raw), SHAPE)  # type: ignore[arg-type]
    return span[1] - span[0]


def _worker_aggregate(span: tuple[int, int]) -> list[tuple[bytes, bytes]]:
    raws = _W["raws"]
    tally = aggregate_canonical(raws[span[0] : span[1]], SHAPE)  # type: ignore[index]
    return [(ct.alpha.to_bytes(), ct.beta.to_bytes()) for ct in tally[0]]


def _spans(total: int, parts: int) -> list[tuple[int, int]]:
    size = -(-total // parts)
    return [(i, min(i + size, total)) for i in range(0, total, size)]


def timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="ballot crypto benchmark")
    ap.add_argument("--ballots", type=int, default=100_000, help="ballots to aggregate")
    ap.add_argument("--pool", type=int, default=1000, help="distinct ballots made and verified")
    ap.add_argument("--baseline", type=int, default=5, help="baseline ballots to make/verify")
    ap.add_argument("--processes", type=int, default=2)
    args = ap.parse_args(argv)

    print(check_eg_parameters())
    rows: list[tuple[str, str, str, str]] = []

    # Key ceremony 3-of-5
    t_dkg = timed(lambda: run_ceremony_for_tests(EID, 5, 3))
    lc = run_ceremony_for_tests(EID, 5, 3)
    k = lc.joint_key
    fp = hashlib.sha256(b"bench fingerprint").digest()
    creds = [derive_credential(generate_code(), EID) for _ in range(min(args.pool, 200))]

    # Make ballots
    rng = random.Random(7)
    t0 = time.perf_counter()
    ballots = [
        make_ballot(fp, k, creds[i % len(creds)], [rng.randrange(3)], SHAPE)
        for i in range(args.pool)
    ]
    t_make = (time.perf_counter() - t0) / args.pool
    raws = [b.canonical_bytes() for b in ballots]

    # Verify: latency (parse + verify), 1 process
    lat = []
    for raw in raws:
        t = time.perf_counter()
        verify_ballot(fp, k, Ballot.from_canonical_bytes(raw), SHAPE)
        lat.append(time.perf_counter() - t)
    t_verify = statistics.median(lat)
    rate1 = len(raws) / sum(lat)

    # Verify: N processes
    _W.update(fp=fp, k=k, raws=raws)
    with mp.get_context("fork").Pool(args.processes) as pool:
        pool.map(_worker_verify, _spans(20, args.processes))  # warm-up
        t = time.perf_counter()
        done = sum(pool.map(_worker_verify, _spans(len(raws), args.processes * 4)))
        rate_n = done / (time.perf_counter() - t)

    # Aggregation of N ballots (cycled from the pool)
    n = args.ballots
    cycled = [ballots[i % len(ballots)] for i in range(n)]
    t_agg = timed(lambda: aggregate_ballots(cycled, SHAPE))
    tally = aggregate_ballots(cycled, SHAPE)
    cycled_raw = [raws[i % len(raws)] for i in range(n)]
    t_agg_parse = timed(
        lambda: aggregate_ballots((Ballot.from_canonical_bytes(r) for r in cycled_raw), SHAPE)
    )
    t_agg_canon = timed(lambda: aggregate_canonical(cycled_raw, SHAPE))
    _W["raws"] = cycled_raw
    with mp.get_context("fork").Pool(args.processes) as pool:
        t = time.perf_counter()
        parts = pool.map(_worker_aggregate, _spans(n, args.processes))
        merged = (
            [
                (
                    Point.from_bytes(a0) + Point.from_bytes(a1),
                    Point.from_bytes(b0) + Point.from_bytes(b1),
                )
                for (a0, b0), (a1, b1) in zip(parts[0], parts[-1], strict=True)
            ]
            if len(parts) == 2
            else []
        )
        t_agg_parse_n = time.perf_counter() - t
    if merged and [(a, b) for a, b in merged] != [(c.alpha, c.beta) for c in tally[0]]:
        raise SystemExit("parallel aggregation differs")

    # 3-of-5 decryption + discrete log
    def decrypt() -> tuple[tuple[int, ...], ...]:
        shares = [
            partial_decrypt(fp, i, lc.secret_shares[i - 1], tally, ballot_count=n, min_ballots=1)
            for i in (1, 3, 5)
        ]
        return combine_decryption_shares(fp, tally, shares, lc.verification_keys, 3, n).counts

    t_dec_first = timed(decrypt)
    t_dec = timed(decrypt)
    counts = decrypt()
    if sum(counts[0]) != n:
        raise SystemExit("tally does not add up")

    # Baseline
    x = _rand()
    s_eg = _rand()
    k_eg = pow(EG_G, s_eg, EG_P)
    t0 = time.perf_counter()
    eg_ballots = [eg_make(fp, k_eg, x, i % 3, 3) for i in range(args.baseline)]
    t_eg_make = (time.perf_counter() - t0) / args.baseline
    eg_lat = []
    for b in eg_ballots:
        t = time.perf_counter()
        if not eg_verify(fp, k_eg, b):
            raise SystemExit("baseline ballot did not verify")
        eg_lat.append(time.perf_counter() - t)
    bad = eg_ballots[0]
    bad.proofs[0] = (bad.proofs[0][0], bad.proofs[0][1], (bad.proofs[0][2] + 1) % EG_Q, 0)
    if eg_verify(fp, k_eg, bad):
        raise SystemExit("baseline accepted a tampered ballot")
    t_eg_verify = statistics.median(eg_lat)

    def ms(v: float) -> str:
        return f"{v * 1e3:.2f} ms"

    rows += [
        ("make 1 ballot (3 options)", ms(t_make), ms(t_eg_make), f"{t_eg_make / t_make:.0f}x"),
        (
            "verify 1 ballot, median",
            ms(t_verify),
            ms(t_eg_verify),
            f"{t_eg_verify / t_verify:.0f}x",
        ),
        (
            "verified ballots/s, 1 process",
            f"{rate1:.0f}/s",
            f"{1 / t_eg_verify:.1f}/s",
            f"{rate1 * t_eg_verify:.0f}x",
        ),
        (f"verified ballots/s, {args.processes} processes", f"{rate_n:.0f}/s", "-", "-"),
        (f"aggregate {n:,} ballots (parsed)", f"{t_agg:.2f} s", "-", "-"),
        (f"aggregate {n:,}: parse bytes + objects, 1 proc", f"{t_agg_parse:.2f} s", "-", "-"),
        (f"aggregate {n:,}: canonical fast path, 1 proc", f"{t_agg_canon:.2f} s", "-", "-"),
        (
            f"aggregate {n:,}: canonical fast path, {args.processes} proc",
            f"{t_agg_parse_n:.2f} s",
            "-",
            "-",
        ),
        ("3-of-5 key ceremony (one process)", ms(t_dkg), "-", "-"),
        (f"3 shares + checks + combine + dlog (bound {n:,})", ms(t_dec_first), "-", "-"),
        ("  same, dlog table cached", ms(t_dec), "-", "-"),
    ]
    w0 = max(len(r[0]) for r in rows)
    head = ("measure", "ristretto255 (ours)", "4096-bit baseline", "ratio")
    w = [w0, 20, 18, 6]
    print()
    print("  ".join(h.ljust(x) for h, x in zip(head, w, strict=True)))
    print("  ".join("-" * x for x in w))
    for r in rows:
        print("  ".join(c.ljust(x) for c, x in zip(r, w, strict=True)))
    print()
    print(
        f"pool of {args.pool} distinct ballots (made and verified); aggregation cycles them to "
        f"{n:,}; baseline over {args.baseline} ballots, pure-Python pow, same protocol incl. "
        "subgroup checks; cpu count "
        f"{mp.cpu_count()}."
    )
    print(f"counts: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
