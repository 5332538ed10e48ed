"""The step forms on a unit's file are derived from the JSON API's command models."""

from __future__ import annotations

from assessment.application.service import AssessmentApplication
from assessment.entrypoints.web.collective.unit_file import ACTIONS, LABELS, form_fields

COMMANDS = AssessmentApplication.catalogue.commands


def test_every_field_of_every_action_gets_a_form_field_and_a_label() -> None:
    for name in ACTIONS:
        model = COMMANDS[name].model
        fields = form_fields(model)
        assert [f.name for f in fields] == list(model.model_fields), name
        for f in fields:
            assert f.name in LABELS, f"{name}.{f.name} has no Vietnamese label"


def test_kinds_follow_the_model_types() -> None:
    kinds = {
        (name, f.name): (f.kind, f.required)
        for name in ("recognise", "submit_member_review", "submit_sector_review", "reopen_step")
        for f in form_fields(COMMANDS[name].model)
    }
    assert kinds[("recognise", "decision_date")] == ("day", True)
    assert kinds[("recognise", "level")] == ("level", True)
    assert kinds[("submit_member_review", "proposed_level")] == ("level", False)
    assert kinds[("submit_sector_review", "published")] == ("bool", False)
    assert kinds[("reopen_step", "step")] == ("step", True)
    assert kinds[("submit_member_review", "comment")] == ("textarea", True)
