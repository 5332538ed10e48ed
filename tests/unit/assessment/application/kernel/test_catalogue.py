"""Commands are data: a context plugs in by its modules, and the catalogue refuses the mistakes
that would otherwise slip (a name twice, a command without a permission row, ids that do not
match the route). The worked example of the README is run here for real."""

from __future__ import annotations

import types
from collections.abc import Iterator
from typing import Any, ClassVar
from uuid import UUID

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import Field

from assessment.application.contexts import KERNEL, load_contexts
from assessment.application.kernel.catalogue import Catalogue, Context, Outcome, saved
from assessment.application.kernel.commands import Command, Route, Text
from assessment.application.kernel.executor import Run
from assessment.application.kernel.permissions import Scope
from assessment.application.registry import CONTEXT as REGISTRY
from assessment.application.service import AssessmentApplication, CommandContext
from assessment.domain.registry.unit import Unit
from assessment.entrypoints.api.app import install_assessment_errors
from assessment.entrypoints.api.commands import command_router
from helpers import TEST_ISSUER, headers


# --- the worked example: one model, one handler, one permission row (the aggregate method
# ``Unit.rename`` already exists) — nothing else is written for a new command.
class RenameUnitAgain(Command):
    route: ClassVar = Route(
        "/units/{unit_id}/second-name", "Đổi tên lần nữa / Rename again", "units", created=False
    )

    name: Text = Field(min_length=1, max_length=300)


def rename_unit_again(run: Run, cmd: RenameUnitAgain, unit_id: UUID) -> Outcome:
    unit = run.load(Unit, unit_id, "đơn vị")
    unit.rename(**run.by, **cmd.fields())
    return saved(unit)


def _module(name: str, **members: Any) -> types.ModuleType:
    """A handlers module as a context would have it (its handlers defined in it)."""
    module = types.ModuleType(name)
    for key, value in members.items():
        if isinstance(value, types.FunctionType):
            value.__module__ = name
        setattr(module, key, value)
    return module


def _example_context() -> Context:
    handlers = _module(
        "example_handlers",
        RenameUnitAgain=RenameUnitAgain,
        Run=Run,
        Outcome=Outcome,
        UUID=UUID,
        rename_unit_again=rename_unit_again,
    )
    return Context.collect(
        "example",
        "Ví dụ / Example",
        handlers=handlers,
        permissions={"rename_unit_again": {"home_affairs": Scope.TENANT}},
    )


class ExampleApplication(AssessmentApplication):
    catalogue: ClassVar[Catalogue] = Catalogue.of(
        (*load_contexts(), _example_context()), kernel=KERNEL
    )


@pytest.fixture
def example() -> Iterator[tuple[ExampleApplication, TestClient]]:
    app = ExampleApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    api = FastAPI()
    api.state.assessment = app
    api.state.verifier = TEST_ISSUER.verifier()
    install_assessment_errors(api)
    api.include_router(command_router(REGISTRY))
    api.include_router(command_router(_example_context()))
    with TestClient(api) as client:
        yield app, client
    app.close()


def test_a_new_command_is_served_by_name_and_over_http_from_its_model_and_handler(
    example: tuple[ExampleApplication, TestClient],
) -> None:
    app, client = example
    ha = CommandContext(tenant="dong-nai", actor={"subject": "a", "role": "home_affairs"})
    unit = app.register_unit(ha, code="SNV", name="Sở Nội vụ", kind="department")
    answer = app.rename_unit_again(ha, UUID(unit["id"]), name="Sở Nội vụ tỉnh")
    assert answer["version"] == 2
    resp = client.post(
        f"/v1/units/{unit['id']}/second-name",
        json={"name": "Sở Nội vụ Đồng Nai"},
        headers=headers(role="home_affairs"),
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["version"] == 3
    assert app.get_unit(ha, UUID(unit["id"]))["name"] == "Sở Nội vụ Đồng Nai"
    refused = client.post(
        f"/v1/units/{unit['id']}/second-name",
        json={"name": "x"},
        headers=headers(role="chairman"),
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "auth.forbidden"
    spec = client.app.openapi()  # type: ignore[attr-defined]
    body = spec["paths"]["/v1/units/{unit_id}/second-name"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"]["$ref"].endswith("/RenameUnitAgain")


def test_a_command_without_a_permission_row_is_refused_when_the_catalogue_is_built() -> None:
    bare = Context(
        name="example",
        title="x",
        commands=_example_context().commands,
        permissions={},
    )
    with pytest.raises(ValueError, match="rename_unit_again"):
        Catalogue.of((*load_contexts(), bare), kernel=KERNEL)


def test_a_command_name_or_a_permission_row_used_twice_is_refused() -> None:
    again = Context(name="example", title="x", commands=REGISTRY.commands)
    with pytest.raises(ValueError, match="two contexts"):
        Catalogue.of((*load_contexts(), again), kernel=KERNEL)
    twice = Context(
        name="example",
        title="x",
        commands={},
        permissions={"register_unit": {"home_affairs": Scope.TENANT}},
    )
    with pytest.raises(ValueError, match="twice"):
        Catalogue.of((*load_contexts(), twice), kernel=KERNEL)


def test_a_permission_row_naming_an_unknown_role_is_refused() -> None:
    odd = Context(name="example", title="x", permissions={"x": {"mayor": Scope.TENANT}})
    with pytest.raises(ValueError, match="unknown roles"):
        Catalogue.of((*load_contexts(), odd), kernel=KERNEL)


def test_a_handler_whose_ids_do_not_match_its_route_is_refused() -> None:
    def rename_unit_again(run: Run, cmd: RenameUnitAgain, cycle_id: UUID) -> Outcome:
        raise AssertionError

    handlers = _module(
        "bad_handlers",
        RenameUnitAgain=RenameUnitAgain,
        Run=Run,
        Outcome=Outcome,
        UUID=UUID,
        rename_unit_again=rename_unit_again,
    )
    with pytest.raises(TypeError, match="cycle_id"):
        Context.collect("example", "x", handlers=handlers)


def test_commands_are_frozen_and_refuse_unknown_fields() -> None:
    cmd = RenameUnitAgain(name="  Sở Nội vụ  ")
    assert cmd.name == "Sở Nội vụ"
    with pytest.raises(Exception):
        cmd.name = "khác"  # type: ignore[misc]
    with pytest.raises(Exception):
        RenameUnitAgain.model_validate({"name": "x", "tenant": "quang-tri"})


def test_calling_by_name_validates_like_the_route_and_stores_nothing_on_bad_input() -> None:
    from assessment.domain.kernel.errors import ValidationFailed

    app = AssessmentApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    try:
        ha = CommandContext(tenant="dong-nai", actor={"subject": "a", "role": "home_affairs"})
        with pytest.raises(ValidationFailed):
            app.register_unit(ha, code="bad code!", name="x", kind="department")
        with pytest.raises(ValidationFailed):
            app.register_unit(ha, code="SNV", name="x", kind="department", tenant="quang-tri")
        assert not app.recorder.max_notification_id()
    finally:
        app.close()
