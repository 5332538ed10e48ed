"""Appraisal steps of ``CchcScoring``: appraisers, supplements, reconciliation, council, survey.

- Home Affairs may appraise any criterion; a sector agency only those the set names it for;
- an appraised score that differs from the self score, and every re-score, needs a reason;
- an appraiser may request a supplement (bổ sung) or an explanation (giải trình) on some
  criteria with a deadline; the unit replies once per request (a late reply is kept, marked);
- reconciliation (đối chiếu) lists self vs appraised per criterion with the reason for each
  difference; it closes once every applicable criterion is appraised and every request is
  answered or past its deadline; the council (hội đồng thẩm định) then confirms;
- survey results per surveyed criterion are recorded from the survey import; replacing them
  needs a reason.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from assessment.domain.cchc.errors import (
    AlreadyReplied,
    AppraiserNotNamed,
    ScoringOrder,
)
from assessment.domain.cchc.self_scoring import instant
from assessment.domain.cchc.status import Status
from assessment.domain.cchc.tree import Node
from assessment.domain.cchc.values import Method, clean_text, evidence_list, fmt, plain_answer
from assessment.domain.kernel.errors import NotFound, ReasonRequired, ValidationFailed

if TYPE_CHECKING:
    from assessment.domain.cchc.criteria_set import CriteriaSet

# The ``CchcScoring`` this mixin is part of; typed loosely because mypy cannot see through the
# import cycle between an aggregate and its step mixins.
Scoring = Any

REQUEST_KINDS = ("supplement", "explanation")
_SHA256_HEX = frozenset("0123456789abcdef")


def _check_appraiser(node: Node, agency: str, is_home_affairs: bool) -> None:
    if not is_home_affairs and agency not in node.appraisers:
        named = ", ".join(node.appraisers) or "chỉ Sở Nội vụ"
        raise AppraiserNotNamed(f"'{node.code}' do {named} thẩm định, không phải '{agency}'")


class AppraisalSteps:
    def appraise(
        self: Scoring,
        *,
        criteria: CriteriaSet,
        actor: dict[str, Any],
        occurred_at: datetime,
        agency: str,
        is_home_affairs: bool,
        code: str,
        answer: dict[str, Any],
        reason: str = "",
    ) -> bool:
        """Record an appraised score; returns False when it repeats the current one."""
        self.require(Status.SUBMITTED, Status.APPRAISING, doing="thẩm định")
        node = self.leaf(self.content_of(criteria), code, Method.APPRAISAL)
        _check_appraiser(node, agency, is_home_affairs)
        answer = plain_answer(answer)
        got = fmt(self.score_of(node, answer))
        previous = self.appraised.get(code)
        if previous is not None and previous["points"] == got and previous["answer"] == answer:
            return False
        mine = self.self_scores.get(code, {}).get("points")
        note = clean_text(reason, "lý do", required=False)
        if not note and (previous is not None or mine is None or Decimal(mine) != Decimal(got)):
            why = "chấm lại" if previous is not None else "điểm thẩm định khác điểm tự chấm"
            raise ReasonRequired(f"'{code}': {why}, cần nêu lý do")
        self._trigger(
            self.AppraisedScoreRecorded,
            actor=actor,
            occurred_at=occurred_at,
            code=code,
            answer=answer,
            points=got,
            previous_points=previous["points"] if previous else None,
            self_points=mine,
            agency=agency,
            reason=note,
        )
        return True

    def request_supplement(
        self: Scoring,
        *,
        criteria: CriteriaSet,
        actor: dict[str, Any],
        occurred_at: datetime,
        agency: str,
        is_home_affairs: bool,
        codes: list[str],
        kind: str,
        message: str,
        deadline: str,
    ) -> str:
        self.require(Status.SUBMITTED, Status.APPRAISING, doing="yêu cầu bổ sung, giải trình")
        if kind not in REQUEST_KINDS:
            raise ValidationFailed("loại yêu cầu là 'supplement' (bổ sung) hoặc 'explanation'")
        content = self.content_of(criteria)
        wanted = list(dict.fromkeys(codes))
        if not wanted:
            raise ValidationFailed("cần nêu tiêu chí được yêu cầu bổ sung, giải trình")
        for code in wanted:
            _check_appraiser(self.leaf(content, code, Method.APPRAISAL), agency, is_home_affairs)
        due = instant(deadline, "hạn trả lời")
        if due <= occurred_at:
            raise ValidationFailed("hạn trả lời phải sau thời điểm yêu cầu")
        request_id = f"YC-{len(self.requests) + 1}"
        self._trigger(
            self.SupplementRequested,
            actor=actor,
            occurred_at=occurred_at,
            request_id=request_id,
            kind=kind,
            codes=wanted,
            message=clean_text(message, "nội dung yêu cầu"),
            agency=agency,
            deadline=due.isoformat(),
        )
        return request_id

    def reply_to_request(
        self: Scoring,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        request_id: str,
        text: str,
        evidence: list[dict[str, Any]] | None = None,
    ) -> None:
        request = self.requests.get(request_id)
        if request is None:
            raise NotFound(f"không có yêu cầu '{request_id}'")
        if request["reply"] is not None:
            raise AlreadyReplied(f"yêu cầu {request_id} đã được trả lời")
        self.require(Status.APPRAISING, doing="trả lời yêu cầu")
        late = occurred_at - datetime.fromisoformat(request["deadline"])
        self._trigger(
            self.SupplementReplied,
            actor=actor,
            occurred_at=occurred_at,
            request_id=request_id,
            text=clean_text(text, "nội dung trả lời"),
            evidence=evidence_list(evidence),
            late_by_seconds=max(0, int(late.total_seconds())),
        )

    def reconciliation_rows(self: Scoring, criteria: CriteriaSet) -> list[dict[str, Any]]:
        """Self vs appraised per criterion, with the reason for each difference."""
        content = self.content_of(criteria)
        out = content.excluded_leaves(self.excluded)
        rows = []
        for node in content.leaves():
            if node.method is not Method.APPRAISAL:
                continue
            mine = self.self_scores.get(node.code, {}).get("points")
            theirs = self.appraised.get(node.code)
            diff = None
            if mine is not None and theirs is not None:
                diff = fmt(Decimal(theirs["points"]) - Decimal(mine))
            rows.append(
                {
                    "code": node.code,
                    "title": node.title,
                    "max_points": fmt(node.max_points),
                    "applicable": node.code not in out,
                    "self_points": mine,
                    "appraised_points": theirs["points"] if theirs else None,
                    "difference": diff,
                    "reason": theirs["reason"] if theirs else "",
                    "appraised_by": theirs["agency"] if theirs else None,
                    "evidence": len(self.self_scores.get(node.code, {}).get("evidence", [])),
                    "explanation": self.self_scores.get(node.code, {}).get("explanation", ""),
                }
            )
        return rows

    def close_reconciliation(
        self: Scoring,
        *,
        criteria: CriteriaSet,
        actor: dict[str, Any],
        occurred_at: datetime,
        note: str = "",
    ) -> None:
        self.require(Status.APPRAISING, doing="đối chiếu")
        rows = [r for r in self.reconciliation_rows(criteria) if r["applicable"]]
        missing = [r["code"] for r in rows if r["appraised_points"] is None]
        if missing:
            raise ScoringOrder(f"còn tiêu chí chưa thẩm định: {', '.join(missing)}")
        waiting = [
            rid
            for rid, r in self.requests.items()
            if r["reply"] is None and occurred_at <= datetime.fromisoformat(r["deadline"])
        ]
        if waiting:
            raise ScoringOrder(f"còn yêu cầu chưa đến hạn trả lời: {', '.join(waiting)}")
        self._trigger(
            self.Reconciled,
            actor=actor,
            occurred_at=occurred_at,
            rows=rows,
            note=clean_text(note, "ghi chú", required=False),
        )

    def confirm(
        self: Scoring,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        minutes_reference: str,
        meeting_date: str,
    ) -> None:
        """The appraisal council confirms the appraised result; scores are final after it."""
        self.require(Status.RECONCILED, doing="xác nhận kết quả")
        try:
            day = date.fromisoformat(meeting_date)
        except (TypeError, ValueError):
            raise ValidationFailed("ngày họp hội đồng phải là YYYY-MM-DD") from None
        total = sum((Decimal(s["points"]) for s in self.appraised.values()), Decimal(0))
        self._trigger(
            self.CouncilConfirmed,
            actor=actor,
            occurred_at=occurred_at,
            minutes_reference=clean_text(minutes_reference, "số biên bản"),
            meeting_date=day.isoformat(),
            appraised_total=fmt(total),
        )

    def record_survey(
        self: Scoring,
        *,
        criteria: CriteriaSet,
        actor: dict[str, Any],
        occurred_at: datetime,
        results: dict[str, dict[str, Any]],
        source_sha256: str,
        reason: str = "",
    ) -> None:
        content = self.content_of(criteria)
        digest = (source_sha256 or "").lower()
        if len(digest) != 64 or not set(digest) <= _SHA256_HEX:
            raise ValidationFailed("cần sha256 của tệp kết quả điều tra")
        if not results:
            raise ValidationFailed("tệp điều tra không có kết quả cho đơn vị")
        recorded: dict[str, dict[str, Any]] = {}
        for code, result in results.items():
            node = self.leaf(content, code, Method.SURVEY)
            respondents = result.get("respondents")
            if respondents is not None and (
                not isinstance(respondents, int) or isinstance(respondents, bool) or respondents < 0
            ):
                raise ValidationFailed(f"'{code}': số phiếu phải là số nguyên không âm")
            got = self.score_of(node, {"percent": result.get("percent")})
            recorded[code] = {
                "percent": fmt(Decimal(str(result.get("percent")).replace(",", "."))),
                "points": fmt(got),
                "respondents": respondents,
            }
        if any(code in self.survey for code in recorded) and not (reason or "").strip():
            raise ReasonRequired("thay kết quả điều tra đã có cần nêu lý do")
        self._trigger(
            self.SurveyRecorded,
            actor=actor,
            occurred_at=occurred_at,
            results=recorded,
            source_sha256=digest,
            reason=(reason or "").strip(),
        )
