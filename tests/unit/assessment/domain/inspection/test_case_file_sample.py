"""The per-unit sample aggregate: protocol order in events, reveals checked, record verifiable."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

import pytest
from eventsourcing.application import Application

from assessment.domain.inspection import sampling as S
from assessment.domain.inspection.case_file_sample import CaseFileSample, sample_id_for
from assessment.domain.inspection.sampling_verify import verify_record
from assessment.domain.kernel.errors import StepClosed, StepOrderViolation
from builders import at

INSPECTION = uuid.UUID("5a0b9c0e-0000-5000-8000-000000000001")
TEAM = {"subject": "snv.truong-doan", "role": "inspector", "acting_for": "SNV"}
UNIT = {"subject": "sxd.giam-doc", "role": "unit_head", "acting_for": "SXD"}
T = at("2024-03-10T09:00+07:00")
SECRET = {"team": hashlib.sha256(b"team").digest(), "unit": hashlib.sha256(b"unit").digest()}


def entries(n: int = 40) -> list[S.RegisterEntry]:
    return [
        S.RegisterEntry.of(
            file_id=f"{i}/SXD",
            field="Xây dựng" if i % 4 else "Quy hoạch",
            received_on="2023-05-02",
            title=f"Hồ sơ {i}",
        )
        for i in range(n)
    ]


def opened() -> CaseFileSample:
    return CaseFileSample.commit_register(
        tenant="tra-vinh",
        actor=TEAM,
        occurred_at=T,
        inspection_id=INSPECTION,
        unit_id="SXD",
        entries=entries(),
        sizes={"Xây dựng": 5, "Quy hoạch": 2},
    )


def commitment(s: CaseFileSample, party: str) -> str:
    return S.commitment(
        str(INSPECTION), "SXD", party, bytes.fromhex(s.parameters_hash), SECRET[party]
    ).hex()


def test_the_whole_protocol_then_the_published_record_verifies() -> None:
    s = opened()
    assert s.id == sample_id_for(INSPECTION, "SXD") and s.status == "register_committed"
    assert s.populations == {"Quy hoạch": 10, "Xây dựng": 30}
    with pytest.raises(StepOrderViolation):
        s.reveal(actor=TEAM, occurred_at=T, party="team", value=SECRET["team"].hex())
    s.commit(actor=TEAM, occurred_at=T, party="team", commitment=commitment(s, "team"))
    with pytest.raises(StepClosed):
        s.commit(actor=TEAM, occurred_at=T, party="team", commitment=commitment(s, "team"))
    s.commit(actor=UNIT, occurred_at=T, party="unit", commitment=commitment(s, "unit"))
    with pytest.raises(S.SamplingError) as wrong:
        s.reveal(actor=UNIT, occurred_at=T, party="unit", value=SECRET["team"].hex())
    assert wrong.value.code == "sampling.reveal_mismatch"
    s.reveal(actor=UNIT, occurred_at=T, party="unit", value=SECRET["unit"].hex())
    assert s.samples is None and s.status == "revealing"
    s.reveal(actor=TEAM, occurred_at=T, party="team", value=SECRET["team"].hex())
    assert s.status == "drawn" and s.samples is not None
    assert [len(v) for v in s.samples.values()] == [2, 5]
    names = [type(e).__name__ for e in s.collect_events()]
    assert names == [
        "RegisterCommitted",
        "ValueCommitted",
        "ValueCommitted",
        "ValueRevealed",
        "ValueRevealed",
        "Drawn",
    ]
    record = s.record()
    verified = verify_record(record, expected_register_hash=s.register_hash)
    assert verified.samples == s.samples


def test_the_register_is_refused_when_sizes_exceed_a_field_or_a_file_repeats() -> None:
    with pytest.raises(S.SamplingError):
        CaseFileSample.commit_register(
            tenant="t",
            actor=TEAM,
            occurred_at=T,
            inspection_id=INSPECTION,
            unit_id="SXD",
            entries=entries(),
            sizes={"Quy hoạch": 11},
        )
    with pytest.raises(S.SamplingError) as dup:
        CaseFileSample.commit_register(
            tenant="t",
            actor=TEAM,
            occurred_at=T,
            inspection_id=INSPECTION,
            unit_id="SXD",
            entries=[*entries(), entries()[0]],
            sizes={"Quy hoạch": 1},
        )
    assert dup.value.code == "sampling.duplicate_file"


def test_before_the_draw_the_record_shows_only_the_public_part() -> None:
    s = opened()
    s.commit(actor=TEAM, occurred_at=T, party="team", commitment=commitment(s, "team"))
    public: dict[str, Any] = s.record()
    assert "reveals" not in public and "samples" not in public
    assert public["commitments"] == {"team": commitment(s, "team")}


def test_a_sample_replays_from_the_store() -> None:
    s = opened()
    for p in ("team", "unit"):
        s.commit(actor=TEAM, occurred_at=T, party=p, commitment=commitment(s, p))
    for p in ("team", "unit"):
        s.reveal(actor=TEAM, occurred_at=T, party=p, value=SECRET[p].hex())
    app: Application[Any] = Application()
    app.save(s)
    again = app.repository.get(s.id)
    assert again.record() == s.record() and again.inspection_id == INSPECTION
