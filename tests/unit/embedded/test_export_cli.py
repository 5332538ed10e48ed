"""``congvu export``: the demo's board streamed to XLSX and CSV with a progress bar, the caucus
dispatch as of a past moment, the published results — read back with openpyxl and csv."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

import openpyxl
import pypdf
from typer.testing import CliRunner

from embedded.app import build_embedded
from embedded.cli import cli
from embedded.demo import load_demo


def test_export_board_caucus_and_publications(tmp_path: Path) -> None:
    data = tmp_path / "d"
    e = build_embedded(data)
    load_demo(e.assessment)
    asyncio.run(e.relay.drain())
    e.close()
    runner = CliRunner()
    args = ["export", "--data-dir", str(data), "--out"]
    xlsx_out = tmp_path / "board.xlsx"
    res = runner.invoke(cli, [*args, str(xlsx_out)])
    assert res.exit_code == 0, res.output
    ws = openpyxl.load_workbook(xlsx_out).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("Mã đơn vị", "Đơn vị", "Bước") and ws.freeze_panes == "A2"
    assert f"Đã ghi {len(rows) - 1} dòng" in res.output
    assert {r[0] for r in rows[1:]} == {
        "SNV",
        "STC",
        "SYT",
        "SGDDT",
        "BVDK",
        "UBND-BIENHOA",
        "UBND-LONGKHANH",
    }
    csv_out = tmp_path / "board.csv"
    assert runner.invoke(cli, [*args, str(csv_out)]).exit_code == 0
    raw = csv_out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(lines) == len(rows) and lines[0][:3] == list(rows[0][:3])
    assert [(line[0], line[1], line[2]) for line in lines[1:]] == [r[:3] for r in rows[1:]]
    pdf_out = tmp_path / "caucus.pdf"
    res = runner.invoke(
        cli, [*args, str(pdf_out), "--what", "caucus", "--as-of", "2013-12-31T23:59:59+07:00"]
    )
    assert res.exit_code == 0, res.output
    text = "".join(p.extract_text() for p in pypdf.PdfReader(pdf_out).pages)
    assert "Báo cáo tại thời điểm quá khứ" in text and "ngày 31 tháng 12 năm 2013" in text
    pub = tmp_path / "pub.csv"
    assert runner.invoke(cli, [*args, str(pub), "--what", "publications"]).exit_code == 0
    lines = pub.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 2 and lines[1].startswith("SNV,Sở Nội vụ,Hoàn thành xuất sắc nhiệm vụ")
    bad = runner.invoke(cli, [*args, str(tmp_path / "x.txt")])
    assert bad.exit_code == 2
