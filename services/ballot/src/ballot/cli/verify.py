"""``ballot-verify``: check an election's public record from the record alone."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ballot.cli.common import Api, dump, fail, read_board_key, read_record_file, run, say
from ballot.verifier import parse_since, read_ndjson, verify_record

app = typer.Typer(
    add_completion=False,
    help="Kiểm tra bản ghi công khai của một cuộc bỏ phiếu / verify an election record.",
)


@app.command()
def verify(
    record: Annotated[
        Path | None, typer.Argument(help="bản ghi NDJSON đã tải về / downloaded record")
    ] = None,
    url: Annotated[str | None, typer.Option(help="tải bản ghi từ máy chủ này")] = None,
    election: Annotated[str | None, typer.Option(help="mã cuộc bỏ phiếu (với --url)")] = None,
    since: Annotated[
        str | None,
        typer.Option(help="<seq>:<hash> của lần kiểm tra trước: chỉ kiểm chứng minh phần mới"),
    ] = None,
    board_key: Annotated[
        Path | None, typer.Option(help="khóa công khai (PEM) của bảng, công bố riêng, để ghim")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="báo cáo dạng JSON")] = False,
    save: Annotated[Path | None, typer.Option(help="lưu bản ghi tải về vào tệp này")] = None,
) -> None:
    """Exit 0 when everything verifies, 1 with the list of findings otherwise."""
    board_pem = read_board_key(board_key)
    if record is not None:
        text = read_record_file(record)
    elif url and election:
        api = Api(url)
        try:
            text = api.record_text(election)
        finally:
            api.close()
        if save is not None:
            save.write_text(text, "utf-8")
    else:
        fail("cần tệp bản ghi, hoặc --url và --election", 2)
    try:
        lines = read_ndjson(text.splitlines())
        since_value = parse_since(since) if since else None
    except ValueError as exc:
        fail(str(exc), 2)
    verified = verify_record(
        lines,
        board_key_pem=board_pem,
        since=since_value,
    )
    report = verified.report
    if as_json:
        out = report.to_dict()
        out["result"] = report.result
        typer.echo(dump(out))
    else:
        say(f"Cuộc bỏ phiếu / election: {report.election_id}")
        say(
            f"  mục / entries: {report.entries}, phiếu / ballots: {report.ballots}, "
            f"được đếm / counted: {report.counted}, trạng thái / status: {report.status}"
        )
        say(f"  dấu vân tay / fingerprint: {report.fingerprint}")
        say(
            f"  điểm kiểm tra / checkpoints: {report.checkpoints}, niêm phong đến mục "
            f"{report.sealed_seq}; khóa bảng / board key id: {report.board_key_id}"
        )
        if report.result is not None:
            q = report.result["report"]["quorum"]
            say(
                f"  kết quả / result: {q['participants']} người tham gia / participants, cần "
                f"{q['required']} ({q['fraction']} số được triệu tập); thành viên giải mã / "
                f"trustees used = {report.result['used']}"
            )
        for f in report.findings:
            say(f"  ✗ [{f.code}] mục {f.seq}: {f.detail}")
        say(summary_line(report.ok, report.vote_valid))
        typer.echo(f"{report.head_seq}:{report.head_hash}")
    raise typer.Exit(0 if report.ok else 1)


def summary_line(record_ok: bool, vote_valid: bool | None) -> str:
    """The last line: whether the record verifies and, once counted, whether the vote is valid."""
    if not record_ok:
        return "KHÔNG HỢP LỆ: bản ghi không kiểm chứng được / INVALID: the record does not verify"
    if vote_valid is False:
        return (
            "KIỂM PHIẾU ĐÚNG, NHƯNG CUỘC BỎ PHIẾU KHÔNG HỢP LỆ vì không đủ túc số "
            "/ COUNT VERIFIED, VOTE INVALID: quorum not met"
        )
    if vote_valid is True:
        return "HỢP LỆ: bản ghi và kết quả kiểm chứng được, đủ túc số / VALID"
    return "HỢP LỆ: bản ghi kiểm chứng được (chưa có kết quả) / VALID record (no result yet)"


def main() -> None:
    run(app)
