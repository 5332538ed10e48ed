"""``congvu token`` with no ``--data-dir`` (issue 9, item 7): it reads the server's data
directory, the same default as ``congvu run`` (``CONGVU_DATA_DIR``, else ``var/embedded``
under the working directory), and says which key it looked for when there is none."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from embedded.cli import cli
from shared.auth import DevIssuer


def test_the_default_is_the_servers_data_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("CONGVU_AUTH_JWKS_URL", "CONGVU_WEB_MODE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CONGVU_DATA_DIR", raising=False)
    runner = CliRunner()
    missing = runner.invoke(cli, ["token", "--role", "auditor"])
    assert missing.exit_code == 2
    assert "var/embedded/keys/dev-issuer.pem" in missing.output.replace("\n", "")
    issuer = DevIssuer.from_file(tmp_path / "var" / "embedded" / "keys" / "dev-issuer.pem")
    found = runner.invoke(cli, ["token", "--role", "auditor"])
    assert found.exit_code == 0, found.output
    assert issuer.verifier().verify(found.output.strip()).role == "auditor"
    # the server started with CONGVU_DATA_DIR elsewhere: the token follows it
    elsewhere = tmp_path / "server-data"
    other = DevIssuer.from_file(elsewhere / "keys" / "dev-issuer.pem")
    monkeypatch.setenv("CONGVU_DATA_DIR", str(elsewhere))
    moved = runner.invoke(cli, ["token", "--role", "chairman"])
    assert moved.exit_code == 0, moved.output
    assert other.verifier().verify(moved.output.strip()).role == "chairman"
