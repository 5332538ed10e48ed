"""Benaloh challenge (SPEC.md §9.4) against the committed vectors ``testvectors/audit.json``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ballot.crypto import (
    AuditInvalidError,
    Ballot,
    CryptoError,
    Point,
    audit_alphas,
    audit_document,
    check_matches_ballot,
    derive_credential,
    make_auditable_ballot,
    open_audit,
    verify_ballot,
)
from ballot.crypto.testing import make_auditable_ballot_with_seed, make_ballot_with_seed

VECTORS = Path(__file__).resolve().parents[4] / "services" / "ballot" / "testvectors"


@pytest.fixture(scope="module")
def v() -> Any:
    return json.loads((VECTORS / "audit.json").read_text("utf-8"))


def params(v: Any) -> tuple[bytes, Point, list[int]]:
    return bytes.fromhex(v["fingerprint"]), Point.from_hex(v["joint_key"]), v["option_counts"]


def test_the_seeded_ballot_its_nonces_and_its_audit_document_are_reproduced(v: Any) -> None:
    fp, k, counts = params(v)
    kp = derive_credential(v["code"], v["election_id"])
    seed = bytes.fromhex(v["seed"])
    ballot, rs = make_auditable_ballot_with_seed(seed, fp, k, kp, v["choices"], counts)
    assert ballot.to_dict() == v["ballot"] and ballot.tracker() == v["tracker"]
    assert [[r.hex() for r in row] for row in rs] == v["randomness"]
    # recording the nonces does not change the ballot
    assert make_ballot_with_seed(seed, fp, k, kp, v["choices"], counts).to_dict() == v["ballot"]
    assert audit_document(ballot, rs, v["choices"]) == v["audit"]


def test_the_audit_opens_to_the_choices_shown(v: Any) -> None:
    fp, k, counts = params(v)
    assert open_audit(v["audit"], fp, k, counts) == tuple(v["choices"])
    check_matches_ballot(v["audit"], Ballot.from_dict(v["ballot"]))
    assert len(audit_alphas(v["audit"])) == sum(counts)
    assert "credential" not in json.dumps(v["audit"])  # nothing links it to a voter


@pytest.mark.parametrize("case", json.loads((VECTORS / "audit.json").read_text())["negative"])
def test_each_refused_variant_fails_with_its_code(v: Any, case: Any) -> None:
    fp, k, counts = params(v)
    with pytest.raises(CryptoError) as info:
        open_audit(case["audit"], fp, k, counts)
    assert info.value.code == case["error"], case["name"]


def test_a_lying_device_is_caught_by_the_audit(v: Any) -> None:
    """The device shows choice (2, 3) but encrypts (0, 3): no nonces open it to (2, 3)."""
    fp, k, counts = params(v)
    kp = derive_credential(v["code"], v["election_id"])
    ballot, rs = make_auditable_ballot(fp, k, kp, (0, 3), counts)
    verify_ballot(fp, k, ballot, counts)  # a perfectly valid ballot: the proofs cannot tell
    with pytest.raises(AuditInvalidError) as info:
        open_audit(audit_document(ballot, rs, (2, 3)), fp, k, counts)
    assert (info.value.question, info.value.option) == (0, 0)
    other, _ = make_auditable_ballot(fp, k, kp, (2, 3), counts)
    with pytest.raises(AuditInvalidError):
        check_matches_ballot(audit_document(ballot, rs, (0, 3)), other)
