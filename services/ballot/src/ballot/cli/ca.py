"""``ballot-ca``: the credential authority, a role separate from the server operator.

``generate`` makes one random code per voter *offline*, derives the public credentials, writes

* ``codes.pdf`` — one code per cut-out slip to print, fold and seal (no names, no numbering
  tied to the list);
* ``credentials.json`` — the public credentials, sorted, with their list hash, to upload;

and keeps nothing else: there is no mapping from a code to a voter or to a position in the
list, and no code is written anywhere but in the PDF. ``upload`` sends the public list.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from ballot.cli.common import Api, dump, fail, read_json_file, run, say, token_option
from ballot.crypto import credential_list_hash, generate_credentials, sort_credentials
from ballot.sheet import render_code_sheet

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Cơ quan cấp mã bỏ phiếu (CA) / credential authority.",
)


@app.command()
def generate(
    election: Annotated[str, typer.Option(help="mã cuộc bỏ phiếu / election id")],
    out: Annotated[Path, typer.Option(help="thư mục ghi codes.pdf và credentials.json")],
    url: Annotated[
        str | None, typer.Option(help="lấy tiêu đề và số người được triệu tập từ máy chủ")
    ] = None,
    count: Annotated[int | None, typer.Option(help="số mã (mặc định: số được triệu tập)")] = None,
    title: Annotated[str | None, typer.Option(help="tiêu đề in trên phiếu mã")] = None,
    unit: Annotated[str, typer.Option(help="đơn vị in trên phiếu mã")] = "",
    vote_url: Annotated[str, typer.Option(help="địa chỉ trang bỏ phiếu in trên phiếu")] = (
        "https://congvu.gov.vn/bo-phieu"
    ),
) -> None:
    """Generate the codes, the printable PDF of sealed slips and the public list."""
    if url:
        api = Api(url)
        try:
            summary = api.get(f"/v1/ballot/elections/{election}")
        finally:
            api.close()
        count = count or int(summary["summoned"])
        title = title or str(summary["title"])
        unit = unit or str(summary["unit"])
    if not count or count < 1 or not title:
        fail("cần --count và --title (hoặc --url để lấy từ máy chủ)", 2)
    pdf_path, list_path = out / "codes.pdf", out / "credentials.json"
    for path in (pdf_path, list_path):
        if path.exists():
            fail(f"{path} đã tồn tại: không ghi đè", 2)
    pairs = generate_credentials(election, count)
    codes = [code for code, _ in pairs]
    ordered = sort_credentials(p for _, p in pairs)
    del pairs  # the pairing never leaves this function
    pdf = render_code_sheet(codes, title=title, unit=unit, election_id=election, vote_url=vote_url)
    del codes
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(pdf_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pdf)
    listing = {
        "election_id": election,
        "count": len(ordered),
        "credential_list_hash": credential_list_hash(ordered).hex(),
        "credentials": [p.hex() for p in ordered],
    }
    list_path.write_text(dump(listing) + "\n", "utf-8")
    say(f"{count} mã → {pdf_path} (in, gấp, dán kín; rồi xóa tệp này)")
    say(f"danh sách khóa công khai → {list_path}")
    typer.echo(listing["credential_list_hash"])


@app.command()
def upload(
    url: Annotated[str, typer.Option(help="máy chủ bỏ phiếu / ballot server")],
    election: Annotated[str, typer.Option(help="mã cuộc bỏ phiếu / election id")],
    file: Annotated[Path, typer.Option(help="credentials.json do 'generate' tạo")],
    token: Annotated[str | None, typer.Option(help="mã thông báo (hoặc BALLOT_TOKEN)")] = None,
) -> None:
    """Publish the public credential list on the election's board."""
    listing = read_json_file(file, "tệp danh sách khóa công khai")
    if (
        not isinstance(listing, dict)
        or not isinstance(listing.get("credentials"), list)
        or "credential_list_hash" not in listing
    ):
        fail(f"{file} không phải credentials.json do 'ballot-ca generate' tạo", 2)
    if listing.get("election_id") != election:
        fail("tệp danh sách thuộc cuộc bỏ phiếu khác", 2)
    api = Api(url, token_option(token))
    try:
        answer = api.post(
            f"/v1/ballot/elections/{election}/credentials",
            {"credentials": listing["credentials"]},
        )
    finally:
        api.close()
    if answer["credential_list_hash"] != listing["credential_list_hash"]:
        fail("máy chủ công bố mã băm danh sách khác với tệp của CA!")
    say(f"đã công bố {answer['count']} khóa công khai; mã băm {answer['credential_list_hash']}")


def main() -> None:
    run(app)
