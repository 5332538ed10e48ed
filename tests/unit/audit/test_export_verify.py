"""Export a cycle from the embedded store, verify it offline, tamper with the file."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from assessment.adapters.history import read_export, write_export
from embedded.app import Embedded, build_embedded
from embedded.demo import load_demo
from reporting.read_models.cycle_board.board import board_as_of
from shared.audit import load_public_key, public_key_pem, verify_export


@pytest.fixture(scope="module")
def emb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Embedded]:
    e = build_embedded(tmp_path_factory.mktemp("store"))
    load_demo(e.assessment)
    asyncio.run(e.relay.drain())
    e.sealer.checkpoint_now()
    yield e
    e.close()


@pytest.fixture(scope="module")
def export_lines(emb: Embedded, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    from assessment.domain.collective.cycle import cycle_id_for

    path = tmp_path_factory.mktemp("x") / "export.ndjson"
    assert emb.sealer.signer is not None
    with path.open("w", encoding="utf-8") as fh:
        counts = write_export(
            emb.assessment,
            emb.sealer,
            fh,
            tenant="dong-nai",
            cycle_id=str(cycle_id_for("dong-nai", 2013)),
            public_key_pem=public_key_pem(emb.sealer.signer.public_key),
        )
    assert counts["events"] > 30 and counts["checkpoints"] >= 1
    return path.read_text(encoding="utf-8").splitlines()


def check(lines: list[str], tmp_path: Path) -> Any:
    path = tmp_path / "x.ndjson"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    export = read_export(path)
    key = load_public_key(export.header["public_key_pem"].encode())
    return verify_export(
        export.envelopes, export.links, export.checkpoints, key, set(export.header["aggregate_ids"])
    )


def event_lines(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if json.loads(line)["kind"] == "event"]


def test_untouched_export_verifies(export_lines: list[str], tmp_path: Path) -> None:
    report = check(export_lines, tmp_path)
    assert report.ok, report.findings
    assert report.checkpoints_checked >= 1


def test_edited_event_is_named(export_lines: list[str], tmp_path: Path) -> None:
    lines = list(export_lines)
    i = event_lines(lines)[10]
    item = json.loads(lines[i])
    item["envelope"]["actor"]["subject"] = "ke-mao-danh"
    lines[i] = json.dumps(item, ensure_ascii=False)
    report = check(lines, tmp_path)
    assert report.first.kind == "altered"
    assert report.first.position == item["envelope"]["global_position"]


def test_removed_event_is_named(export_lines: list[str], tmp_path: Path) -> None:
    lines = list(export_lines)
    i = event_lines(lines)[5]
    removed = json.loads(lines.pop(i))
    report = check(lines, tmp_path)
    assert report.first.kind == "deleted"
    assert report.first.position == removed["envelope"]["global_position"]


def test_forged_checkpoint_signature_is_refused(export_lines: list[str], tmp_path: Path) -> None:
    lines = list(export_lines)
    i = next(i for i, line in enumerate(lines) if json.loads(line)["kind"] == "checkpoint")
    cp = json.loads(lines[i])
    cp["signed_at"] = "2030-01-01T00:00:00+00:00"
    lines[i] = json.dumps(cp)
    assert check(lines, tmp_path).first.kind == "checkpoint_invalid"


def test_board_as_of_a_date_from_the_export(export_lines: list[str], tmp_path: Path) -> None:
    path = tmp_path / "x.ndjson"
    path.write_text("\n".join(export_lines) + "\n", encoding="utf-8")
    export = read_export(path)
    tenant, cycle = export.header["tenant"], export.header["cycle_id"]
    _, before = board_as_of(export.envelopes, tenant, cycle, datetime(2014, 1, 1, tzinfo=UTC))
    _, after = board_as_of(export.envelopes, tenant, cycle, datetime(2014, 2, 1, tzinfo=UTC))
    snv_before = next(r for r in before if r["unit_code"] == "SNV")
    snv_after = next(r for r in after if r["unit_code"] == "SNV")
    assert snv_before["recognised_level"] is None
    assert snv_after["recognised_level"] == "hoan_thanh_xuat_sac"
    assert snv_before["steps"]["consolidation"]["status"] == "on_time"
