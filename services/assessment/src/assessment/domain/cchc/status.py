"""The states of a unit's CCHC scoring year, in order."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    SUBMITTED = "submitted"
    APPRAISING = "appraising"
    RECONCILED = "reconciled"
    CONFIRMED = "confirmed"

    @property
    def order(self) -> int:
        return list(Status).index(self)

    @property
    def label_vi(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.DRAFT: "Đang tự chấm",
    Status.APPROVED: "Thủ trưởng đã phê duyệt",
    Status.SUBMITTED: "Đã gửi",
    Status.APPRAISING: "Đang thẩm định",
    Status.RECONCILED: "Đã đối chiếu",
    Status.CONFIRMED: "Hội đồng đã xác nhận",
}
