"""The as-of read answers like a missing aggregate across tenants and checks its bounds."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from assessment.application.kernel.idempotency import idempotency_id_for
from assessment.application.service import CommandContext
from assessment.bootstrap import build_application
from assessment.domain.kernel.errors import NotFound, ValidationFailed
from shared.settings import AssessmentSettings

ACTOR = {"subject": "s", "role": "home_affairs", "acting_for": None}
CTX = CommandContext(tenant="t", actor=ACTOR)


def test_as_of_refuses_other_tenants_idempotency_records_and_versions_out_of_range(
    tmp_path: Path,
) -> None:
    app = build_application(AssessmentSettings(sqlite_path=tmp_path / "a.sqlite"))
    try:
        keyed = CommandContext(tenant="t", actor=ACTOR, idempotency_key="k1")
        unit = uuid.UUID(app.register_unit(keyed, code="U", name="Một", kind="department")["id"])
        app.rename_unit(CTX, unit, name="Hai")
        assert app.aggregate_as_of(CTX, unit, version=1)["state"]["name"] == "Một"
        assert app.aggregate_as_of(CTX, unit, version=2)["state"]["name"] == "Hai"
        assert app.aggregate_as_of(CTX, unit)["state"]["name"] == "Hai"
        with pytest.raises(ValidationFailed, match="từ 1 đến 2"):
            app.aggregate_as_of(CTX, unit, version=3)
        with pytest.raises(ValidationFailed, match="từ 1 đến 2"):
            app.aggregate_as_of(CTX, unit, version=0)
        other = CommandContext(tenant="other", actor=ACTOR)
        for version in (None, 1, 3):
            with pytest.raises(NotFound):
                app.aggregate_as_of(other, unit, version=version)
        with pytest.raises(NotFound):
            app.aggregate_as_of(CTX, uuid.uuid4(), version=1)
        record = idempotency_id_for("t", "k1")
        assert app.repository.get(record) is not None  # it exists, but is not history
        with pytest.raises(NotFound):
            app.aggregate_as_of(CTX, record, version=1)
    finally:
        app.close()
