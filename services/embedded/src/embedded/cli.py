"""``congvu``: run the embedded system, rebuild its read model."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from rich.console import Console
from rich.progress import Progress

from shared.logging import configure_logging
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
        data_dir or settings.data_dir, demo=settings.demo if demo is None else demo
    )
    console.print(
        f"[bold green]congvu[/] đang chạy: http://{host}:{port}/  "
        f"(API: http://{host}:{port}/docs) — Ctrl+C để dừng"
    )
    uvicorn.run(app, host=host, port=port, log_level="info")


@cli.command()
def rebuild(
    data_dir: Annotated[Path | None, typer.Option(help="thư mục dữ liệu SQLite")] = None,
) -> None:
    """Xây lại read model từ đầu, từ kho sự kiện (embedded)."""
    from embedded.app import build_embedded
    from reporting.consumer.runner import rebuild_reset

    emb = build_embedded(data_dir or EmbeddedSettings().data_dir)
    try:
        total = emb.assessment.recorder.max_notification_id() or 0
        rebuild_reset(emb.db)

        async def replay() -> None:
            with Progress(console=console) as progress:
                task = progress.add_task("Đang xây lại bảng theo dõi", total=total)
                while await emb.relay.run_once():
                    progress.update(task, completed=emb.relay.position or 0)
                progress.update(task, completed=total)

        asyncio.run(replay())
        console.print(f"Đã xây lại từ {total} sự kiện.")
    finally:
        emb.close()


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
