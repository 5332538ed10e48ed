"""The inspection overview's folds (pure): versions guard replays, parts of figures merge,
plan statuses follow milestones and verification."""

from __future__ import annotations

from typing import Any

from reporting.read_models.inspection_overview.projection import (
    fold_inspection,
    fold_plan,
    fold_register,
)
from shared.envelope import Envelope


def env(kind: str, event: str, version: int, payload: dict[str, Any], agg: str = "a1") -> Envelope:
    return Envelope(
        event_id=f"{agg}-{version}",
        type=f"assessment.{kind}.{event}",
        tenant="tra-vinh",
        aggregate_type=kind,
        aggregate_id=agg,
        aggregate_version=version,
        global_position=version,
        occurred_at=f"2024-05-{10 + version:02d}T09:00:00+07:00",
        recorded_at="2024-05-20T00:00:00+00:00",
        actor={"subject": "s"},
        payload=payload,
    )


def test_figures_parts_merge_and_a_new_recording_replaces() -> None:
    row = fold_register(
        None, env("WorkRegister", "Opened", 1, {"inspection_id": "i", "unit_id": "u"})
    )
    part = {"as_of": "x", "parts": 2, "by_field": {}, "calendar": {}}
    row = fold_register(
        row,
        env(
            "WorkRegister",
            "FiguresRecorded",
            2,
            {**part, "part": 0, "by_person": {"a": {"on_time": 1}}},
        ),
    )
    row = fold_register(
        row,
        env(
            "WorkRegister",
            "FiguresRecorded",
            3,
            {**part, "part": 1, "by_person": {"b": {"on_time": 2}}},
        ),
    )
    assert row is not None and set(row["by_person"]) == {"a", "b"}
    assert (
        fold_register(
            row, env("WorkRegister", "FiguresRecorded", 3, {**part, "part": 1, "by_person": {}})
        )
        is None
    )  # a replay changes nothing
    row = fold_register(
        row,
        env(
            "WorkRegister",
            "FiguresRecorded",
            4,
            {**part, "part": 0, "by_person": {"c": {"on_time": 0}}},
        ),
    )
    assert row is not None and set(row["by_person"]) == {"c"}


def test_findings_and_explanations() -> None:
    row = fold_inspection(
        None,
        env(
            "Inspection",
            "Decided",
            1,
            {"title": "KT", "decision": {"date": "2024-02-20", "number": "1"}},
        ),
    )
    row = fold_inspection(
        row,
        env(
            "Inspection",
            "FindingRecorded",
            2,
            {
                "finding_id": "f",
                "unit_id": "u",
                "person": "p",
                "kind": "late_handling",
                "severity": "minor",
                "description": "d",
            },
        ),
    )
    row = fold_inspection(row, env("Inspection", "ExplanationGiven", 3, {"finding_id": "f"}))
    assert row is not None and row["findings"]["f"]["explained"] is True and row["year"] == 2024


def test_plan_status_follows_milestones_and_verification() -> None:
    row = fold_plan(
        None,
        env(
            "RemediationPlan",
            "Opened",
            1,
            {
                "title": "t",
                "source": {},
                "subject": {"unit_id": "u"},
                "owner": "o",
                "follow_up_officer": "f",
            },
        ),
    )
    row = fold_plan(
        row,
        env(
            "RemediationPlan",
            "MilestoneScheduled",
            2,
            {"milestone_id": "m", "title": "x", "due_on": "2024-05-15"},
        ),
    )
    row = fold_plan(
        row, env("RemediationPlan", "ProgressReported", 3, {"milestone_id": "m", "done": True})
    )
    assert row is not None and row["status"] == "awaiting_verification"
    assert row["milestones"]["m"]["done_on"] == "2024-05-13"
    row = fold_plan(row, env("RemediationPlan", "CompletionVerified", 4, {"accepted": False}))
    assert row is not None and row["status"] == "open" and row["milestones"]["m"]["done_on"] is None
    row = fold_plan(row, env("RemediationPlan", "Escalated", 5, {}))
    assert row is not None and row["status"] == "escalated"
    row = fold_plan(row, env("RemediationPlan", "Closed", 6, {"closed_on": "2024-06-01"}))
    assert row is not None and row["status"] == "closed"
