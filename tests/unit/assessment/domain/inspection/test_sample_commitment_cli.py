"""``inspection-sample-commitment``: the commitment the domain checks a reveal against."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from assessment.domain.inspection import sampling as S
from assessment.entrypoints.cli.sample_commitment import main

INSP, UNIT = "0b9c7a52-3b0e-4f5e-8a11-1d2c3b4a5f60", "7b0c1c2e-5d0a-4f43-9d1f-3f6a2b9c0a11"
PARAMS = bytes(range(32))
ARGS = ["--inspection", INSP, "--unit", UNIT, "--parameters-hash", PARAMS.hex(), "--json"]


def test_a_secret_from_stdin_gives_the_domain_commitment(
    monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    secret = bytes([7]) * 32
    monkeypatch.setattr("sys.stdin", io.StringIO(secret.hex() + "\n"))
    assert main([*ARGS, "--party", "unit"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {
        "party": "unit",
        "commitment": S.commitment(INSP, UNIT, "unit", PARAMS, secret).hex(),
    }
    S.check_reveal(INSP, UNIT, "unit", PARAMS, bytes.fromhex(out["commitment"]), secret)


def test_generate_prints_a_fresh_secret_that_opens_its_commitment(capsys: Any) -> None:
    assert main([*ARGS, "--party", "team", "--generate"]) == 0
    out = json.loads(capsys.readouterr().out)
    secret, committed = bytes.fromhex(out["secret"]), bytes.fromhex(out["commitment"])
    S.check_reveal(INSP, UNIT, "team", PARAMS, committed, secret)
    with pytest.raises(S.SamplingError):  # bound to the party
        S.check_reveal(INSP, UNIT, "unit", PARAMS, committed, secret)


def test_a_short_secret_or_hash_is_refused(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("abcd"))
    assert main([*ARGS, "--party", "team"]) == 2
    assert "sampling.invalid_parameter" in capsys.readouterr().err
    bad = ["--inspection", INSP, "--unit", UNIT, "--parameters-hash", "zz", "--party", "team"]
    assert main([*bad, "--generate"]) == 2
