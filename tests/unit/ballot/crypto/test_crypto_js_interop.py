"""Ballots made by the JavaScript voter code (services/ballot/web) verify in Python.

Skipped only when ``node`` or ``services/ballot/web/node_modules`` is missing
(``cd services/ballot/web && npm ci`` installs it).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from ballot.crypto import (
    Ballot,
    CryptoError,
    Point,
    Scalar,
    decrypt_to_point,
    derive_credential,
    discrete_log,
    generate_code,
    verify_ballot,
)

WEB = Path(__file__).resolve().parents[4] / "services" / "ballot" / "web"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(
    NODE is None or not (WEB / "node_modules" / "libsodium-wrappers-sumo").is_dir(),
    reason="node or services/ballot/web/node_modules missing (run npm ci there)",
)


def test_js_ballots_verify_in_python_and_trackers_agree() -> None:
    secret = Scalar.random()
    k = Point.base_mul(secret)
    fp = hashlib.sha256(b"interop election").digest()
    eid = "interop-2025"
    code = generate_code()
    shape = [3, 4, 3]
    choices = [[0, 3, 2], [2, 0, 1], [1, 1, 0]]
    params = {
        "fingerprint": fp.hex(),
        "joint_key": k.hex(),
        "code": code,
        "election_id": eid,
        "choices": choices,
        "option_counts": shape,
    }
    assert NODE is not None
    out = subprocess.run(
        [NODE, str(WEB / "tools" / "make_ballot.mjs")],
        input=json.dumps(params),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=WEB,
    )
    result = json.loads(out.stdout)
    assert result["credential"] == derive_credential(code, eid).public.hex()
    for entry, chosen in zip(result["ballots"], choices, strict=True):
        ballot = Ballot.from_dict(entry["ballot"])
        verify_ballot(fp, k, ballot, shape)
        assert ballot.tracker() == entry["tracker"]
        for ans, choice in zip(ballot.answers, chosen, strict=True):
            got = [discrete_log(decrypt_to_point(secret, ct), 1) for ct in ans.ciphertexts]
            assert got == [int(i == choice) for i in range(len(got))]
    # A JS ballot is bound to its election: the Python verifier rejects it elsewhere.
    ballot = Ballot.from_dict(result["ballots"][0]["ballot"])
    with pytest.raises(CryptoError):
        verify_ballot(hashlib.sha256(b"other").digest(), k, ballot, shape)
