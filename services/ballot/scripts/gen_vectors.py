"""Generate the deterministic test vectors in ``services/ballot/testvectors/``.

Usage::

    .venv/bin/python services/ballot/scripts/gen_vectors.py            # (re)write the files
    .venv/bin/python services/ballot/scripts/gen_vectors.py --check    # exit 1 if they differ

Every nonce comes from a fixed seed through ``ballot.crypto.testing`` (SPEC.md §12), so the
output is byte-for-byte stable. The RFC 9496 file is not generated from our code: its values
are copied from RFC 9496 Appendix A (cross-checked against libsodium's
``test/default/core_ristretto255.c`` and noble-curves' RFC 9496 test) and only *checked* here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from ballot.crypto import (
    GENERATOR,
    ORDER,
    Ballot,
    CryptoError,
    DecryptionShare,
    ElectionManifest,
    Point,
    Question,
    Scalar,
    TrusteeRecord,
    aggregate_ballots,
    audit_document,
    combine_decryption_shares,
    credential_list_hash,
    derive_credential,
    election_fingerprint,
    encrypt_with_nonce,
    format_code,
    lagrange_coefficient,
    open_audit,
    verify_ballot,
)
from ballot.crypto import hashing as H
from ballot.crypto.credentials import BASE58_ALPHABET, _checksum, credential_salt
from ballot.crypto.nonces import SeededNonces
from ballot.crypto.proofs import prove_dleq, prove_zero_or_one
from ballot.crypto.testing import (
    make_auditable_ballot_with_seed,
    make_ballot_with_seed,
    partial_decrypt_with_seed,
    run_ceremony_for_tests,
    sign_with_seed,
)

OUT_DIR = Path(__file__).resolve().parent.parent / "testvectors"

SEED = b"congvu/v1 test vectors seed"
ELECTION_ID = "demo-2025-tin-nhiem-01"
QUESTIONS = (
    Question("p1", "Nguyễn Văn An — Giám đốc Sở", ("Tín nhiệm cao", "Tín nhiệm", "Tín nhiệm thấp")),
    Question(
        "p2",
        "Trần Thị Bình — Phó Giám đốc",
        ("Hoàn thành xuất sắc", "Hoàn thành tốt", "Hoàn thành", "Không hoàn thành"),
    ),
)
OPTION_COUNTS = tuple(len(q.options) for q in QUESTIONS)
N_TRUSTEES, THRESHOLD = 5, 3
MIN_BALLOTS = 3
VOTER_CHOICES = ((0, 1), (0, 3), (2, 1), (1, 0), (0, 1))


def hx(b: bytes | Point | Scalar) -> str:
    return b.hex()


def fixed_code(i: int) -> str:
    """A reproducible, valid code for voter ``i`` (payload from a hash, then the checksum)."""
    d = hashlib.sha512(b"congvu/v1 test code " + str(i).encode()).digest()
    payload = "".join(BASE58_ALPHABET[x % 58] for x in d[:22])
    return payload + _checksum(payload)


# --------------------------------------------------------------------------------------------


def transcript_vectors() -> dict[str, Any]:
    cases = [
        (b"congvu/v1/test01", []),
        (b"congvu/v1/test01", [b""]),
        (b"congvu/v1/test01", [b"abc", H.u32(7), H.text("Tín nhiệm")]),
        (b"congvu/v1/test01", [GENERATOR.to_bytes(), Scalar.from_int(1).to_bytes(), bytes(100)]),
    ]
    out = []
    for tag, fields in cases:
        t = H.transcript(tag, *fields)
        out.append(
            {
                "tag": tag.decode("ascii"),
                "fields": [f.hex() for f in fields],
                "transcript": t.hex(),
                "sha256": hashlib.sha256(t).hexdigest(),
                "sha512": hashlib.sha512(t).hexdigest(),
                "challenge": H.challenge(tag, *fields).hex(),
                "hash_to_point": H.hash_to_point(tag, *fields).hex(),
            }
        )
    return {
        "description": "T(tag, fields) = LP(tag) || LP(f1) || ...; LP(x) = u32be(len x) || x. "
        "challenge = SHA-512(T) little-endian mod l; hash_to_point = ristretto255 "
        "from_hash(SHA-512(T)).",
        "cases": out,
    }


def hash_to_scalar_vectors() -> dict[str, Any]:
    wides = [
        bytes(64),
        b"\x01" + bytes(63),
        ORDER.to_bytes(64, "little"),
        (ORDER + 1).to_bytes(64, "little"),
        (2**512 - 1).to_bytes(64, "little"),
        hashlib.sha512(b"congvu").digest(),
    ]
    canonical = [Scalar.from_int(0), Scalar.from_int(1), Scalar.from_int(ORDER - 1)]
    non_canonical = [
        ORDER.to_bytes(32, "little"),
        (ORDER + 1).to_bytes(32, "little"),
        (2**255 - 19).to_bytes(32, "little"),
        (2**256 - 1).to_bytes(32, "little"),
    ]
    return {
        "description": "Wide reduction: 64 bytes read little-endian, reduced mod l; scalars are "
        "canonical iff 32 bytes little-endian < l.",
        "l": hex(ORDER),
        "wide_reduction": [
            {"input": w.hex(), "scalar": Scalar.from_wide_bytes(w).hex()} for w in wides
        ],
        "canonical_scalars": [s.hex() for s in canonical],
        "non_canonical_scalars": [b.hex() for b in non_canonical],
    }


def point_vectors() -> dict[str, Any]:
    def top_bit(pt: Point) -> str:
        b = bytearray(pt.to_bytes())
        b[31] |= 0x80
        return bytes(b).hex()

    two_g = GENERATOR + GENERATOR
    return {
        "description": "Encodings that MUST be rejected in addition to RFC 9496 A.2: the top bit "
        "set (value >= 2^255 > p). libsodium 1.0.18 masks that bit and would accept them, so "
        "implementations on it must check byte 31 < 0x80 themselves.",
        "non_canonical_points": [top_bit(Point.identity()), top_bit(GENERATOR), top_bit(two_g)],
        "canonical_points": [Point.identity().hex(), GENERATOR.hex(), two_g.hex()],
    }


def credential_vectors() -> dict[str, Any]:
    cases = []
    for i in range(3):
        code = fixed_code(i)
        kp = derive_credential(code, ELECTION_ID)
        cases.append(
            {
                "code": code,
                "formatted": format_code(code),
                "election_id": ELECTION_ID,
                "hkdf_salt": credential_salt(ELECTION_ID).hex(),
                "hkdf_info": H.CRED_INFO.decode("ascii"),
                "secret": kp.secret.hex(),
                "public": kp.public.hex(),
            }
        )
    good = fixed_code(0)
    typo = good[:5] + ("2" if good[5] != "2" else "3") + good[6:]
    return {
        "description": "code = 22 base58 chars + 2 check chars; x = HKDF-SHA512(ikm=code ASCII, "
        "salt=T(cred-salt01, election_id), info, 64 bytes) mod l; P = x*G.",
        "cases": cases,
        "invalid_codes": [
            {"code": good[:-1], "reason": "too short"},
            {"code": "0" + good[1:], "reason": "character outside base58"},
            {"code": typo, "reason": "checksum mismatch"},
        ],
    }


def schnorr_vectors() -> dict[str, Any]:
    kp = derive_credential(fixed_code(0), ELECTION_ID)
    fp = hashlib.sha256(b"congvu/v1 example fingerprint").digest()
    cases = []
    for j, msg in enumerate([b"", b"hello", bytes(range(256))]):
        seed = SEED + b"/schnorr/" + str(j).encode()
        sig = sign_with_seed(seed, kp, fp, msg)
        w = SeededNonces(seed).scalar("sig-w")
        cases.append(
            {
                "seed": seed.hex(),
                "secret": kp.secret.hex(),
                "public": kp.public.hex(),
                "fingerprint": fp.hex(),
                "message": msg.hex(),
                "nonce_w": w.hex(),
                "commitment_R": Point.base_mul(w).hex(),
                "signature": sig.to_dict(),
            }
        )
    return {
        "description": "R = w*G; c = H(sig01, fp, message, P, R); z = w + c*x. w = test nonce "
        "'sig-w' from seed.",
        "cases": cases,
    }


def _elgamal_key() -> tuple[Scalar, Point]:
    s = SeededNonces(SEED).scalar("elgamal-test-secret")
    return s, Point.base_mul(s)


def elgamal_vectors() -> dict[str, Any]:
    s, k = _elgamal_key()
    cases = []
    for m in (0, 1, 2, 100):
        r = SeededNonces(SEED).scalar("elgamal-r", m)
        ct = encrypt_with_nonce(k, m, r)
        cases.append({"m": m, "r": r.hex(), **ct.to_dict()})
    a = encrypt_with_nonce(k, 1, SeededNonces(SEED).scalar("elgamal-r", 1))
    b = encrypt_with_nonce(k, 2, SeededNonces(SEED).scalar("elgamal-r", 2))
    return {
        "description": "(alpha, beta) = (r*G, r*K + m*G); homomorphic sum is component-wise.",
        "secret_key": s.hex(),
        "public_key": k.hex(),
        "cases": cases,
        "sum_of_cases_1_and_2": (a + b).to_dict(),
    }


def cds_vectors() -> dict[str, Any]:
    _s, k = _elgamal_key()
    kp = derive_credential(fixed_code(0), ELECTION_ID)
    fp = hashlib.sha256(b"congvu/v1 example fingerprint").digest()
    cases = []
    for m, q, o in ((0, 0, 0), (1, 0, 1), (0, 2, 3)):
        seed = SEED + b"/cds/" + bytes([m, q, o])
        n = SeededNonces(seed)
        r = n.scalar("elgamal-r", q, o)
        ct = encrypt_with_nonce(k, m, r)
        proof = prove_zero_or_one(fp, kp.public, q, o, k, ct, m, r, n)
        cases.append(
            {
                "seed": seed.hex(),
                "fingerprint": fp.hex(),
                "credential": kp.public.hex(),
                "question": q,
                "option": o,
                "joint_key": k.hex(),
                "m": m,
                "r": r.hex(),
                "w": n.scalar("cds-w", q, o).hex(),
                "c_sim": n.scalar("cds-c", q, o).hex(),
                "z_sim": n.scalar("cds-z", q, o).hex(),
                "ciphertext": ct.to_dict(),
                "proof": proof.to_dict(),
            }
        )
    return {
        "description": "Disjunctive Chaum-Pedersen proof of m in {0,1}; c = H(cds01, fp, P, "
        "u32 q, u32 o, K, alpha, beta, a0, b0, a1, b1); c0 + c1 = c.",
        "cases": cases,
    }


def sum_proof_vectors() -> dict[str, Any]:
    _s, k = _elgamal_key()
    kp = derive_credential(fixed_code(0), ELECTION_ID)
    fp = hashlib.sha256(b"congvu/v1 example fingerprint").digest()
    seed = SEED + b"/sum"
    n = SeededNonces(seed)
    q, choice, n_opt = 1, 2, 4
    rs = [n.scalar("elgamal-r", q, o) for o in range(n_opt)]
    cts = [encrypt_with_nonce(k, int(o == choice), rs[o]) for o in range(n_opt)]
    a = Point.identity()
    b = Point.identity()
    r_sum = Scalar.zero()
    for ct, r in zip(cts, rs, strict=True):
        a, b, r_sum = a + ct.alpha, b + ct.beta, r_sum + r
    ctx = (fp, kp.public.to_bytes(), H.u32(q), H.u32(n_opt))
    proof = prove_dleq(H.TAG_SUM, ctx, GENERATOR, a, k, b - GENERATOR, r_sum, n.scalar("sum-w", q))
    return {
        "description": "DLEQ proof that sum of one question's plaintexts is 1: statement "
        "(A, B - G) = R*(G, K); c = H(sum01, fp, P, u32 q, u32 L, G, A, K, B-G, a1, a2).",
        "seed": seed.hex(),
        "fingerprint": fp.hex(),
        "credential": kp.public.hex(),
        "joint_key": k.hex(),
        "question": q,
        "choice": choice,
        "ciphertexts": [ct.to_dict() for ct in cts],
        "A": a.hex(),
        "B_minus_G": (b - GENERATOR).hex(),
        "r_sum": r_sum.hex(),
        "w": n.scalar("sum-w", q).hex(),
        "proof": proof.to_dict(),
    }


def election_vectors() -> dict[str, dict[str, Any]]:
    """A whole small election: ceremony, manifest, ballots, tally, shares, combination."""
    lc = run_ceremony_for_tests(ELECTION_ID, N_TRUSTEES, THRESHOLD, seed=SEED + b"/dkg")
    codes = [fixed_code(i) for i in range(len(VOTER_CHOICES))]
    kps = [derive_credential(c, ELECTION_ID) for c in codes]
    manifest = ElectionManifest(
        ELECTION_ID,
        QUESTIONS,
        THRESHOLD,
        tuple(TrusteeRecord(k.public(), r) for k, r in zip(lc.keys, lc.reveals, strict=True)),
        lc.joint_key,
        tuple(kp.public for kp in kps),
        MIN_BALLOTS,
    )
    fp = election_fingerprint(manifest)

    ballots = []
    ballot_cases = []
    for i, (kp, choices) in enumerate(zip(kps, VOTER_CHOICES, strict=True)):
        seed = SEED + b"/ballot/" + str(i).encode()
        b = make_ballot_with_seed(seed, fp, lc.joint_key, kp, choices, OPTION_COUNTS)
        verify_ballot(fp, lc.joint_key, b, OPTION_COUNTS)
        ballots.append(b)
        ballot_cases.append(
            {
                "seed": seed.hex(),
                "code": codes[i],
                "choices": list(choices),
                "ballot": b.to_dict(),
                "body": b.body_bytes().hex(),
                "canonical": b.canonical_bytes().hex(),
                "tracker": b.tracker(),
            }
        )
    negatives = _ballot_negatives(fp, lc.joint_key, ballots[0], kps)

    tally = aggregate_ballots(ballots, OPTION_COUNTS)
    shares = [
        partial_decrypt_with_seed(
            SEED + b"/pdec/" + str(i).encode(),
            fp,
            i,
            lc.secret_shares[i - 1],
            tally,
            ballot_count=len(ballots),
            min_ballots=MIN_BALLOTS,
        )
        for i in range(1, N_TRUSTEES + 1)
    ]
    # Trustee 2 publishes trustee 3's values under its own name: its proofs must fail.
    forged = DecryptionShare(2, shares[2].shares, shares[1].proofs)
    result_all = combine_decryption_shares(
        fp, tally, shares, lc.verification_keys, THRESHOLD, len(ballots)
    )
    result_bad = combine_decryption_shares(
        fp, tally, [shares[0], forged, *shares[2:]], lc.verification_keys, THRESHOLD, len(ballots)
    )
    subsets = [(1, 2, 3), (2, 4, 5), (1, 3, 5)]
    expected = [
        [sum(1 for c in VOTER_CHOICES if c[q] == o) for o in range(n)]
        for q, n in enumerate(OPTION_COUNTS)
    ]

    ceremony = {
        "description": "Deterministic 3-of-5 key ceremony (SPEC.md §10). Trustee keys, "
        "polynomials, proof nonces and ephemeral X25519 keys come from the seed.",
        "seed": (SEED + b"/dkg").hex(),
        "election_id": ELECTION_ID,
        "threshold": THRESHOLD,
        "trustees": [k.public().to_dict() for k in lc.keys],
        "ceremony_id": lc.ceremony.ceremony_id.hex(),
        "round1": [m.to_dict() for m in lc.round1],
        "round2": [m.to_dict() for m in lc.round2],
        "encrypted_shares": [m.to_dict() for m in lc.encrypted_shares],
        "secret_shares": [s.hex() for s in lc.secret_shares],
        "verification_keys": {str(i): v.hex() for i, v in lc.verification_keys.items()},
        "joint_key": lc.joint_key.hex(),
    }
    fingerprint = {
        "description": "fingerprint = SHA-256(T(fingerprint01, ...)) over the manifest "
        "(SPEC.md §5); credential_list_hash over the sorted credentials.",
        "manifest": manifest.to_dict(),
        "credential_list_hash": credential_list_hash(manifest.credentials).hex(),
        "fingerprint": fp.hex(),
    }
    ballot = {
        "description": "Complete ballots for the election of fingerprint.json (SPEC.md §9), with "
        "bodies, canonical bytes and trackers, plus negative cases with their error codes.",
        "fingerprint": fp.hex(),
        "joint_key": lc.joint_key.hex(),
        "election_id": ELECTION_ID,
        "option_counts": list(OPTION_COUNTS),
        "cases": ballot_cases,
        "negative": negatives,
    }
    decryption = {
        "description": "Tally of the ballots in ballot.json, per-trustee partial decryptions "
        "with DLEQ proofs (nonces from the seeds), Lagrange coefficients and the result.",
        "fingerprint": fp.hex(),
        "tally": [[ct.to_dict() for ct in row] for row in tally],
        "ballot_count": len(ballots),
        "min_ballots": MIN_BALLOTS,
        "shares": [s.to_dict() for s in shares],
        "share_seeds": [(SEED + b"/pdec/" + str(i).encode()).hex() for i in range(1, 6)],
        "lagrange": [
            {"subset": list(sub), "coefficients": [lagrange_coefficient(i, sub).hex() for i in sub]}
            for sub in subsets
        ],
        "expected_counts": expected,
        "result_all_shares": {
            "counts": [list(r) for r in result_all.counts],
            "used": list(result_all.used),
            "excluded": list(result_all.excluded),
        },
        "forged_share_of_trustee_2": forged.to_dict(),
        "result_with_forged_share": {
            "counts": [list(r) for r in result_bad.counts],
            "used": list(result_bad.used),
            "excluded": list(result_bad.excluded),
        },
    }
    return {
        "ceremony": ceremony,
        "fingerprint": fingerprint,
        "ballot": ballot,
        "decryption": decryption,
        "audit": audit_vectors(fp, lc.joint_key, kps[0], codes[0]),
    }


def audit_vectors(fp: bytes, k: Point, kp: Any, code: str) -> dict[str, Any]:
    """An audited (spoiled) ballot, its nonces and audit document, and refused variants."""
    seed = SEED + b"/audit/0"
    choices = (2, 3)
    b, rs = make_auditable_ballot_with_seed(seed, fp, k, kp, choices, OPTION_COUNTS)
    doc = audit_document(b, rs, choices)
    assert open_audit(doc, fp, k, OPTION_COUNTS) == choices

    def variant(name: str, code_: str, edit: Any) -> dict[str, Any]:
        t = json.loads(json.dumps(doc))
        edit(t)
        try:
            open_audit(t, fp, k, OPTION_COUNTS)
        except CryptoError as exc:
            assert exc.code == code_, (name, exc.code)
        else:
            raise AssertionError(f"{name} was accepted")
        return {"name": name, "error": code_, "audit": t}

    def set_r(t: dict[str, Any], q: int, o: int, value: str) -> None:
        t["answers"][q]["options"][o]["r"] = value

    other_r = rs[1][0].hex()
    ans = "answers"
    bad = "ballot.audit_invalid"
    negatives = [
        variant("wrong nonce", "ballot.audit_invalid", lambda t: set_r(t, 0, 1, other_r)),
        variant("other choice shown", bad, lambda t: t[ans][1].update(choice=0)),
        variant("choice out of range", bad, lambda t: t[ans][0].update(choice=3)),
        variant("zero nonce", "ballot.audit_invalid", lambda t: set_r(t, 1, 2, "00" * 32)),
        variant("other election", "ballot.wrong_election", lambda t: t.update(election="ab" * 32)),
        variant(
            "option dropped", "ballot.wrong_option_count", lambda t: t[ans][0]["options"].pop()
        ),
        variant("question dropped", "ballot.wrong_question_count", lambda t: t["answers"].pop()),
        variant("extra key", "ballot.malformed", lambda t: t.update(credential=b.credential.hex())),
        variant("bad nonce", "ballot.non_canonical_encoding", lambda t: set_r(t, 0, 0, "ff" * 32)),
    ]
    return {
        "description": "Benaloh challenge (SPEC.md §9.4): a ballot made from the seed, its "
        "ElGamal nonces r[q][o], the audit document that opens it, and refused variants.",
        "fingerprint": fp.hex(),
        "joint_key": k.hex(),
        "election_id": ELECTION_ID,
        "option_counts": list(OPTION_COUNTS),
        "seed": seed.hex(),
        "code": code,
        "choices": list(choices),
        "ballot": b.to_dict(),
        "tracker": b.tracker(),
        "randomness": [[r.hex() for r in row] for row in rs],
        "audit": doc,
        "negative": negatives,
    }


def _ballot_negatives(fp: bytes, k: Point, good: Ballot, kps: list[Any]) -> list[dict[str, Any]]:
    d = good.to_dict()
    cases: list[dict[str, Any]] = []

    def add(name: str, ballot: dict[str, Any]) -> None:
        code = "ok"
        try:
            verify_ballot(fp, k, Ballot.from_dict(ballot), OPTION_COUNTS)
        except CryptoError as exc:
            code = exc.code
        if code == "ok":
            raise SystemExit(f"negative case {name} unexpectedly verified")
        cases.append({"name": name, "expected_error": code, "ballot": ballot})

    t = json.loads(json.dumps(d))
    z = Scalar.from_hex(t["answers"][0]["options"][0]["z0"])
    t["answers"][0]["options"][0]["z0"] = (z + Scalar.one()).hex()
    add("tampered_cds_response", t)

    # The voter (who holds the key) tampers with a proof and re-signs: the proof must fail.
    t = json.loads(json.dumps(d))
    t["answers"][0]["options"][0]["z0"] = (z + Scalar.one()).hex()
    add("tampered_cds_resigned", _resign(fp, t, kps[0], b"/tamper-cds"))

    t = json.loads(json.dumps(d))
    zs = Scalar.from_hex(t["answers"][1]["sum_proof"]["z"])
    t["answers"][1]["sum_proof"]["z"] = (zs + Scalar.one()).hex()
    add("tampered_sum_resigned", _resign(fp, t, kps[0], b"/tamper-sum"))

    # Two options of a one-hot vector swapped and re-signed: every proof is bound to its index.
    t = json.loads(json.dumps(d))
    t["answers"][1]["options"][0], t["answers"][1]["options"][1] = (
        t["answers"][1]["options"][1],
        t["answers"][1]["options"][0],
    )
    add("swapped_options_resigned", _resign(fp, t, kps[0], b"/swap"))

    t = json.loads(json.dumps(d))
    t["answers"][1]["options"][0], t["answers"][1]["options"][1] = (
        t["answers"][1]["options"][1],
        t["answers"][1]["options"][0],
    )
    add("swapped_options", t)

    t = json.loads(json.dumps(d))
    t["credential"] = kps[1].public.hex()
    add("wrong_credential", t)

    # Copy the encrypted answers and re-sign under another credential: the proofs bind P.
    other = kps[1]
    copied = Ballot(fp, other.public, good.answers, good.signature)
    resigned = Ballot(
        fp,
        other.public,
        good.answers,
        sign_with_seed(SEED + b"/resign", other, fp, copied.body_bytes()),
    )
    add("copied_and_resigned", resigned.to_dict())

    t = json.loads(json.dumps(d))
    t["answers"][0]["options"].pop()
    add("wrong_option_count", t)

    t = json.loads(json.dumps(d))
    t["answers"][0]["options"][0]["alpha"] = "01" + "00" * 31
    add("non_canonical_point", t)

    t = json.loads(json.dumps(d))
    t["answers"][0]["options"][0]["c0"] = ORDER.to_bytes(32, "little").hex()
    add("non_canonical_scalar", t)

    t = json.loads(json.dumps(d))
    t["election"] = hashlib.sha256(b"another election").hexdigest()
    add("wrong_election", t)

    t = json.loads(json.dumps(d))
    t["answers"][0]["options"][0]["alpha"] = "00" * 32
    add("identity_alpha", t)
    return cases


def _resign(fp: bytes, data: dict[str, Any], kp: Any, label: bytes) -> dict[str, Any]:
    b = Ballot.from_dict(data)
    sig = sign_with_seed(SEED + label, kp, fp, b.body_bytes())
    return Ballot(b.election_fingerprint, b.credential, b.answers, sig).to_dict()


def ristretto_check(data: dict[str, Any]) -> None:
    """The RFC 9496 file is hand-copied; check it against libsodium."""
    p = Point.identity()
    for enc in data["multiples_of_generator"]:
        if p.hex() != enc:
            raise SystemExit("RFC 9496 multiples do not match libsodium")
        p = p + GENERATOR
    for bad in data["invalid_encodings"]:
        try:
            Point.from_hex(bad)
        except CryptoError:
            continue
        raise SystemExit(f"invalid encoding {bad} accepted")
    for case in data["from_uniform_bytes"]:
        if Point.from_uniform_bytes(bytes.fromhex(case["input"])).hex() != case["output"]:
            raise SystemExit("RFC 9496 one-way map mismatch")


def build_all() -> dict[str, dict[str, Any]]:
    out = {
        "transcript": transcript_vectors(),
        "hash_to_scalar": hash_to_scalar_vectors(),
        "points": point_vectors(),
        "credential": credential_vectors(),
        "schnorr": schnorr_vectors(),
        "elgamal": elgamal_vectors(),
        "cds": cds_vectors(),
        "sum_proof": sum_proof_vectors(),
    }
    out.update(election_vectors())
    return out


def render(obj: Any) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="only compare with the files")
    args = parser.parse_args(argv)
    ristretto_check(json.loads((OUT_DIR / "ristretto255_rfc9496.json").read_text("utf-8")))
    differ = []
    for name, obj in build_all().items():
        path = OUT_DIR / f"{name}.json"
        text = render(obj)
        if args.check:
            if not path.exists() or path.read_text("utf-8") != text:
                differ.append(path.name)
        else:
            path.write_text(text, "utf-8")
    if differ:
        print("vectors differ: " + ", ".join(differ), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
