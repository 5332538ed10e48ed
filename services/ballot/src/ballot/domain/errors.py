"""Typed errors of the ballot service, each with a stable dotted ``code``.

Codes never derive from class names or message text. Crypto failures keep the crypto core's
codes (``ballot.proof_invalid``, ``ballot.non_canonical_encoding``, ...); they are wrapped by
:func:`from_crypto` where the service needs to attach a Vietnamese title. Messages never carry
secrets, codes, credentials' owners or plaintext votes.
"""

from __future__ import annotations

from typing import Any

from ballot.crypto import (
    CryptoError,
    NotEnoughSharesError,
    ShareInvalidError,
    WrongOptionCountError,
)


class BallotError(Exception):
    """An expected failure a caller can act on: ``code`` is the contract."""

    def __init__(
        self,
        code: str,
        title: str,
        title_en: str,
        detail: str | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or title_en)
        self.code = code
        self.title = title
        self.title_en = title_en
        self.detail = detail
        self.extra = extra


def not_found(election_id: str) -> BallotError:
    return BallotError(
        "ballot.election_not_found",
        "Không tìm thấy cuộc bỏ phiếu",
        "Election not found",
        f"cuộc bỏ phiếu {election_id} không tồn tại / does not exist",
    )


def wrong_state(detail: str, **extra: Any) -> BallotError:
    return BallotError(
        "ballot.wrong_state",
        "Thao tác không phù hợp với giai đoạn hiện tại của cuộc bỏ phiếu",
        "Not allowed in the election's current state",
        detail,
        **extra,
    )


def invalid_config(detail: str) -> BallotError:
    return BallotError(
        "ballot.invalid_config",
        "Thông số cuộc bỏ phiếu không hợp lệ",
        "Invalid election parameters",
        detail,
    )


def invalid_entry(detail: str, **extra: Any) -> BallotError:
    return BallotError(
        "ballot.invalid_entry",
        "Bản ghi trên bảng công khai không hợp lệ",
        "Invalid board entry",
        detail,
        **extra,
    )


CRYPTO_TITLES: dict[str, tuple[str, str]] = {
    "ballot.non_canonical_encoding": (
        "Mã hóa điểm hoặc số vô hướng không chuẩn tắc",
        "Non-canonical point or scalar encoding",
    ),
    "ballot.identity_point": ("Điểm đơn vị không được phép", "Identity point not allowed"),
    "ballot.malformed": ("Cấu trúc phiếu không đúng", "Malformed structure"),
    "ballot.invalid_parameter": ("Tham số không hợp lệ", "Invalid parameter"),
    "ballot.wrong_election": ("Phiếu thuộc cuộc bỏ phiếu khác", "Ballot for another election"),
    "ballot.wrong_question_count": (
        "Số người được lấy phiếu trên phiếu không đúng",
        "Wrong number of questions",
    ),
    "ballot.wrong_option_count": ("Số mức đánh giá không đúng", "Wrong number of options"),
    "ballot.proof_invalid": ("Chứng minh trên phiếu không hợp lệ", "Proof does not verify"),
    "ballot.signature_invalid": ("Chữ ký không hợp lệ", "Signature does not verify"),
    "ballot.credential_code_invalid": ("Mã bỏ phiếu không hợp lệ", "Invalid credential code"),
    "ballot.duplicate_credential": (
        "Khóa công khai bị lặp trong danh sách",
        "Credential listed twice",
    ),
    "ballot.manifest_invalid": ("Bộ thông số bầu cử không nhất quán", "Inconsistent manifest"),
    "ballot.commitment_mismatch": (
        "Cam kết của thành viên kiểm phiếu không khớp vòng 1",
        "Commitments differ from round 1",
    ),
    "ballot.share_invalid": (
        "Phần giải mã / phần khóa của thành viên kiểm phiếu không hợp lệ",
        "Invalid trustee share",
    ),
    "ballot.not_enough_shares": ("Chưa đủ phần giải mã hợp lệ", "Not enough valid shares"),
    "ballot.below_minimum": (
        "Số phiếu dưới mức tối thiểu để giải mã (bảo vệ bí mật phiếu)",
        "Too few ballots to decrypt",
    ),
    "ballot.dlog_out_of_range": ("Kết quả giải mã ngoài phạm vi", "Decrypted value out of range"),
    "ballot.audit_invalid": (
        "Phiếu kiểm tra không mở ra đúng các lựa chọn đã hiển thị",
        "The audited ballot does not open to the choices shown",
    ),
}


def from_crypto(exc: CryptoError) -> BallotError:
    """The service's view of a crypto failure: same code, Vietnamese title, located detail."""
    vi, en = CRYPTO_TITLES.get(exc.code, ("Lỗi mật mã", "Cryptographic check failed"))
    extra: dict[str, Any] = {}
    for attr in ("kind", "question", "option", "trustee"):
        value = getattr(exc, attr, None)
        if value not in (None, ""):
            extra[attr] = value
    if isinstance(exc, WrongOptionCountError) and exc.question is not None:
        extra["question"] = exc.question
    if isinstance(exc, ShareInvalidError):
        extra["trustee"] = exc.trustee
    if isinstance(exc, NotEnoughSharesError):
        extra["bad"] = list(exc.bad)
        extra["valid"] = list(exc.valid)
    return BallotError(exc.code, vi, en, exc.message, **extra)
