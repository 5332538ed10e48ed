"""``audit``: verify the history (store, NDJSON export or Kafka), export a cycle, show the
board as of a date, make a signing key. Exit code 0 = clean, 1 = tampering found, 2 = usage."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Annotated, Any

import typer
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import SecretStr
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from shared.audit import (
    Checkpoint,
    Report,
    load_checkpoints,
    load_public_key,
    verify_export,
    verify_history,
)
from shared.envelope import Envelope

cli = typer.Typer(help="Kiểm toán lịch sử sự kiện / audit the event history", no_args_is_help=True)
out = Console()
err = Console(stderr=True)
VN = timezone(timedelta(hours=7))

KIND_VI = {
    "altered": "bị sửa",
    "deleted": "bị xóa",
    "inserted": "bị chèn",
    "reordered": "bị đổi thứ tự",
    "chain_broken": "chuỗi niêm phong bị sửa",
    "checkpoint_invalid": "chữ ký điểm kiểm tra sai",
    "truncated": "bị cắt phần cuối",
    "checkpoint_deleted": "điểm kiểm tra bị xóa",
    "untagged": "không có thẻ HMAC (không do ứng dụng ghi)",
    "wrong_tag": "thẻ HMAC sai (bị giả hoặc bị sửa)",
}


def _store(
    database_url: str | None, sqlite_path: Path | None, tag_key_file: Path | None = None
) -> Any:
    from assessment.bootstrap import build_application, build_sealer
    from shared.settings import AssessmentSettings

    overrides: dict[str, Any] = {}
    if database_url:
        # an auditor's role reads: it never creates tables
        overrides = {
            "mode": "production",
            "database_url": SecretStr(database_url),
            "create_tables": False,
        }
    elif sqlite_path:
        overrides = {"mode": "embedded", "sqlite_path": sqlite_path}
    if tag_key_file is not None:  # the reader checks what the sealer checks
        overrides["event_key_file"] = tag_key_file
    settings = AssessmentSettings(**overrides)
    app = build_application(settings)
    return app, build_sealer(app, settings.model_copy(update={"audit_key_file": None}))


def _public_key(path: Path | None) -> Ed25519PublicKey | None:
    if path is None:
        return None
    raw = path.read_bytes()
    if b"PRIVATE KEY" in raw:
        key = serialization.load_pem_private_key(raw, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise typer.BadParameter("not an Ed25519 key")
        return key.public_key()
    return load_public_key(raw)


def _print(report: Report, source: str, as_json: bool) -> None:
    if as_json:
        out.print_json(
            json.dumps(
                {
                    "source": source,
                    "ok": report.ok,
                    "events": report.events,
                    "checkpoints_checked": report.checkpoints_checked,
                    "head_position": report.head_position,
                    "head_hash": report.head_hash,
                    "findings": [f.to_dict() for f in report.findings],
                },
                ensure_ascii=False,
            )
        )
        return
    if report.ok:
        out.print(
            f"[green]✔ Toàn vẹn[/] ({source}): {report.events} sự kiện, "
            f"{report.checkpoints_checked} điểm kiểm tra đã ký hợp lệ, "
            f"đầu chuỗi {report.head_position} {report.head_hash or ''}"
        )
        return
    first = report.findings[0]
    out.print(
        f"[red]✘ Phát hiện can thiệp[/] ({source}): sự kiện {KIND_VI.get(first.kind)} "
        f"[{first.kind}] tại vị trí {first.position} (event_id {first.event_id}) — "
        f"{first.detail}"
    )


@cli.command()
def verify(
    store: Annotated[bool, typer.Option("--store", help="kiểm tra kho sự kiện")] = False,
    ndjson: Annotated[Path | None, typer.Option(help="tệp xuất NDJSON")] = None,
    kafka: Annotated[str | None, typer.Option(help="Kafka bootstrap")] = None,
    public_key: Annotated[Path | None, typer.Option(help="khóa công khai (PEM)")] = None,
    database_url: Annotated[str | None, typer.Option(help="PostgreSQL URL của kho")] = None,
    sqlite_path: Annotated[Path | None, typer.Option(help="tệp SQLite của kho")] = None,
    events_topic: str = "assessment.events.v1",
    checkpoints_topic: str = "audit.checkpoints.v1",
    as_json: Annotated[bool, typer.Option("--json")] = False,
    checkpoints_file: Annotated[
        Path | None,
        typer.Option(help="bản sao điểm kiểm tra độc lập (JSON của API, NDJSON, tệp xuất)"),
    ] = None,
    checkpoints_kafka: Annotated[
        str | None, typer.Option(help="lấy bản sao điểm kiểm tra độc lập từ Kafka (bootstrap)")
    ] = None,
    tag_key_file: Annotated[
        Path | None,
        typer.Option(help="khóa thẻ HMAC của sự kiện (ASSESSMENT_EVENT_KEY_FILE), với --store"),
    ] = None,
) -> None:
    """Tính lại chuỗi băm và kiểm chữ ký; nêu sự kiện đầu tiên bị sửa/xóa/chèn/đổi thứ tự.

    Với --checkpoints-file/--checkpoints-kafka, kho được đối chiếu với bản sao điểm kiểm tra
    giữ ngoài kho: phát hiện cả việc cắt phần cuối và viết lại lịch sử rồi xóa điểm kiểm tra.
    Với --tag-key-file, mọi dòng của kho phải mang thẻ HMAC đúng: dòng chèn bằng SQL bị nêu tên."""
    if sum(bool(x) for x in (store, ndjson, kafka)) != 1:
        err.print("chọn đúng một nguồn: --store, --ndjson hoặc --kafka")
        raise typer.Exit(2)
    tag_key = None
    if tag_key_file is not None:
        if not store:
            err.print("--tag-key-file chỉ dùng với --store (thẻ nằm trong kho, không ở Kafka)")
            raise typer.Exit(2)
        from assessment.adapters.event_tags import load_or_create_tag_key

        try:
            tag_key = load_or_create_tag_key(tag_key_file, create=False)
        except (OSError, ValueError) as exc:
            err.print(f"không đọc được khóa thẻ / cannot read the tag key: {exc}")
            raise typer.Exit(2) from None
    key = _public_key(public_key)
    if key is None:
        err.print(
            "[yellow]cảnh báo: không có --public-key, chữ ký điểm kiểm tra không được kiểm[/]"
        )
    if ndjson is not None:
        from assessment.adapters.history import read_export

        export = read_export(ndjson)
        report = verify_export(
            export.envelopes,
            export.links,
            export.checkpoints,
            key,
            set(export.header.get("aggregate_ids", [])),
        )
        source = str(ndjson)
    elif kafka is not None:
        envelopes, checkpoints = asyncio.run(_read_kafka(kafka, events_topic, checkpoints_topic))
        report = verify_history(envelopes, None, checkpoints, key)
        source = f"kafka {kafka}/{events_topic}"
    else:
        from assessment.adapters.history import iter_envelopes, tag_findings

        independent = None
        if checkpoints_file is not None:
            independent = load_checkpoints(checkpoints_file.read_text(encoding="utf-8"))
        if checkpoints_kafka is not None:
            independent = (independent or []) + asyncio.run(
                _read_checkpoints(checkpoints_kafka, checkpoints_topic)
            )
        app, sealer = _store(database_url, sqlite_path, tag_key_file)
        try:
            report = verify_history(
                list(iter_envelopes(app)),
                sealer.all_links(),
                sealer.checkpoints(0, None, 10**9),
                key,
                independent=independent,
            )
            if tag_key is not None:  # rows not written by the application come first
                report.findings[:0] = tag_findings(app, tag_key)
        finally:
            sealer.db.close()
            app.close()
        source = "kho sự kiện"
    _print(report, source, as_json)
    raise typer.Exit(0 if report.ok else 1)


async def _read_kafka(
    bootstrap: str, events_topic: str, checkpoints_topic: str
) -> tuple[list[Envelope], list[Checkpoint]]:
    from reporting.adapters.topic_reader import read_topic

    events = [Envelope.from_json_bytes(r.value) for r in await read_topic(bootstrap, events_topic)]
    cps = [
        Checkpoint.from_dict(json.loads(r.value))
        for r in await read_topic(bootstrap, checkpoints_topic)
    ]
    return events, cps


async def _read_checkpoints(bootstrap: str, checkpoints_topic: str) -> list[Checkpoint]:
    from reporting.adapters.topic_reader import read_topic

    return [
        Checkpoint.from_dict(json.loads(r.value))
        for r in await read_topic(bootstrap, checkpoints_topic)
    ]


@cli.command()
def export(
    tenant: Annotated[str, typer.Option(help="tỉnh (tenant)")],
    out_file: Annotated[Path, typer.Option("--out", help="tệp NDJSON")],
    cycle_id: Annotated[str | None, typer.Option(help="mã kỳ đánh giá")] = None,
    year: Annotated[int | None, typer.Option(help="năm đánh giá (thay cho --cycle-id)")] = None,
    database_url: Annotated[str | None, typer.Option()] = None,
    sqlite_path: Annotated[Path | None, typer.Option()] = None,
    public_key: Annotated[Path | None, typer.Option(help="khóa công khai ghi vào header")] = None,
) -> None:
    """Xuất lịch sử một kỳ đánh giá của một tỉnh ra NDJSON (kèm chuỗi và điểm kiểm tra)."""
    from assessment.adapters.history import write_export
    from assessment.domain.collective.cycle import cycle_id_for
    from shared.audit import public_key_pem

    if (cycle_id is None) == (year is None):
        err.print("chọn --cycle-id hoặc --year")
        raise typer.Exit(2)
    cid = cycle_id or str(cycle_id_for(tenant, int(year or 0)))
    key = _public_key(public_key)
    app, sealer = _store(database_url, sqlite_path)
    try:
        with (
            out_file.open("w", encoding="utf-8") as fh,
            Progress(
                TextColumn("Đang xuất"),
                BarColumn(),
                TextColumn("{task.completed}/{task.total}"),
                TimeRemainingColumn(),
                console=err,
            ) as progress,
        ):
            task = progress.add_task("export", total=None)

            def tick(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            counts = write_export(
                app,
                sealer,
                fh,
                tenant=tenant,
                cycle_id=cid,
                public_key_pem=public_key_pem(key) if key else None,
                progress=tick,
            )
    finally:
        sealer.db.close()
        app.close()
    err.print(
        f"Đã xuất {counts['events']} sự kiện, {counts['links']} mắt xích, "
        f"{counts['checkpoints']} điểm kiểm tra vào {out_file}"
    )


@cli.command()
def board(
    ndjson: Annotated[Path, typer.Option(help="tệp xuất NDJSON")],
    as_of: Annotated[str, typer.Option(help="ngày YYYY-MM-DD (hết ngày, giờ Việt Nam)")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Bảng theo dõi của kỳ đánh giá như nó đã là vào cuối một ngày (dựng lại từ sự kiện)."""
    from assessment.adapters.history import read_export
    from reporting.read_models.cycle_board.board import board_as_of

    try:
        day = date.fromisoformat(as_of)
    except ValueError:
        err.print("--as-of phải là YYYY-MM-DD")
        raise typer.Exit(2) from None
    moment = datetime.combine(day + timedelta(days=1), time(0), tzinfo=VN)
    export = read_export(ndjson)
    cycle, rows = board_as_of(
        export.envelopes, export.header["tenant"], export.header["cycle_id"], moment
    )
    if as_json:
        out.print_json(
            json.dumps(
                {"as_of": moment.isoformat(), "cycle": cycle, "items": rows}, ensure_ascii=False
            )
        )
        return
    if cycle is None:
        out.print(f"Kỳ đánh giá chưa tồn tại vào {day:%d/%m/%Y}")
        return
    table = Table(title=f"{cycle['title']} — tình trạng cuối ngày {day:%d/%m/%Y}")
    for col in ("Đơn vị", "Tự đánh giá", "Tổng hợp", "Công nhận", "Mức"):
        table.add_column(col)
    for r in rows:
        s = r["steps"]
        table.add_row(
            r["unit_name"] or r["unit_id"],
            s["self_assessment"]["status"],
            s["consolidation"]["status"],
            s["recognition"]["status"],
            r["recognised_level"] or "—",
        )
    out.print(table)


@cli.command()
def keygen(out_file: Annotated[Path, typer.Option("--out", help="tệp khóa bí mật PEM")]) -> None:
    """Tạo khóa ký điểm kiểm tra (Ed25519), lưu ngoài cơ sở dữ liệu, quyền 0600."""
    if out_file.exists():
        err.print(f"{out_file} đã tồn tại; không ghi đè")
        raise typer.Exit(2)
    key = Ed25519PrivateKey.generate()
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.touch(mode=0o600)
    out_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    sys.stdout.write(
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
