"""The Keycloak realm gives tokens the claims shared.auth requires, and holds no password."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assessment.application.permissions import ROLES
from shared.auth import DEFAULT_AUDIENCE

REALM = Path(__file__).resolve().parents[3] / "deploy" / "keycloak" / "realm-congvu.json"


@pytest.mark.parametrize("client_id", ["congvu-web", "congvu-portal"])
def test_access_tokens_carry_tenant_role_unit_and_our_audience(client_id: str) -> None:
    realm = json.loads(REALM.read_text(encoding="utf-8"))
    client = next(c for c in realm["clients"] if c["clientId"] == client_id)
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


def test_the_portal_client_uses_the_code_flow_with_pkce_only() -> None:
    realm = json.loads(REALM.read_text(encoding="utf-8"))
    portal = next(c for c in realm["clients"] if c["clientId"] == "congvu-portal")
    assert portal["standardFlowEnabled"] and not portal["implicitFlowEnabled"]
    assert not portal["directAccessGrantsEnabled"]
    assert portal["attributes"]["pkce.code.challenge.method"] == "S256"
    callbacks = portal["redirectUris"]
    assert all(u.endswith("/dang-nhap/oidc/callback") for u in callbacks)
    # embedded (:8000), the local proxy (:8080) and any loopback port (tests)
    assert {
        "http://127.0.0.1:8000/dang-nhap/oidc/callback",
        "http://127.0.0.1:8080/dang-nhap/oidc/callback",
    } <= set(callbacks)
    assert portal["attributes"]["post.logout.redirect.uris"]


def test_demo_users_have_known_roles_and_no_credentials() -> None:
    realm = json.loads(REALM.read_text(encoding="utf-8"))
    assert realm["users"]
    for user in realm["users"]:
        assert "credentials" not in user
        (role,) = user["attributes"]["role"]
        assert role in ROLES or role in ("ballot_organiser", "trustee", "credential_authority")
        assert user["attributes"]["tenant"] == ["dong-nai"]


def test_every_demo_user_of_the_dev_sign_in_is_in_the_realm_with_its_role_and_unit() -> None:
    from embedded.demo import DEMO_USERS

    realm = json.loads(REALM.read_text(encoding="utf-8"))
    users = {u["username"]: u["attributes"] for u in realm["users"]}
    for username, _name, role, unit in DEMO_USERS:
        assert username in users, f"{username} ({role}) is missing from the realm"
        assert users[username]["role"] == [role]
        assert users[username].get("unit") == ([unit] if unit else None)


def test_the_compose_password_script_names_every_realm_user() -> None:
    script = (REALM.parent / "set-demo-passwords.sh").read_text(encoding="utf-8")
    names = " ".join(
        line.strip(" \\").replace(";", " ")
        for line in script.splitlines()
        if line.startswith(("for user", "  "))
    ).split()
    realm = json.loads(REALM.read_text(encoding="utf-8"))
    assert {u["username"] for u in realm["users"]} <= set(names)


def test_users_cannot_change_the_username_that_names_them() -> None:
    """The services name a Keycloak caller by ``preferred_username`` (docker-compose.yml): the
    realm must not let a user edit it, or one could take another official's account name."""
    realm = json.loads(REALM.read_text(encoding="utf-8"))
    assert realm["editUsernameAllowed"] is False
    compose = (REALM.parents[2] / "docker-compose.yml").read_text(encoding="utf-8")
    assert "CONGVU_AUTH_SUBJECT_CLAIM: preferred_username" in compose
