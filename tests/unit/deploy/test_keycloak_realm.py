"""The Keycloak realm gives tokens the claims shared.auth requires, and holds no password."""

from __future__ import annotations

import json
from pathlib import Path

from assessment.application.permissions import ROLES
from shared.auth import DEFAULT_AUDIENCE

REALM = Path(__file__).resolve().parents[3] / "deploy" / "keycloak" / "realm-congvu.json"


def test_access_tokens_carry_tenant_role_unit_and_our_audience() -> None:
    realm = json.loads(REALM.read_text(encoding="utf-8"))
    (client,) = realm["clients"]
    mappers = {m["protocolMapper"]: m for m in client["protocolMappers"]}
    claims = {
        m["config"]["claim.name"]
        for m in client["protocolMappers"]
        if m["protocolMapper"] == "oidc-usermodel-attribute-mapper"
        and m["config"]["access.token.claim"] == "true"
    }
    assert claims == {"tenant", "role", "unit"}
    audience = mappers["oidc-audience-mapper"]["config"]
    assert audience["included.custom.audience"] == DEFAULT_AUDIENCE
    assert audience["access.token.claim"] == "true"


def test_demo_users_have_known_roles_and_no_credentials() -> None:
    realm = json.loads(REALM.read_text(encoding="utf-8"))
    assert realm["users"]
    for user in realm["users"]:
        assert "credentials" not in user
        (role,) = user["attributes"]["role"]
        assert role in ROLES or role in ("ballot_organiser", "trustee", "credential_authority")
        assert user["attributes"]["tenant"] == ["dong-nai"]
