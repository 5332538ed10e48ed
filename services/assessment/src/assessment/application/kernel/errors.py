"""Application-level failures (not domain rules)."""

from __future__ import annotations

from assessment.domain.kernel.errors import DomainError


class ConcurrencyConflict(DomainError):
    code = "assessment.concurrent_update"
    title = "Dữ liệu vừa được người khác cập nhật"
    title_en = "Concurrent update, retry on fresh state"


class IdempotencyKeyReused(DomainError):
    code = "request.idempotency_key_reused"
    title = "Idempotency-Key đã dùng cho một yêu cầu khác"
    title_en = "Idempotency key reused with a different request"
