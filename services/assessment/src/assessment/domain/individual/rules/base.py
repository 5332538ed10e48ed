"""What every rule set is given (``RatingFacts``) and what it answers (``Outcome``).

A rule set never decides a level by itself: it says whether the person is rated at all, the
highest level allowed, a level forced by law, the level a score suggests (Decree 335, 366-QĐ/TW)
and every finding with its legal source. ``Outcome.check`` refuses a proposed or decided level
that breaks them, with the finding's code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Protocol

from assessment.domain.individual.errors import (
    HeadAboveUnit,
    LevelAboveCeiling,
    LevelForced,
    LevelNotMatchingScore,
    NotRateable,
    UnitResultPending,
)
from assessment.domain.individual.service_time import ServiceTime
from assessment.domain.individual.settings import IndividualSettings
from assessment.domain.individual.values import Category, Position, lower_of
from assessment.domain.kernel.values import Level


@dataclass(frozen=True)
class TaskStats:
    """Counts the self-assessment and the rater agree on (Decree 90 task criteria, 366 frames).

    ``total`` tasks assigned; ``on_time_quality`` done on time and to quality; ``exceeded``
    done beyond the requirement; ``done`` finished at all; ``late`` finished late. For leaders
    the unit's figures: ``unit_targets_pct`` of targets completed, ``unit_targets_on_time_pct``,
    and the managed sub-units rated at least completed / good or better.
    """

    total: int
    on_time_quality: int
    exceeded: int = 0
    done: int | None = None
    late: int = 0
    unit_targets_pct: Decimal | None = None
    unit_targets_on_time_pct: Decimal | None = None
    managed_units: int = 0
    managed_units_completed: int = 0
    managed_units_good: int = 0
    sub_units_disciplined: bool = False

    def pct(self, part: int) -> Decimal:
        return Decimal(100) * part / self.total if self.total else Decimal(0)


@dataclass(frozen=True)
class RatingFacts:
    year: int
    category: Category
    position: Position
    service: ServiceTime
    violations: tuple[str, ...] = ()  # violations counting in this year
    degraded: bool = False
    unit_violation: bool = False  # corruption/embezzlement/waste in the managed unit
    unit_level: Level | None = None  # for a head: the collective result of the unit
    score: Decimal | None = None  # Decree 335 / 366: the year's score
    tasks: TaskStats | None = None
    decided_on: date | None = None


@dataclass(frozen=True)
class Finding:
    code: str
    source: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "source": self.source, "message": self.message}


@dataclass(frozen=True)
class Outcome:
    rule_set: str
    rated: bool = True
    ceiling: Level = Level.EXCELLENT
    forced: Level | None = None
    suggested: Level | None = None
    head_cap: Level | None = None
    score_based: bool = False
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    def check(self, level: Level | None) -> None:
        """Refuse ``level`` if it breaks the outcome; ``None`` means 'reviewed, not rated'."""
        if not self.rated:
            if level is not None:
                raise NotRateable(self._why("individual.not_rateable"))
            return
        if level is None:
            raise NotRateable("người này đủ điều kiện xếp loại; cần chọn một mức")
        if self.forced is not None and level is not self.forced:
            raise LevelForced(self._why("individual.level_forced"))
        if self.head_cap is not None and level.rank > self.head_cap.rank:
            raise HeadAboveUnit(
                f"tập thể được xếp '{self.head_cap.label_vi}', người đứng đầu không được xếp "
                f"'{level.label_vi}' [{self._source('individual.head_above_unit')}]"
            )
        if level.rank > self.ceiling.rank:
            raise LevelAboveCeiling(
                f"mức tối đa cho phép là '{self.ceiling.label_vi}': "
                + self._why("individual.level_above_ceiling")
            )
        if self.score_based and level is not self.highest:
            top = self.highest
            assert top is not None
            raise LevelNotMatchingScore(
                f"theo điểm, mức phải là '{top.label_vi}' (không thấp hơn, không cao hơn): "
                + self._why("individual.level_above_ceiling")
            )

    def _matching(self, code: str) -> list[Finding]:
        return [f for f in self.findings if f.code == code] or list(self.findings)

    def _why(self, code: str) -> str:
        return "; ".join(f"{f.message} [{f.source}]" for f in self._matching(code))

    def _source(self, code: str) -> str:
        return "; ".join(f.source for f in self._matching(code))

    @property
    def highest(self) -> Level | None:
        """The highest level this outcome allows (``None`` when not rated)."""
        if not self.rated:
            return None
        if self.forced is not None:
            return self.forced
        top = self.ceiling
        if self.head_cap is not None:
            top = lower_of(top, self.head_cap)
        return top


class Accumulator:
    """Collects findings while a rule set runs; builds the ``Outcome``."""

    def __init__(self, rule_set: str) -> None:
        self.rule_set = rule_set
        self.rated = True
        self.ceiling = Level.EXCELLENT
        self.forced: Level | None = None
        self.suggested: Level | None = None
        self.head_cap: Level | None = None
        self.score_based = False
        self.findings: list[Finding] = []

    def note(self, code: str, source: str, message: str) -> None:
        self.findings.append(Finding(code, source, message))

    def not_rated(self, source: str, message: str) -> None:
        self.rated = False
        self.note("individual.not_rateable", source, message)

    def force(self, level: Level, source: str, message: str) -> None:
        self.forced = level
        self.note("individual.level_forced", source, message)

    def cap(self, level: Level, source: str, message: str) -> None:
        self.ceiling = lower_of(self.ceiling, level)
        self.note("individual.level_above_ceiling", source, message)

    def cap_by_unit(self, unit_level: Level | None, source: str) -> None:
        if unit_level is None:
            raise UnitResultPending(
                "người đứng đầu được đánh giá sau khi có kết quả xếp loại tập thể cơ quan, "
                f"đơn vị mình phụ trách [{source}]"
            )
        self.head_cap = unit_level
        self.note(
            "individual.head_above_unit",
            source,
            f"không cao hơn mức của tập thể ('{unit_level.label_vi}')",
        )

    def outcome(self) -> Outcome:
        return Outcome(
            rule_set=self.rule_set,
            rated=self.rated,
            ceiling=self.ceiling,
            forced=self.forced if self.rated else None,
            suggested=self.suggested,
            head_cap=self.head_cap,
            score_based=self.score_based,
            findings=tuple(self.findings),
        )


class RuleSet(Protocol):
    code: str
    title_vi: str

    def evaluate(self, facts: RatingFacts, settings: IndividualSettings) -> Outcome: ...
