"""What the rules read from a person's file: periods, service time, discipline by year.

A mixin of ``Person`` (its state only; no events here), kept apart to keep each file short.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from assessment.domain.individual.service_time import ServiceTime, service_time


class PersonRecord:
    periods: list[dict[str, Any]]
    absences: list[dict[str, str]]
    disciplines: list[dict[str, str]]
    degradations: list[dict[str, str]]
    unit_violations: list[dict[str, str]]
    counted: dict[str, int]

    def period_on(self, day: date) -> dict[str, Any] | None:
        for period in reversed(self.periods):
            start = date.fromisoformat(period["start"])
            end = date.fromisoformat(period["end"]) if period["end"] else None
            if start <= day and (end is None or day <= end):
                return period
        return None

    def last_period_in(self, year: int) -> dict[str, Any] | None:
        for period in reversed(self.periods):
            start = date.fromisoformat(period["start"])
            end = date.fromisoformat(period["end"]) if period["end"] else None
            if start.year <= year and (end is None or end.year >= year):
                return period
        return None

    def service_time(self, year: int) -> ServiceTime:
        return service_time(
            year,
            (
                (
                    date.fromisoformat(p["start"]),
                    date.fromisoformat(p["end"]) if p["end"] else None,
                    p["agency_id"],
                )
                for p in self.periods
            ),
            (
                (a["kind"], date.fromisoformat(a["start"]), date.fromisoformat(a["end"]))
                for a in self.absences
            ),
        )

    def violation_year(self, violation_id: str) -> int | None:
        """The one year a violation counts in [R15]: the year it was counted in, else the year
        of its first discipline decision (party or administrative, whichever came first)."""
        if violation_id in self.counted:
            return self.counted[violation_id]
        years = [
            date.fromisoformat(d["decided_on"]).year
            for d in self.disciplines
            if d["violation_id"] == violation_id
        ]
        return min(years) if years else None

    def violations_counting_in(self, year: int) -> list[str]:
        ids = sorted({d["violation_id"] for d in self.disciplines})
        return [v for v in ids if self.violation_year(v) == year]

    def degraded_in(self, year: int) -> bool:
        return any(date.fromisoformat(d["found_on"]).year == year for d in self.degradations)

    def unit_violation_in(self, year: int) -> bool:
        return any(date.fromisoformat(v["found_on"]).year == year for v in self.unit_violations)
