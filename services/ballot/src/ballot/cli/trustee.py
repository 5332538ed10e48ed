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
from typing import Annotated

import typer

from ballot import trustee as ops
from ballot.cli import trustee_state as files
from ballot.cli.common import Api, dump, fail, fetch_verified, passphrase, run, say, token_option
from ballot.crypto import (
    BelowMinimumError,
    CommitmentReveal,
    Polynomial,
    Scalar,
    ShareInvalidError,
    TrusteePrivateKeys,
    round1_message,
)
from ballot.domain.election import (
    CLOSED,
    CONFIRM,
    DECRYPTED,
    DONE,
    FAILED,
    ROUND1,
    ROUND2,
    SETUP,
    ElectionState,
)
from ballot.domain.errors import BallotError
from ballot.keystore import KeyFileError, read_json, seal, unseal, write_private

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Thành viên giữ khóa giải mã (trustee) / trustee key holder.",
)
KEY_PURPOSE = "trustee-key"
PASS_ENV = "BALLOT_TRUSTEE_PASSPHRASE"  # noqa: S105 - the variable's name, not a secret

KeyOpt = Annotated[Path, typer.Option("--key", help="tệp khóa bí mật (đã niêm phong)")]
UrlOpt = Annotated[str, typer.Option(help="máy chủ bỏ phiếu / ballot server")]
ElectionOpt = Annotated[str, typer.Option(help="mã cuộc bỏ phiếu / election id")]
TokenOpt = Annotated[str | None, typer.Option(help="mã thông báo vai trò trustee (BALLOT_TOKEN)")]
PassOpt = Annotated[str, typer.Option(help="biến môi trường chứa mật khẩu")]
BoardKeyOpt = Annotated[Path | None, typer.Option(help="ghim khóa công khai (PEM) của bảng")]


def _load_keys(path: Path, env: str) -> TrusteePrivateKeys:
    if not path.is_file():
        fail(f"không tìm thấy tệp khóa / key file not found: {path}", 2)
    try:
        secret = unseal(read_json(path), passphrase(env), purpose=KEY_PURPOSE)
        return TrusteePrivateKeys.from_private_bytes(
            1, bytes.fromhex(secret["sign_seed"]), bytes.fromhex(secret["kx_secret"])
        )
    except (KeyFileError, OSError, ValueError, KeyError, TypeError) as exc:
        fail(f"không mở được tệp khóa {path} (sai mật khẩu hoặc không phải tệp khóa?): {exc}")


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


def _phase(state: ElectionState) -> str:
    if state.status != SETUP:
        return f"lễ lập khóa đã xong, cuộc bỏ phiếu đang ở trạng thái {state.status}"
    if state.phase == FAILED:
        return "lễ lập khóa bị khiếu nại: chờ ban tổ chức lập khóa lại (restart)"
    done = {ROUND1: len(state.round1), ROUND2: len(state.round2), CONFIRM: len(state.confirmed)}
    return f"lễ lập khóa đang ở {state.phase} ({done.get(state.phase, state.n)}/{state.n})"


def _mismatch(what: str) -> None:
    fail(
        f"{what} của bạn trên bảng không khớp tệp trạng thái của bạn: không gửi lại, không ghi "
        "đè gì; báo ban tổ chức để lập khóa lại / the board holds another message of yours"
    )


