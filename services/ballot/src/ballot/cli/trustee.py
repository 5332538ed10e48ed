"""``ballot-trustee``: a key holder's steps, each after verifying the public board itself.

``keygen`` → give the public part to the organiser; then per election ``round1``, ``round2``,
``confirm`` (or an automatic complaint naming a bad sender), and after closing ``decrypt``
(refused when the board does not verify or holds fewer ballots than the election's minimum).
Private keys, the polynomial and the key share live only in passphrase-sealed files
(Argon2id + ChaCha20-Poly1305, ``ballot.keystore``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from ballot import trustee as ops
from ballot.cli.common import Api, dump, fail, fetch_verified, passphrase, say, token_option
from ballot.crypto import (
    BelowMinimumError,
    CommitmentReveal,
    Polynomial,
    Scalar,
    ShareInvalidError,
    TrusteePrivateKeys,
)
from ballot.domain.election import ElectionState
from ballot.domain.errors import BallotError
from ballot.keystore import KeyFileError, read_json, seal, unseal, write_private

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Thành viên giữ khóa giải mã (trustee) / trustee key holder.",
)
KEY_PURPOSE = "trustee-key"
STATE_PURPOSE = "trustee-election-state"
PASS_ENV = "BALLOT_TRUSTEE_PASSPHRASE"  # noqa: S105 - the variable's name, not a secret

KeyOpt = Annotated[Path, typer.Option("--key", help="tệp khóa bí mật (đã niêm phong)")]
UrlOpt = Annotated[str, typer.Option(help="máy chủ bỏ phiếu / ballot server")]
ElectionOpt = Annotated[str, typer.Option(help="mã cuộc bỏ phiếu / election id")]
TokenOpt = Annotated[str | None, typer.Option(help="mã thông báo vai trò trustee (BALLOT_TOKEN)")]
PassOpt = Annotated[str, typer.Option(help="biến môi trường chứa mật khẩu")]
BoardKeyOpt = Annotated[Path | None, typer.Option(help="ghim khóa công khai (PEM) của bảng")]


def _load_keys(path: Path, env: str) -> TrusteePrivateKeys:
    try:
        secret = unseal(read_json(path), passphrase(env), purpose=KEY_PURPOSE)
    except (KeyFileError, OSError, ValueError) as exc:
        fail(f"không mở được tệp khóa {path}: {exc}")
    return TrusteePrivateKeys.from_private_bytes(
        1, bytes.fromhex(secret["sign_seed"]), bytes.fromhex(secret["kx_secret"])
    )


def _state_path(key: Path, election: str) -> Path:
    return key.with_name(f"{key.stem}.{election}.state.json")


def _load_state(key: Path, election: str, env: str) -> dict[str, Any]:
    path = _state_path(key, election)
    if not path.exists():
        fail(f"chưa có trạng thái của cuộc bỏ phiếu này ({path}): chạy round1 trước")
    try:
        return unseal(read_json(path), passphrase(env), purpose=STATE_PURPOSE)
    except KeyFileError as exc:
        fail(f"không mở được {path}: {exc}")


def _save_state(key: Path, election: str, env: str, data: dict[str, Any]) -> None:
    public = {"election_id": election, "trustee": data["trustee"], "attempt": data["attempt"]}
    write_private(
        _state_path(key, election),
        seal(data, passphrase(env), purpose=STATE_PURPOSE, public=public),
    )


def _session(
    url: str, election: str, key: Path, token: str | None, env: str, board_key: Path | None
) -> tuple[Api, ElectionState, TrusteePrivateKeys]:
    api = Api(url, token_option(token))
    verified = fetch_verified(api, election, board_key)
    assert verified.state is not None
    try:
        keys = ops.with_index(_load_keys(key, env), verified.state.config)
    except BallotError as exc:
        api.close()
        fail(f"{exc.code}: {exc.title}")
    say(f"bảng công khai hợp lệ ({verified.report.entries} mục); bạn là thành viên {keys.index}")
    return api, verified.state, keys


@app.command()
def keygen(
    out: Annotated[Path, typer.Option(help="tệp khóa bí mật sẽ tạo")],
    name: Annotated[str, typer.Option(help="họ tên in trong danh sách thành viên")],
    passphrase_env: PassOpt = PASS_ENV,
) -> None:
    """Create long-term Ed25519 + X25519 keys, sealed with a passphrase; print the public part."""
    if out.exists():
        fail(f"{out} đã tồn tại: không ghi đè", 2)
    keys = TrusteePrivateKeys.generate(1)
    pub = keys.public()
    public = {"name": name, "sign_key": pub.sign_key.hex(), "kx_key": pub.kx_key.hex()}
    secret = {
        "sign_seed": keys.sign.private_bytes_raw().hex(),
        "kx_secret": keys.kx.private_bytes_raw().hex(),
    }
    write_private(
        out,
        seal(secret, passphrase(passphrase_env, confirm=True), purpose=KEY_PURPOSE, public=public),
    )
    pub_path = out.with_name(f"{out.stem}.public.json")
    pub_path.write_text(dump(public) + "\n", "utf-8")
    say(f"khóa bí mật → {out}; phần công khai → {pub_path} (gửi cho ban tổ chức)")
    typer.echo(json.dumps(public, ensure_ascii=False))


@app.command()
def round1(
    url: UrlOpt,
    election: ElectionOpt,
    key: KeyOpt,
    token: TokenOpt = None,
    passphrase_env: PassOpt = PASS_ENV,
    board_key: BoardKeyOpt = None,
) -> None:
    """Draw the secret polynomial, keep it sealed, publish the signed commitment hash."""
    api, state, keys = _session(url, election, key, token, passphrase_env, board_key)
    try:
        result = ops.make_round1(state, keys)
        _save_state(
            key,
            election,
            passphrase_env,
            {
                "trustee": keys.index,
                "attempt": state.attempt,
                "polynomial": [c.hex() for c in result.polynomial.coefficients],
                "reveal": result.reveal.to_dict(),
                "secret_share": None,
            },
        )
        answer = api.post(
            f"/v1/ballot/elections/{election}/ceremony/round1",
            {"message": result.message.to_dict()},
        )
    finally:
        api.close()
    say(f"vòng 1 đã gửi (mục {answer['seq']}); giai đoạn: {answer['phase']}")


@app.command()
def round2(
    url: UrlOpt,
    election: ElectionOpt,
    key: KeyOpt,
    token: TokenOpt = None,
    passphrase_env: PassOpt = PASS_ENV,
    board_key: BoardKeyOpt = None,
) -> None:
    """Reveal the commitments and send every trustee its encrypted share (after all round 1)."""
    api, state, keys = _session(url, election, key, token, passphrase_env, board_key)
    try:
        saved = _load_state(key, election, passphrase_env)
        if saved["attempt"] != state.attempt:
            fail("lễ lập khóa đã được làm lại: chạy round1 lần nữa")
        poly = Polynomial([Scalar.from_hex(c) for c in saved["polynomial"]])
        reveal = CommitmentReveal.from_dict(saved["reveal"])
        try:
            msg, shares = ops.make_round2(state, keys, poly, reveal)
        except BallotError as exc:
            fail(f"{exc.code}: {exc.detail}")
        answer = api.post(
            f"/v1/ballot/elections/{election}/ceremony/round2",
            {"message": msg.to_dict(), "shares": [s.to_dict() for s in shares]},
        )
    finally:
        api.close()
    say(f"vòng 2 đã gửi (mục {answer['seq']}); giai đoạn: {answer['phase']}")


@app.command()
def confirm(
    url: UrlOpt,
    election: ElectionOpt,
    key: KeyOpt,
    token: TokenOpt = None,
    passphrase_env: PassOpt = PASS_ENV,
    board_key: BoardKeyOpt = None,
) -> None:
    """Open and check the shares addressed to me; confirm, or complain naming a bad sender."""
    api, state, keys = _session(url, election, key, token, passphrase_env, board_key)
    try:
        saved = _load_state(key, election, passphrase_env)
        reveal = CommitmentReveal.from_dict(saved["reveal"])
        try:
            secret, confirmation = ops.open_shares(state, keys, reveal)
        except ShareInvalidError as exc:
            api.post(
                f"/v1/ballot/elections/{election}/ceremony/complaint",
                ops.complaint(state, keys, exc.trustee),
            )
            fail(f"phần khóa của thành viên {exc.trustee} không hợp lệ: đã gửi khiếu nại")
        except BallotError as exc:
            fail(f"{exc.code}: {exc.detail}")
        _save_state(key, election, passphrase_env, {**saved, "secret_share": secret.hex()})
        answer = api.post(f"/v1/ballot/elections/{election}/ceremony/confirm", confirmation)
    finally:
        api.close()
    say(f"đã xác nhận (mục {answer['seq']}); giai đoạn: {answer['phase']}")
    typer.echo(confirmation["joint_key"])


@app.command()
def decrypt(
    url: UrlOpt,
    election: ElectionOpt,
    key: KeyOpt,
    token: TokenOpt = None,
    passphrase_env: PassOpt = PASS_ENV,
    board_key: BoardKeyOpt = None,
) -> None:
    """Publish my partial decryption of the verified aggregate (never below the minimum)."""
    api, state, keys = _session(url, election, key, token, passphrase_env, board_key)
    try:
        if state.counted < state.config.min_ballots:
            fail(
                f"chỉ có {state.counted} phiếu được đếm, tối thiểu {state.config.min_ballots}: "
                "từ chối giải mã để bảo vệ bí mật phiếu / refusing below the minimum"
            )
        saved = _load_state(key, election, passphrase_env)
        if not saved.get("secret_share"):
            fail("chưa có phần khóa: chạy confirm trong lễ lập khóa")
        try:
            share = ops.decrypt(state, keys, Scalar.from_hex(saved["secret_share"]))
        except (BelowMinimumError, BallotError) as exc:
            fail(f"từ chối giải mã: {exc}")
        answer = api.post(f"/v1/ballot/elections/{election}/decryption", {"share": share.to_dict()})
    finally:
        api.close()
    say(f"đã gửi phần giải mã (mục {answer['seq']}); trạng thái: {answer['status']}")


@app.command()
def public(key: KeyOpt) -> None:
    """Print the public part of a key file (no passphrase needed)."""
    typer.echo(json.dumps(read_json(key)["public"], ensure_ascii=False))


def main() -> None:
    app()
