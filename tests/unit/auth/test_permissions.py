"""The permission matrix over HTTP: roles, own unit, assignments, tenants. Every refusal is a
problem+json and stores nothing."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assessment.application.permissions import MATRIX, ROLES
from assessment.application.service import AssessmentApplication
from embedded.app import create_embedded_app
from embedded.demo import TENANT
from helpers import TEST_ISSUER, headers

GROUPS = {c: {"results": "r" * 90, "limitations": "l"} for c in ("tham_muu", "nhiem_vu", "ky_luat")}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = create_embedded_app(tmp_path_factory.mktemp("perm"), demo=True, issuer=TEST_ISSUER)
    with TestClient(app) as client:
        yield client


def store(client: TestClient) -> AssessmentApplication:
    app: AssessmentApplication = client.app.state.assessment  # type: ignore[attr-defined]
    return app


def ids(client: TestClient) -> dict[str, str]:
    from assessment.domain.collective.cycle import cycle_id_for
    from assessment.domain.registry.unit import unit_id_for

    out = {
        code: str(unit_id_for(TENANT, code))
        for code in ("SNV", "STC", "SYT", "SGDDT", "BVDK", "UBND-BIENHOA", "UBND-LONGKHANH")
    }
    out["cycle"] = str(cycle_id_for(TENANT, 2013))
    return out


def count(client: TestClient) -> int:
    return store(client).recorder.max_notification_id() or 0


def problem(resp: Any, status: int, code: str) -> None:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    assert resp.json()["code"] == code


def test_every_application_command_is_in_the_matrix() -> None:
    import inspect

    from assessment.application.kernel.executor import ContextApplication

    catalogue = AssessmentApplication.catalogue
    assert len(catalogue.commands) >= 20
    for spec in [*catalogue.commands.values(), *catalogue.queries.values()]:
        assert spec.permission in MATRIX, f"{spec.name} has no row in the matrix"
    # No use case bypasses the executor: the application's own public methods are plumbing;
    # every command runs through ``execute`` (role first), every query through ``ask``.
    public = {
        name
        for name, fn in inspect.getmembers(AssessmentApplication, inspect.isfunction)
        if not name.startswith("_")
        and fn.__qualname__.split(".")[0] in ("AssessmentApplication", "ContextApplication")
    }
    assert public == {
        "acting_unit",
        "add_save_listener",
        "ask",
        "authorize",
        "authorize_on",
        "covered",
        "execute",
        "existing",  # exists() for many ids in one store read (imports)
        "exists",
        "load",
        "load_many",  # load() for many ids of one tenant in one store read (batch commands)
        "events_of",  # some events of many aggregates of one tenant in one read (year end)
        "use_committer",
    }, public
    assert "role_scope(self.catalogue.matrix" in inspect.getsource(ContextApplication.execute)
    assert "self.authorize(ctx, spec.permission)" in inspect.getsource(ContextApplication.ask)
    assert "check(self.catalogue.matrix" in inspect.getsource(ContextApplication._check)
    assert set().union(*(set(v) for v in MATRIX.values())) <= set(ROLES)


def test_a_role_without_a_row_is_refused_for_every_command_and_stores_nothing() -> None:
    from assessment.application.kernel.permissions import Forbidden
    from assessment.application.service import CommandContext
    from assessment.domain.kernel.errors import NotFound

    def as_role(role: str) -> CommandContext:
        return CommandContext(
            tenant=TENANT, actor={"subject": "x", "role": role, "acting_for": "SNV"}
        )

    app = AssessmentApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    try:
        unit = app.register_unit(as_role("home_affairs"), code="SNV", name="Sở", kind="department")
        cycle = app.plan_cycle(
            as_role("home_affairs"), year=2013, plan_reference="KH", unit_ids=[unit["id"]]
        )
        known = {"unit_id": uuid.UUID(unit["id"]), "cycle_id": uuid.UUID(cycle["id"])}
        before = app.recorder.max_notification_id()
        for spec in AssessmentApplication.catalogue.commands.values():
            role = next(r for r in ROLES if r not in MATRIX[spec.permission])
            ids = {name: known.get(name, uuid.uuid4()) for name in spec.target}
            # a command checked on its target looks it up first: an unknown one is a 404
            # whatever the role (another tenant's answers the same)
            unknown = spec.model.checked_on_target and set(spec.target) - set(known)
            with pytest.raises((Forbidden, NotFound) if unknown else Forbidden):
                app.execute(spec, as_role(role), spec.model.model_construct(), ids)
        assert app.recorder.max_notification_id() == before
    finally:
        app.close()


def test_role_not_in_the_matrix_is_403(demo: TestClient) -> None:
    i, n = ids(demo), count(demo)
    resp = demo.post(
        f"/v1/cycles/{i['cycle']}/units/{i['SGDDT']}/recognition",
        json={
            "decision_number": "1/QĐ",
            "decision_date": "2014-01-09",
            "signer": "x",
            "level": "hoan_thanh",
        },
        headers=headers(role="home_affairs"),
    )
    problem(resp, 403, "auth.forbidden")
    assert count(demo) == n


def test_unit_officer_can_only_self_assess_its_own_unit(demo: TestClient) -> None:
    i, n = ids(demo), count(demo)
    url = f"/v1/cycles/{i['cycle']}/units/{i['SGDDT']}/self-assessment"
    body = {"groups": GROUPS, "proposed_level": "hoan_thanh_tot"}
    problem(
        demo.post(url, json=body, headers=headers(role="unit_officer", unit="SYT")),
        403,
        "auth.outside_assignment",
    )
    assert count(demo) == n
    ok = demo.post(url, json=body, headers=headers(role="unit_officer", unit="SGDDT"))
    assert ok.status_code == 201, ok.text


def test_sector_reviewer_reaching_outside_its_assignment_is_403(demo: TestClient) -> None:
    i, n = ids(demo), count(demo)
    body = {"comment": "Nhận xét", "proposed_level": "hoan_thanh"}
    # SYT manages BVDK only (demo assignment 45/QĐ-UBND); STC is not its unit
    resp = demo.post(
        f"/v1/cycles/{i['cycle']}/units/{i['STC']}/sector-reviews",
        json=body,
        headers=headers(role="sector_reviewer", unit="SYT", subject="syt.a"),
    )
    problem(resp, 403, "auth.outside_assignment")
    assert count(demo) == n


def test_pc_member_reaching_outside_decision_1770_is_403(demo: TestClient) -> None:
    i, n = ids(demo), count(demo)
    body = {"assignment_reference": "1770/QĐ-UBND", "comment": "x"}
    resp = demo.post(
        f"/v1/cycles/{i['cycle']}/units/{i['SGDDT']}/member-reviews",
        json=body,
        headers=headers(role="pc_member", subject="pct.vanxa", unit="UBND-TINH"),
    )
    problem(resp, 403, "auth.outside_assignment")
    other_member = demo.post(
        f"/v1/cycles/{i['cycle']}/units/{i['SNV']}/member-reviews",
        json=body,
        headers=headers(role="pc_member", subject="pct.khac", unit="UBND-TINH"),
    )
    problem(other_member, 403, "auth.outside_assignment")
    assert count(demo) == n


def test_revoked_assignment_no_longer_covers_the_year(demo: TestClient) -> None:
    i = ids(demo)
    granted = demo.post(
        "/v1/assignments",
        json={
            "kind": "sector_management",
            "holder": "SGDDT",
            "unit_ids": [i["UBND-LONGKHANH"]],
            "decision_number": "9/QĐ-UBND",
            "decision_date": "2014-03-01",
            "valid_from": "2014-03-01",
        },
        headers=headers(),
    )
    assert granted.status_code == 201, granted.text
    body = {"comment": "Nhận xét", "proposed_level": "hoan_thanh"}
    url = f"/v1/cycles/{i['cycle']}/units/{i['UBND-LONGKHANH']}/sector-reviews"
    # valid only from 2014: does not cover the 2013 cycle
    problem(
        demo.post(url, json=body, headers=headers(role="sector_reviewer", unit="SGDDT")),
        403,
        "auth.outside_assignment",
    )


def test_tenant_smuggled_in_body_or_path_is_refused(demo: TestClient) -> None:
    i, n = ids(demo), count(demo)
    resp = demo.post(
        "/v1/units",
        json={"code": "X1", "name": "X", "kind": "department", "tenant": "quang-tri"},
        headers=headers(),
    )
    problem(resp, 422, "request.invalid")
    resp = demo.get(f"/v1/tenants/quang-tri/cycles/{i['cycle']}", headers=headers())
    problem(resp, 404, "http.404")
    resp = demo.get(
        f"/v1/cycles/{i['cycle']}",
        params={"tenant": "quang-tri"},
        headers=headers(tenant="quang-tri"),
    )
    problem(resp, 404, "resource.not_found")
    assert count(demo) == n


def _fill(path: str, i: dict[str, str]) -> str:
    values = {
        "cycle_id": i["cycle"],
        "unit_id": i["SNV"],
        "aggregate_id": i["SNV"],
        "assignments_id": str(uuid.uuid5(uuid.NAMESPACE_URL, "x")),
        "election_id": str(uuid.uuid5(uuid.NAMESPACE_URL, "e")),
        "tracker": "0" * 64,
        "person_id": str(uuid.uuid5(uuid.NAMESPACE_URL, "p")),
        "sheet_id": str(uuid.uuid5(uuid.NAMESPACE_URL, "s")),
        "rating_id": str(uuid.uuid5(uuid.NAMESPACE_URL, "r")),
        "agency_id": "SNV",
        # public disclosure names its tenant in the path: the foreign caller's own
        "tenant": "quang-tri",
        "year": "2013",
        "block": "so_nganh",
    }
    # any other context's id names nothing of that kind in the demo: a fresh uuid
    return re.sub(r"{(\w+)}", lambda m: values.get(m.group(1), str(uuid.uuid4())), path)


def test_every_route_hides_another_tenants_data(demo: TestClient) -> None:
    """Walks the OpenAPI document: a new route cannot escape this check."""
    i = ids(demo)
    spec = demo.get("/openapi.json").json()
    foreign = headers(tenant="quang-tri", role="home_affairs", unit="SNV")
    n = count(demo)
    secrets = {i["cycle"], i["SNV"], "Sở Nội vụ"}
    checked = 0
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            url = _fill(path, i)
            body: dict[str, Any] = {}
            if "requestBody" in op:
                body = _minimal_body(spec, op)
            resp = demo.request(method.upper(), url, json=body, headers=foreign)
            checked += 1
            text = resp.text
            if path.startswith("/v1/public/"):
                # public, no sign-in: the other tenant's disclosure answers, empty of dong-nai;
                # a route naming one published item (a block's CCHC ranking) answers 404 for
                # one the other tenant has not published, as for any missing resource
                assert resp.status_code == 200 or (
                    "{block}" in path
                    and resp.status_code == 404
                    and resp.json()["code"] == "resource.not_found"
                ), f"{method} {path}: {resp.status_code}"
            elif "{" in path:
                # 403 only when the role may never do this (decided before any lookup)
                assert resp.status_code in (404, 422) or (
                    resp.status_code == 403 and resp.json()["code"] == "auth.forbidden"
                ), f"{method} {path}: {resp.status_code} {resp.text[:120]}"
            leaked = [s for s in secrets if s in text and s not in url]
            assert not leaked, f"{method} {path} leaked {leaked}: {text[:200]}"
    assert checked >= 25
    # whatever the foreign tenant did, nothing of dong-nai changed
    assert store(demo).get_cycle(_ctx(), uuid.UUID(i["cycle"]))["version"] >= 1
    assert count(demo) >= n


def _ctx() -> Any:
    from assessment.application.service import CommandContext

    return CommandContext(
        tenant=TENANT, actor={"subject": "a", "role": "auditor", "acting_for": None}
    )


def _minimal_body(spec: dict[str, Any], op: dict[str, Any]) -> dict[str, Any]:
    content = op["requestBody"]["content"]
    if "application/json" not in content:  # an upload (e.g. XLSX): no JSON body to build
        return {}
    ref = content["application/json"]["schema"].get("$ref", "")
    schema = spec["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
    samples = {"string": "x", "integer": 2013, "boolean": False, "array": [], "object": {}}
    body: dict[str, Any] = {}
    for name in schema.get("required", []):
        prop = schema["properties"][name]
        kind = prop.get("type") or (prop.get("anyOf") or [{}])[0].get("type", "string")
        body[name] = samples.get(kind, "x")
    return body