@app.command()
def round1(
    url: UrlOpt,
    election: ElectionOpt,
    key: KeyOpt,
    token: TokenOpt = None,
    passphrase_env: PassOpt = PASS_ENV,
    board_key: BoardKeyOpt = None,
) -> None:
    """Draw the secret polynomial, keep it sealed, publish the signed commitment hash.

    Safe to re-run: the polynomial of this attempt is written once, before sending, and a retry
    re-sends the same signed message; when the board already holds it, nothing is done.
    """
    api, state, keys = _session(url, election, key, token, passphrase_env, board_key)
    try:
        saved = files.load_state(key, election, state.attempt, passphrase_env)
        on_board = state.round1.get(keys.index)
        if on_board is not None:
            if (
                saved is None
                or on_board.commitment_hash
                != round1_message(
                    state.ceremony, keys, CommitmentReveal.from_dict(saved["reveal"])
                ).commitment_hash
            ):
                _mismatch("vòng 1")
            say(f"vòng 1 của bạn đã có trên bảng (lần lập khóa {state.attempt}): không gửi lại")
            return
        if state.status != SETUP or state.phase != ROUND1:
            fail(f"không gửi vòng 1 lúc này: {_phase(state)}")
        if saved is None:
            result = ops.make_round1(state, keys)
            files.save_state(
                key,
                election,
                passphrase_env,
                {
                    "trustee": keys.index,
                    "attempt": state.attempt,
                    "polynomial": [c.hex() for c in result.polynomial.coefficients],
                    "reveal": result.reveal.to_dict(),
                },
            )
            message = result.message
        else:
            say("dùng lại đa thức đã lưu của lần lập khóa này (gửi lại đúng thông điệp cũ)")
            reveal = CommitmentReveal.from_dict(saved["reveal"])
            message = round1_message(state.ceremony, keys, reveal)
        answer = api.post(
            f"/v1/ballot/elections/{election}/ceremony/round1", {"message": message.to_dict()}
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
        on_board = state.round2.get(keys.index)
        if on_board is None and (state.status != SETUP or state.phase != ROUND2):
            fail(f"không gửi vòng 2 lúc này: {_phase(state)}")
        saved = files.need_state(key, election, state.attempt, passphrase_env)
        reveal = CommitmentReveal.from_dict(saved["reveal"])
        if on_board is not None:
            if on_board.reveal != reveal:
                _mismatch("vòng 2")
            say(f"vòng 2 của bạn đã có trên bảng (lần lập khóa {state.attempt}): không gửi lại")
            return
        poly = Polynomial([Scalar.from_hex(c) for c in saved["polynomial"]])
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
        done = state.status != SETUP or state.phase == DONE or keys.index in state.confirmed
        if not done and (state.status != SETUP or state.phase != CONFIRM):
            fail(f"chưa xác nhận được: {_phase(state)}")
        saved = files.need_state(key, election, state.attempt, passphrase_env)
        reveal = CommitmentReveal.from_dict(saved["reveal"])
        try:
            secret, confirmation = ops.open_shares(state, keys, reveal)
        except ShareInvalidError as exc:
            if done:
                fail(f"phần khóa của thành viên {exc.trustee} không hợp lệ (lễ đã xong?)")
            api.post(
                f"/v1/ballot/elections/{election}/ceremony/complaint",
                ops.complaint(state, keys, exc.trustee),
            )
            fail(f"phần khóa của thành viên {exc.trustee} không hợp lệ: đã gửi khiếu nại")
        except BallotError as exc:
            fail(f"{exc.code}: {exc.detail}")
        files.save_share(
            key,
            election,
            passphrase_env,
            {
                "trustee": keys.index,
                "attempt": state.attempt,
                "secret_share": secret.hex(),
                "verification_key": confirmation["verification_key"],
            },
        )
        if done:
            say("bạn đã xác nhận trước đó; phần khóa đã được lưu / already confirmed")
            typer.echo(confirmation["joint_key"])
            return
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
        if state.status == DECRYPTED:
            mine = "phần của bạn đã có trên bảng" if keys.index in state.dec_shares else ""
            say(f"kết quả đã được công bố; không cần gửi thêm / result already published. {mine}")
            return
        if state.status != CLOSED:
            fail(
                f"cuộc bỏ phiếu chưa đóng (trạng thái: {state.status}): chỉ giải mã sau khi "
                "ban tổ chức đóng cuộc bỏ phiếu / the election is not closed"
            )
        if keys.index in state.dec_shares:
            say("phần giải mã của bạn đã có trên bảng: không gửi lại / already on the board")
            return
        if state.counted < state.config.min_ballots:
            fail(
                f"chỉ có {state.counted} phiếu được đếm, tối thiểu {state.config.min_ballots}: "
                "từ chối giải mã để bảo vệ bí mật phiếu / refusing below the minimum"
            )
        saved = files.load_share(key, election, passphrase_env)
        if saved is None:
            fail(
                f"chưa có phần khóa ({files.share_path(key, election)}): chạy confirm trong lễ "
                "lập khóa / no key share: run confirm"
            )
        if saved.get("verification_key") != state.verification_keys[keys.index].hex():
            fail("phần khóa đã lưu không khớp khóa kiểm tra trên bảng / key share mismatch")
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
    run(app)
