"""Ballot errors → problem+json: the one table of HTTP statuses."""

from __future__ import annotations

import sqlite3

import psycopg
from psycopg_pool import PoolTimeout

from ballot.crypto import CryptoError
from ballot.domain.errors import BallotError, from_crypto
from shared.problems import AppError

STATUS_BY_CODE: dict[str, int] = {
    "ballot.election_not_found": 404,
    "ballot.tracker_not_found": 404,
    "ballot.manifest_not_ready": 409,
    "ballot.result_not_ready": 409,
    "ballot.wrong_state": 409,
    "ballot.outside_window": 409,
    "ballot.already_submitted": 409,
    "ballot.replay": 409,
    "ballot.duplicate_ciphertext": 409,
    "ballot.audited": 409,
    "ballot.already_cast": 409,
    "ballot.below_minimum": 409,
    "ballot.not_enough_shares": 409,
    "ballot.unknown_credential": 403,
    "auth.forbidden": 403,
    "ballot.invalid_config": 422,
    "ballot.invalid_entry": 422,
    "ballot.credential_count_mismatch": 422,
    "request.idempotency_key_reused": 422,
    "ballot.result_mismatch": 500,
}
"""Codes not listed are 422 (every crypto failure: a request that can never succeed as sent)."""


def problem_for(exc: BallotError) -> AppError:
    return AppError(
        code=exc.code,
        title=exc.title,
        title_en=exc.title_en,
        status=STATUS_BY_CODE.get(exc.code, 422),
        detail=exc.detail,
        extra=dict(exc.extra),
    )


def translate(exc: Exception) -> AppError | None:
    if isinstance(exc, BallotError):
        return problem_for(exc)
    if isinstance(exc, CryptoError):
        return problem_for(from_crypto(exc))
    if isinstance(exc, psycopg.errors.UniqueViolation):
        return AppError(
            code="request.conflict",
            title="Yêu cầu trùng với một yêu cầu đang được xử lý",
            title_en="Concurrent duplicate request",
            status=409,
            detail="thử lại; không có gì được ghi hai lần",
        )
    if isinstance(exc, psycopg.OperationalError | PoolTimeout | sqlite3.OperationalError):
        return AppError(
            code="service.unavailable",
            title="Cơ sở dữ liệu tạm thời không sẵn sàng",
            title_en="Database unavailable",
            status=503,
            detail="thử lại sau ít giây; không có gì được ghi",
            headers={"Retry-After": "5"},
        )
    return None
