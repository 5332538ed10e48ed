"""The committed test vectors: regenerate byte for byte, and re-check them through the API."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from ballot.crypto import (
    Ballot,
    Ciphertext,
    CryptoError,
    DecryptionShare,
    DisjunctiveProof,
    DleqProof,
    ElectionManifest,
    Point,
    Scalar,
    SchnorrProof,
    aggregate_ballots,
    combine_decryption_shares,
    credential_list_hash,
    derive_credential,
    election_fingerprint,
    encrypt_with_nonce,
    format_code,
    lagrange_coefficient,
    normalize_code,
    verify_ballot,
    verify_decryption_share,
    verify_manifest,
    verify_signature,
    verify_zero_or_one,
)
from ballot.crypto import hashing as H
from ballot.crypto.proofs import dleq_is_valid
from ballot.crypto.testing import make_ballot_with_seed, sign_with_seed

ROOT = Path(__file__).resolve().parents[4]
VECTORS = ROOT / "services" / "ballot" / "testvectors"
SCRIPT = ROOT / "services" / "ballot" / "scripts" / "gen_vectors.py"


def load(name: str) -> Any:
    return json.loads((VECTORS / f"{name}.json").read_text("utf-8"))


def _gen_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("congvu_gen_vectors", SCRIPT)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_generator_reproduces_every_committed_vector_file_byte_for_byte() -> None:
    gen = _gen_module()
    built = gen.build_all()
    for name, obj in built.items():
        assert (VECTORS / f"{name}.json").read_text("utf-8") == gen.render(obj), name


def test_transcript_vectors() -> None:
    for case in load("transcript")["cases"]:
        tag = case["tag"].encode("ascii")
        fields = [bytes.fromhex(f) for f in case["fields"]]
        t = H.transcript(tag, *fields)
        assert t.hex() == case["transcript"]
        assert hashlib.sha256(t).hexdigest() == case["sha256"]
        assert hashlib.sha512(t).hexdigest() == case["sha512"]
        assert H.challenge(tag, *fields).hex() == case["challenge"]
        assert H.hash_to_point(tag, *fields).hex() == case["hash_to_point"]
        assert H.decode(t, tag) == fields


def test_hash_to_scalar_vectors() -> None:
    v = load("hash_to_scalar")
    for case in v["wide_reduction"]:
        wide = bytes.fromhex(case["input"])
        assert Scalar.from_wide_bytes(wide).hex() == case["scalar"]
        assert int.from_bytes(wide, "little") % int(v["l"], 16) == int.from_bytes(
            bytes.fromhex(case["scalar"]), "little"
        )
    for s in v["canonical_scalars"]:
        assert Scalar.from_hex(s).hex() == s
    for s in v["non_canonical_scalars"]:
        with pytest.raises(CryptoError) as exc:
            Scalar.from_hex(s)
        assert exc.value.code == "ballot.non_canonical_encoding"


def test_point_vectors() -> None:
    v = load("points")
    for h in v["canonical_points"]:
        assert Point.from_hex(h).hex() == h
    for h in v["non_canonical_points"]:
        with pytest.raises(CryptoError) as exc:
            Point.from_hex(h)
        assert exc.value.code == "ballot.non_canonical_encoding"


def test_credential_vectors() -> None:
    v = load("credential")
    for case in v["cases"]:
        kp = derive_credential(case["code"], case["election_id"])
        assert kp.secret.hex() == case["secret"]
        assert kp.public.hex() == case["public"]
        assert format_code(case["code"]) == case["formatted"]
        assert derive_credential(case["formatted"], case["election_id"]).public == kp.public
        assert Point.base_mul(Scalar.from_hex(case["secret"])).hex() == case["public"]
    for bad in v["invalid_codes"]:
        with pytest.raises(CryptoError) as exc:
            normalize_code(bad["code"])
        assert exc.value.code == "ballot.credential_code_invalid"


def test_schnorr_vectors() -> None:
    for case in load("schnorr")["cases"]:
        sig = SchnorrProof.from_dict(case["signature"])
        public = Point.from_hex(case["public"])
        fp, msg = bytes.fromhex(case["fingerprint"]), bytes.fromhex(case["message"])
        verify_signature(public, fp, msg, sig)
        w = Scalar.from_hex(case["nonce_w"])
        x = Scalar.from_hex(case["secret"])
        c = H.challenge(H.TAG_SIG, fp, msg, public, Point.from_hex(case["commitment_R"]))
        assert sig.c == c and sig.z == w + c * x
        with pytest.raises(CryptoError):
            verify_signature(public, fp, msg + b"x", sig)


def test_elgamal_vectors() -> None:
    v = load("elgamal")
    k = Point.from_hex(v["public_key"])
    s = Scalar.from_hex(v["secret_key"])
    assert Point.base_mul(s) == k
    cts = []
    for case in v["cases"]:
        ct = encrypt_with_nonce(k, case["m"], Scalar.from_hex(case["r"]))
        assert ct.to_dict() == {"alpha": case["alpha"], "beta": case["beta"]}
        assert ct.beta - ct.alpha * s == Point.base_mul(Scalar.from_int(case["m"]))
        cts.append(ct)
    assert (cts[1] + cts[2]).to_dict() == v["sum_of_cases_1_and_2"]


def test_cds_vectors() -> None:
    for case in load("cds")["cases"]:
        ct = Ciphertext.from_dict(case["ciphertext"])
        proof = DisjunctiveProof.from_dict(case["proof"])
        args = (
            bytes.fromhex(case["fingerprint"]),
            Point.from_hex(case["credential"]),
            case["question"],
            case["option"],
            Point.from_hex(case["joint_key"]),
            ct,
        )
        verify_zero_or_one(*args, proof)
        # The simulated branch is the one that is not m.
        sim_c = proof.c1 if case["m"] == 0 else proof.c0
        assert sim_c.hex() == case["c_sim"]
        with pytest.raises(CryptoError) as exc:
            verify_zero_or_one(*args[:3], case["option"] + 1, *args[4:], proof)
        assert exc.value.code == "ballot.proof_invalid"


def test_sum_proof_vectors() -> None:
    v = load("sum_proof")
    fp = bytes.fromhex(v["fingerprint"])
    cred = Point.from_hex(v["credential"])
    k = Point.from_hex(v["joint_key"])
    cts = [Ciphertext.from_dict(c) for c in v["ciphertexts"]]
    a = Point.identity()
    b = Point.identity()
    for ct in cts:
        a, b = a + ct.alpha, b + ct.beta
    assert a.hex() == v["A"]
    g = Point.generator()
    assert (b - g).hex() == v["B_minus_G"]
    ctx = (fp, cred.to_bytes(), H.u32(v["question"]), H.u32(len(cts)))
    proof = DleqProof.from_dict(v["proof"])
    assert dleq_is_valid(H.TAG_SUM, ctx, g, a, k, b - g, proof)
    assert not dleq_is_valid(H.TAG_SUM, ctx, g, a, k, b, proof)


def test_fingerprint_vectors() -> None:
    v = load("fingerprint")
    manifest = ElectionManifest.from_dict(v["manifest"])
    assert manifest.to_dict() == v["manifest"]
    assert credential_list_hash(manifest.credentials).hex() == v["credential_list_hash"]
    assert election_fingerprint(manifest).hex() == v["fingerprint"]
    assert verify_manifest(manifest).hex() == v["fingerprint"]


def test_ballot_vectors_verify_and_reproduce() -> None:
    v = load("ballot")
    fp = bytes.fromhex(v["fingerprint"])
    k = Point.from_hex(v["joint_key"])
    shape = v["option_counts"]
    for case in v["cases"]:
        ballot = Ballot.from_dict(case["ballot"])
        verify_ballot(fp, k, ballot, shape)
        assert ballot.body_bytes().hex() == case["body"]
        assert ballot.canonical_bytes().hex() == case["canonical"]
        assert ballot.tracker() == case["tracker"]
        assert hashlib.sha256(bytes.fromhex(case["canonical"])).hexdigest() == case["tracker"]
        assert Ballot.from_canonical_bytes(bytes.fromhex(case["canonical"])) == ballot
        kp = derive_credential(case["code"], v["election_id"])
        again = make_ballot_with_seed(
            bytes.fromhex(case["seed"]), fp, k, kp, case["choices"], shape
        )
        assert again.to_dict() == case["ballot"]


@pytest.mark.parametrize("case", load("ballot")["negative"], ids=lambda c: c["name"])
def test_negative_ballot_vectors_raise_their_code(case: dict[str, Any]) -> None:
    v = load("ballot")
    with pytest.raises(CryptoError) as exc:
        verify_ballot(
            bytes.fromhex(v["fingerprint"]),
            Point.from_hex(v["joint_key"]),
            Ballot.from_dict(case["ballot"]),
            v["option_counts"],
        )
    assert exc.value.code == case["expected_error"]


def test_copied_and_resigned_ballot_has_a_valid_signature_but_fails_on_proofs() -> None:
    v = load("ballot")
    case = next(c for c in v["negative"] if c["name"] == "copied_and_resigned")
    ballot = Ballot.from_dict(case["ballot"])
    fp = bytes.fromhex(v["fingerprint"])
    verify_signature(ballot.credential, fp, ballot.body_bytes(), ballot.signature)
    original = Ballot.from_dict(v["cases"][0]["ballot"])
    assert ballot.answers == original.answers
    assert ballot.credential != original.credential


def test_decryption_vectors() -> None:
    v = load("decryption")
    c = load("ceremony")
    fp = bytes.fromhex(v["fingerprint"])
    ballots = [Ballot.from_dict(x["ballot"]) for x in load("ballot")["cases"]]
    shape = load("ballot")["option_counts"]
    tally = aggregate_ballots(ballots, shape)
    assert [[ct.to_dict() for ct in row] for row in tally] == v["tally"]
    vks = {int(i): Point.from_hex(h) for i, h in c["verification_keys"].items()}
    shares = [DecryptionShare.from_dict(s) for s in v["shares"]]
    for s in shares:
        verify_decryption_share(fp, s, vks[s.trustee], tally)
    for entry in v["lagrange"]:
        sub = entry["subset"]
        assert [lagrange_coefficient(i, sub).hex() for i in sub] == entry["coefficients"]
        picked = [s for s in shares if s.trustee in sub]
        res = combine_decryption_shares(fp, tally, picked, vks, 3, v["ballot_count"])
        assert [list(r) for r in res.counts] == v["expected_counts"]
    res = combine_decryption_shares(fp, tally, shares, vks, 3, v["ballot_count"])
    assert [list(r) for r in res.counts] == v["result_all_shares"]["counts"]
    forged = DecryptionShare.from_dict(v["forged_share_of_trustee_2"])
    with pytest.raises(CryptoError) as exc:
        verify_decryption_share(fp, forged, vks[2], tally)
    assert exc.value.code == "ballot.share_invalid"
    res = combine_decryption_shares(
        fp, tally, [shares[0], forged, *shares[2:]], vks, 3, v["ballot_count"]
    )
    assert list(res.excluded) == v["result_with_forged_share"]["excluded"] == [2]
    assert [list(r) for r in res.counts] == v["expected_counts"]


def test_ceremony_vectors_are_consistent() -> None:
    c = load("ceremony")
    m = load("fingerprint")["manifest"]
    assert c["joint_key"] == m["joint_key"]
    for i, s in enumerate(c["secret_shares"], start=1):
        assert Point.base_mul(Scalar.from_hex(s)).hex() == c["verification_keys"][str(i)]


def test_sign_with_seed_is_deterministic_and_seed_dependent() -> None:
    kp = derive_credential(load("credential")["cases"][0]["code"], "x")
    a = sign_with_seed(b"s1", kp, bytes(32), b"m")
    assert a == sign_with_seed(b"s1", kp, bytes(32), b"m")
    assert a != sign_with_seed(b"s2", kp, bytes(32), b"m")
