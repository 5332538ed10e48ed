"""The ``inspection-verify-sample`` CLI: exit codes and Vietnamese messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from assessment.entrypoints.cli.verify_sample import main

ROOT = Path(__file__).resolve().parents[5]
VECTORS = ROOT / "services" / "assessment" / "testvectors" / "sampling"


def record(name: str = "vietnamese") -> dict[str, Any]:
    cases = json.loads((VECTORS / "records.json").read_text("utf-8"))["cases"]
    return next(c["record"] for c in cases if c["name"] == name)


def write(tmp_path: Path, obj: Any) -> str:
    path = tmp_path / "record.json"
    path.write_text(json.dumps(obj, ensure_ascii=False), "utf-8")
    return str(path)


def test_a_good_record_verifies(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rec = record()
    assert main([write(tmp_path, rec), "--register-hash", rec["register_hash"]]) == 0
    out = capsys.readouterr().out
    assert "HỢP LỆ" in out and rec["samples"]["Xây dựng"][0] in out


def test_a_swapped_file_is_refused_with_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rec = record()
    sampled = rec["samples"]["Xây dựng"]
    other = next(
        e["file_id"]
        for e in rec["register"]
        if e["field"] == "Xây dựng" and e["file_id"] not in sampled
    )
    sampled[2] = other
    assert main([write(tmp_path, rec)]) == 1
    err = capsys.readouterr().err
    assert "BỊ TỪ CHỐI [sampling.sample_mismatch]" in err and "Xây dựng" in err
    assert "REFUSED" in err


def test_json_output_names_the_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rec = record("small")
    rec["register"][0]["title"] = "đã sửa"
    assert main([write(tmp_path, rec), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out == {
        "ok": False,
        "code": "sampling.register_mismatch",
        "detail": out["detail"],
        "detail_en": out["detail_en"],
    }
    assert "sổ đăng ký" in out["detail"]


def test_a_pin_that_disagrees_is_refused(tmp_path: Path) -> None:
    assert main([write(tmp_path, record()), "--register-hash", "11" * 32]) == 1


def test_unreadable_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "x.json"
    bad.write_text("{not json", "utf-8")
    assert main([str(bad)]) == 2
    assert main([str(tmp_path / "missing.json")]) == 2
    assert "Không đọc được" in capsys.readouterr().err


def test_the_installed_console_script_runs(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "inspection-verify-sample"
    if not script.exists():
        pytest.fail("console script not installed: pip install -e . registers it")
    path = write(tmp_path, record("large"))
    ok = subprocess.run([str(script), path, "--json"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["entry_count"] == 300
