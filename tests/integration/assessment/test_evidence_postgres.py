"""Evidence files in PostgreSQL (production): stored by SHA-256, per tenant, once."""

from __future__ import annotations

import hashlib

import pytest

from assessment.adapters.evidence_store import SqlEvidenceStore
from shared.sql import PostgresDatabase

pytestmark = pytest.mark.integration


def test_evidence_round_trip_in_postgres(pg_url: str) -> None:
    db = PostgresDatabase(pg_url)
    try:
        store = SqlEvidenceStore(db)
        data = b"%PDF-1.7\n" + bytes(range(256)) * 100
        stored = store.put("dong-nai", "bien-ban.pdf", data)
        store.put("dong-nai", "bien-ban-2.pdf", data)
        assert stored.sha256 == hashlib.sha256(data).hexdigest()
        assert store.get("dong-nai", stored.sha256) == data
        assert store.get("quang-tri", stored.sha256) is None
        with db.transaction() as tx:
            row = tx.fetchone("SELECT count(*) FROM evidence_blob")
        assert row is not None and row[0] == 1
    finally:
        db.close()
