"""``ballot-verify``: check an election's public record from the record alone."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ballot.cli.common import (
    Api,
    dump,
    fail,
    read_board_key,
    read_json_file,
    read_record_file,
    run,
    say,
)
from ballot.crypto import CryptoError, audit_alphas, open_audit
from ballot.verifier import Verified, parse_since, read_ndjson, verify_record

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
    audit: Annotated[
        Path | None,
        typer.Option(
            help="tệp phiếu kiểm tra (Benaloh) tải từ trang bỏ phiếu: kiểm tra phiếu mã hóa đúng "
            "lựa chọn đã hiển thị / an audited ballot to check against the record"
        ),
    ] = None,
) -> None:
    """Exit 0 when everything verifies, 1 with the list of findings otherwise.

    With ``--audit FILE``: also open the audited ballot with its revealed nonces against the
    election's joint key from the (verified) record, print the choices it encrypts, and check
    that no ballot on the board shares its ciphertexts (SPEC.md §9.4).
    """
    audit_doc = read_json_file(audit, "tệp phiếu kiểm tra") if audit is not None else None
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
    if audit_doc is not None:
        raise typer.Exit(check_audit(audit_doc, verified, as_json))
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


def check_audit(doc: Any, verified: Verified, as_json: bool) -> int:
    """Open an audited ballot against the record; 0 when it holds the choices it shows."""
    state = verified.state
    if state is None or state.fingerprint is None or state.joint_key is None:
        fail("bản ghi chưa có khóa chung / dấu vân tay (cuộc bỏ phiếu chưa mở?)")
    findings = [f"[{f.code}] mục {f.seq}: {f.detail}" for f in verified.report.findings]
    try:
        choices = open_audit(doc, state.fingerprint, state.joint_key, state.config.option_counts)
    except CryptoError as exc:
        choices = None
        findings.append(f"[{exc.code}] {exc.message}")
    tracker = doc.get("tracker") if isinstance(doc, dict) else None
    cast = choices is not None and (
        tracker in verified.book.trackers
        or any(a in verified.book.alpha_owner for a in audit_alphas(doc))
    )
    if cast:
        findings.append(
            "[ballot.audited_ballot_cast] phiếu đã kiểm tra lại có trên bảng như phiếu bỏ"
        )
    ok = not findings
    questions = state.config.questions()
    shown = [
        {"question": q.label, "choice": c, "option": q.options[c]}
        for q, c in zip(questions, choices or (), strict=False)
    ]
    if as_json:
        typer.echo(dump({"ok": ok, "tracker": tracker, "choices": shown, "findings": findings}))
        return 0 if ok else 1
    say(f"Phiếu kiểm tra / audited ballot: mã theo dõi {tracker}")
    for item in shown:
        say(f"  {item['question']}: {item['option']}")
    for line in findings:
        say(f"  ✗ {line}")
    say(
        "PHIẾU KIỂM TRA ĐÚNG: bản mã chứa đúng các lựa chọn trên, và phiếu này không được đếm "
        "/ AUDIT PASSED: the encryption holds exactly these choices and was never cast"
        if ok
        else "PHIẾU KIỂM TRA SAI / AUDIT FAILED"
    )
    return 0 if ok else 1


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
