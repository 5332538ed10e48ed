"""Test helpers shared by every tier."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any


class MutableClock:
    """A clock tests can move: commands take their business time from it."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def set(self, iso: str) -> None:
        self.now = datetime.fromisoformat(iso).astimezone(UTC)

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def headers(
    tenant: str = "dong-nai",
    subject: str = "snv.tonghop",
    role: str = "home_affairs",
    unit: str | None = "SNV",
    **extra: str,
) -> dict[str, Any]:
    h = {"X-Tenant": tenant, "X-Actor-Subject": subject, "X-Actor-Role": role}
    if unit:
        h["X-Actor-Unit"] = unit
    h.update(extra)
    return h
