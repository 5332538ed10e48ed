"""Evidence stored by content on disk (embedded mode) and in SQL: hash = address, per tenant,
type and size fences, tampered bytes never served."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from assessment.adapters.evidence_store import (
    DiskEvidenceStore,
    SqlEvidenceStore,
    check_evidence,
)
from shared.problems import AppError
from shared.sql import SqliteDatabase

PDF = b"%PDF-1.4\n% bao cao tu danh gia 2013\n"


@pytest.fixture(params=["disk", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> DiskEvidenceStore | SqlEvidenceStore:
    if request.param == "disk":
        return DiskEvidenceStore(tmp_path / "evidence", limit=1000)
    return SqlEvidenceStore(SqliteDatabase(tmp_path / "ev.sqlite"), limit=1000)


def test_stored_under_its_sha256_once_and_per_tenant(
    store: DiskEvidenceStore | SqlEvidenceStore,
) -> None:
    first = store.put("dong-nai", "bao-cao.pdf", PDF)
    again = store.put("dong-nai", "ban-sao.pdf", PDF)
    assert first.sha256 == again.sha256 == hashlib.sha256(PDF).hexdigest()
    assert first.size == len(PDF) and first.media_type == "application/pdf"
    assert store.get("dong-nai", first.sha256) == PDF
    assert store.get("quang-tri", first.sha256) is None  # another province: as if absent
    assert store.get("dong-nai", "0" * 64) is None
    assert store.get("dong-nai", "../../etc/passwd") is None


def test_type_and_size_fences() -> None:
    with pytest.raises(AppError) as too_big:
        check_evidence("a.pdf", b"%PDF-" + b"0" * 2000, limit=1000)
    assert too_big.value.status == 413 and too_big.value.code == "evidence.too_large"
    for name, data, code in (
        ("a.exe", b"MZ", "evidence.type_not_allowed"),
        ("a.pdf", b"<html>", "evidence.type_mismatch"),
        ("a.xlsx", b"%PDF-", "evidence.type_mismatch"),
        ("a.csv", b"\xff\xfe\x00", "evidence.type_mismatch"),
        ("a.pdf", b"", "evidence.empty"),
    ):
        with pytest.raises(AppError) as bad:
            check_evidence(name, data)
        assert bad.value.code == code, name
    assert check_evidence("thong-ke.csv", "Đơn vị;Số hồ sơ\n".encode()).media_type.startswith(
        "text/csv"
    )


def test_bytes_altered_on_disk_are_never_served(tmp_path: Path) -> None:
    store = DiskEvidenceStore(tmp_path)
    stored = store.put("dong-nai", "a.pdf", PDF)
    path = tmp_path / "dong-nai" / stored.sha256[:2] / stored.sha256
    path.write_bytes(PDF + b"sua")
    assert store.get("dong-nai", stored.sha256) is None
