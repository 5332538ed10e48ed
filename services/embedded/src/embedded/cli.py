"""``congvu``: run the embedded system, rebuild its read model, export reports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from rich.console import Console
from rich.progress import Progress

from shared.logging import configure_logging
from shared.server import uvicorn_options
from shared.settings import EmbeddedSettings

cli = typer.Typer(
    help="congvu — đánh giá kết quả công vụ / public-service evaluation", no_args_is_help=True
)
console = Console()


@cli.command()
def run(
    host: Annotated[str | None, typer.Option(help="địa chỉ lắng nghe")] = None,
    port: Annotated[int | None, typer.Option(help="cổng")] = None,
    data_dir: Annotated[Path | None, typer.Option(help="thư mục dữ liệu SQLite")] = None,
    demo: Annotated[bool | None, typer.Option(help="nạp dữ liệu mẫu")] = None,
) -> None:
    """Chạy toàn bộ hệ thống trong một tiến trình (SQLite + bus nội bộ)."""
    from embedded.app import create_embedded_app

    settings = EmbeddedSettings()
    configure_logging("INFO")
    host = host or settings.host
    port = port or settings.port
    app = create_embedded_app(
        data_dir or settings.data_dir,
        demo=settings.demo if demo is None else demo,
        settle=True,  # a server process: its startup heap frozen once started
    )
    console.print(
        f"[bold green]congvu[/] đang chạy: http://{host}:{port}/  "
        f"(API: http://{host}:{port}/docs) — Ctrl+C để dừng"
    )
    uvicorn.run(app, host=host, port=port, log_level="info", **uvicorn_options())


@cli.command()
def rebuild(
    data_dir: Annotated[Path | None, typer.Option(help="thư mục dữ liệu SQLite")] = None,
) -> None:
    """Xây lại bảng theo dõi từ đầu, từ kho sự kiện, vào bảng mới rồi hoán đổi (embedded)."""
    from assessment.adapters.history import iter_envelope_batches
    from embedded.app import build_embedded
    from reporting.consumer.rebuild import rebuild_from_envelopes

    emb = build_embedded(data_dir or EmbeddedSettings().data_dir)
    try:
        total = emb.assessment.recorder.max_notification_id() or 0
        with Progress(console=console) as progress:
            task = progress.add_task("Đang xây lại bảng theo dõi", total=total)
            applied = rebuild_from_envelopes(
                emb.db,
                iter_envelope_batches(emb.assessment),
                "cycle-board",
                total,
                lambda done, _total: progress.update(task, completed=done),
            )
        console.print(f"Đã xây lại từ {applied} sự kiện và hoán đổi bảng.")
    finally:
        emb.close()


@cli.command()
def export(
    out: Annotated[Path, typer.Option(help="tệp kết quả (.xlsx, .csv, .pdf)")],
    what: Annotated[str, typer.Option(help="board | caucus | publications")] = "board",
    year: Annotated[int, typer.Option(help="năm đánh giá")] = 2013,
    tenant: Annotated[str, typer.Option(help="tỉnh")] = "dong-nai",
    as_of: Annotated[
        str | None, typer.Option(help="thời điểm ISO có múi giờ: dựng lại từ lịch sử sự kiện")
    ] = None,
    data_dir: Annotated[Path | None, typer.Option(help="thư mục dữ liệu SQLite")] = None,
) -> None:
    """Xuất bảng theo dõi, báo cáo Ban cán sự hoặc kết quả đã công bố (XLSX/CSV/PDF), ghi dần
    từng dòng với thanh tiến độ; --as-of dựng lại từ lịch sử sự kiện."""
    from embedded.exports import run_export

    fmt = out.suffix.lstrip(".").lower()
    if fmt not in ("xlsx", "csv", "pdf") or what not in ("board", "caucus", "publications"):
        console.print(
            "[red]--out phải là .xlsx, .csv hoặc .pdf; --what: board, caucus, publications"
        )
        raise typer.Exit(2)
    emb_dir = data_dir or EmbeddedSettings().data_dir
    try:
        rows = run_export(
            emb_dir, what, fmt, out, tenant=tenant, year=year, as_of=as_of, console=console
        )
    except ValueError as exc:
        console.print(f"[red]{exc}")
        raise typer.Exit(2) from exc
    console.print(f"Đã ghi {rows} dòng vào {out}.")


@cli.command()
def token(
    role: Annotated[str, typer.Option(help="vai trò, ví dụ home_affairs, auditor, chairman")],
    tenant: Annotated[str, typer.Option(help="tỉnh")] = "dong-nai",
    subject: Annotated[str | None, typer.Option(help="người dùng")] = None,
    unit: Annotated[str | None, typer.Option(help="mã đơn vị thay mặt")] = None,
    ttl: Annotated[int, typer.Option(help="hiệu lực (giây)")] = 8 * 3600,
    data_dir: Annotated[Path | None, typer.Option(help="thư mục dữ liệu SQLite")] = None,
) -> None:
    """In một mã thông báo của bên cấp phát thử nghiệm (chỉ chế độ embedded).

    Dùng thư mục dữ liệu của máy chủ (``CONGVU_DATA_DIR``, mặc định ``var/embedded``) và khóa
    mà ``congvu run`` đã tạo ở đó; từ chối vai trò không có trong ma trận quyền và từ chối khi
    đang cấu hình nhà cung cấp OIDC (production). / Prints a development token (embedded only).
    """
    from embedded.app import dev_issuer_for
    from shared.auth import AuthSettings
    from shared.web.pages import WebSettings

    known = known_roles()
    if role not in known:
        console.print(
            f"[red]Vai trò không hợp lệ / unknown role:[/] {role!r}. "
            f"Các vai trò: {', '.join(sorted(known))}"
        )
        raise typer.Exit(2)
    if AuthSettings().jwks_url or WebSettings().mode == "production":
        console.print(
            "[red]Chế độ production: mã thông báo do nhà cung cấp OIDC cấp, không có bên cấp "
            "thử nghiệm.[/] / production mode refuses the development issuer"
        )
        raise typer.Exit(2)
    directory = data_dir or EmbeddedSettings().data_dir
    key = directory / "keys" / "dev-issuer.pem"
    if not key.is_file():
        console.print(
            f"[red]Không thấy khóa của bên cấp thử nghiệm ở {key}.[/] Hãy chạy `congvu run` trước "
            "hoặc chỉ --data-dir của máy chủ. / no development issuer key there: start the server "
            "first or pass its --data-dir"
        )
        raise typer.Exit(2)
    issuer = dev_issuer_for(directory)
    typer.echo(
        issuer.mint(subject=subject or f"{role}.demo", tenant=tenant, role=role, unit=unit, ttl=ttl)
    )


def known_roles() -> set[str]:
    """The roles of the permission matrix and of the ballot service."""
    from assessment.application.permissions import ROLES

    return set(ROLES) | {"ballot_organiser", "trustee", "credential_authority"}


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
