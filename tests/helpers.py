"""Test helpers shared by every tier."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from shared.auth import DevIssuer


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


TEST_ISSUER = DevIssuer.generate()
"""The tests' development issuer: apps under test verify with ``TEST_ISSUER.verifier()``."""


def token(
    tenant: str = "dong-nai",
    subject: str = "snv.tonghop",
    role: str = "home_affairs",
    unit: str | None = "SNV",
    **claims: Any,
) -> str:
    return TEST_ISSUER.mint(subject=subject, tenant=tenant, role=role, unit=unit, **claims)


def headers(
    tenant: str = "dong-nai",
    subject: str = "snv.tonghop",
    role: str = "home_affairs",
    unit: str | None = "SNV",
    **extra: str,
) -> dict[str, Any]:
    h: dict[str, Any] = {"Authorization": f"Bearer {token(tenant, subject, role, unit)}"}
    h.update(extra)
    return h
