"""RFC 9457 problem details: one error type for every service, with a stable dotted code.

No framework here: the HTTP adapter (``shared.http``) renders these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_BASE_URI = "https://congvu.gov.vn/problems/"


@dataclass
class AppError(Exception):
    """An expected failure that a caller can act on.

    ``code`` is the stable contract (e.g. ``assessment.step_closed``); ``title`` is Vietnamese
    first, ``title_en`` English second; ``status`` is the HTTP status the adapter uses.
    """

    code: str
    title: str
    status: int = 400
    detail: str | None = None
    title_en: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.detail or self.title)

    def to_problem(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": PROBLEM_BASE_URI + self.code,
            "title": self.title,
            "status": self.status,
            "code": self.code,
        }
        if self.title_en:
            body["title_en"] = self.title_en
        if self.detail:
            body["detail"] = self.detail
        if instance:
            body["instance"] = instance
        body.update(self.extra)
        return body


def not_found(what: str, ident: object) -> AppError:
    return AppError(
        code="resource.not_found",
        title="Không tìm thấy",
        title_en="Not found",
        status=404,
        detail=f"{what} {ident} không tồn tại / does not exist",
    )
