"""Every API process configures logging (level, JSON, redaction): they never did."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from shared.auth import DevIssuer


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.parametrize("service", ["assessment", "reporting"])
def test_the_api_configures_logging_with_redaction(
    service: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    restore_logging: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    key = tmp_path / "dev.pem"
    DevIssuer.from_file(key)
    monkeypatch.setenv("CONGVU_AUTH_DEV_KEY_FILE", str(key))
    prefix = service.upper()
    monkeypatch.setenv(f"{prefix}_SQLITE_PATH", str(tmp_path / f"{service}.sqlite"))
    monkeypatch.setenv(f"{prefix}_LOG_JSON", "true")
    monkeypatch.setenv(f"{prefix}_LOG_LEVEL", "WARNING")
    if service == "assessment":
        from assessment.entrypoints.api.app import create_app
    else:
        from reporting.entrypoints.api.app import create_app
    with TestClient(create_app()):
        assert logging.getLogger().level == logging.WARNING
        logging.getLogger("congvu.test").warning("connect postgresql://u:s3cret@db/x failed")
    line = capsys.readouterr().err.strip().splitlines()[-1]
    record = json.loads(line)
    assert record["logger"] == "congvu.test" and "s3cret" not in line and "***" in line
