"""The second half of an inspection's behaviour: minutes, findings, explanations, conclusions
and the report to the chairman (seed 003: the director of Home Affairs reports and proposes).

A mixin of :class:`~assessment.domain.inspection.inspection.Inspection`, kept apart only to keep
files short; the events it triggers are nested in ``Inspection``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from assessment.domain.inspection.values import (
    FindingKind,
    Severity,
    day,
    ids,
    parse_enum,
    parse_evidence,
    parse_proposals,
    text,
)
from assessment.domain.kernel.errors import (
    NotFound,
    StepClosed,
    StepOrderViolation,
    ValidationFailed,
)


class FindingsMixin:
    if TYPE_CHECKING:  # provided by Inspection

        @property
        def id(self) -> uuid.UUID: ...

        visits: dict[str, dict[str, Any]]
        minutes: dict[str, dict[str, Any]]
        findings: dict[str, dict[str, Any]]
        conclusion: dict[str, Any] | None
        report: dict[str, Any] | None
        MinutesRecorded: type[Any]
        FindingRecorded: type[Any]
        ExplanationGiven: type[Any]
        Concluded: type[Any]
        Reported: type[Any]

        def _trigger(
            self, event_class: Any, *, actor: dict[str, Any], occurred_at: datetime, **kw: Any
        ) -> None: ...
        def _visited(self, unit_id: str) -> None: ...
        def _open(self) -> None: ...
        def _not_aside(self, actor: dict[str, Any], unit_id: str) -> None: ...
        def planned_persons(self, unit_id: str | None = None) -> list[dict[str, str]]: ...

    # -- minutes, findings, conclusions, report ------------------------------------------

    def record_minutes(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        unit_id: str,
        held_on: str,
        place: str,
        participants: Sequence[str],
        content: str,
        signed_by: Sequence[str],
    ) -> str:
        self._visited(unit_id)
        self._open()
        self._not_aside(actor, unit_id)
        signers = ids(list(signed_by), "người ký biên bản")
        if not signers:
            raise ValidationFailed("biên bản cần chữ ký của ít nhất một người")
        minutes_id = str(uuid.uuid5(self.id, f"minutes/{len(self.minutes)}"))
        self._trigger(
            self.MinutesRecorded,
            actor=actor,
            occurred_at=occurred_at,
            minutes_id=minutes_id,
            unit_id=unit_id,
            held_on=day(held_on, "ngày lập biên bản"),
            place=text(place, "địa điểm", limit=500),
            participants=ids(list(participants), "thành phần tham dự"),
            content=text(content, "nội dung biên bản"),
            signed_by=signers,
        )
        return minutes_id

    def record_finding(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        unit_id: str,
        person: str | None,
        kind: str,
        severity: str,
        description: str,
        evidence: Sequence[dict[str, Any]] = (),
        item_ids: Sequence[str] = (),
        file_ids: Sequence[str] = (),
    ) -> str:
        self._visited(unit_id)
        self._open()
        self._not_aside(actor, unit_id)
        if person is not None and person not in {
            p["subject"] for p in self.planned_persons(unit_id)
        }:
            raise ValidationFailed(f"'{person}' không có trong danh sách được kiểm tra của đơn vị")
        finding_id = str(uuid.uuid5(self.id, f"finding/{len(self.findings)}"))
        self._trigger(
            self.FindingRecorded,
            actor=actor,
            occurred_at=occurred_at,
            finding_id=finding_id,
            unit_id=unit_id,
            person=person,
            kind=parse_enum(FindingKind, kind, "loại phát hiện").value,
            severity=parse_enum(Severity, severity, "mức độ").value,
            description=text(description, "nội dung phát hiện"),
            evidence=parse_evidence(list(evidence)),
            item_ids=ids(list(item_ids), "công việc liên quan"),
            file_ids=ids(list(file_ids), "hồ sơ liên quan"),
        )
        return finding_id

    def explain(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        finding_id: str,
        explanation: str,
        evidence: Sequence[dict[str, Any]] = (),
    ) -> None:
        finding = self.finding(finding_id)
        self._open()
        if finding["explanation"] is not None:
            raise StepClosed("phát hiện này đã có giải trình")
        self._trigger(
            self.ExplanationGiven,
            actor=actor,
            occurred_at=occurred_at,
            finding_id=finding_id,
            explanation=text(explanation, "nội dung giải trình"),
            evidence=parse_evidence(list(evidence)),
        )

    def conclude(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        conclusions: str,
        proposals: Sequence[dict[str, Any]] = (),
    ) -> None:
        self._open()
        if not self.visits:
            raise StepOrderViolation("chưa làm việc tại đơn vị nào: chưa thể kết luận")
        parsed = parse_proposals(list(proposals))
        for p in parsed:
            for fid in p["finding_ids"]:
                self.finding(fid)
        self._trigger(
            self.Concluded,
            actor=actor,
            occurred_at=occurred_at,
            conclusions=text(conclusions, "kết luận"),
            proposals=parsed,
        )

    def report_to_chairman(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        report_number: str,
        reported_on: str,
        summary: str,
        recipient: str = "Chủ tịch UBND tỉnh",
    ) -> None:
        if self.conclusion is None:
            raise StepOrderViolation("cần kết luận kiểm tra trước khi báo cáo Chủ tịch")
        if self.report is not None:
            raise StepClosed("đã báo cáo Chủ tịch")
        self._trigger(
            self.Reported,
            actor=actor,
            occurred_at=occurred_at,
            report_number=text(report_number, "số báo cáo", limit=100),
            reported_on=day(reported_on, "ngày báo cáo"),
            recipient=text(recipient, "nơi nhận", limit=200),
            summary=text(summary, "tóm tắt báo cáo"),
        )

    def finding(self, finding_id: str) -> dict[str, Any]:
        found = self.findings.get(finding_id)
        if found is None:
            raise NotFound(f"phát hiện {finding_id} không tồn tại")
        return found

    def findings_on(self, person: str) -> list[dict[str, Any]]:
        return [dict(f, finding_id=k) for k, f in self.findings.items() if f["person"] == person]
