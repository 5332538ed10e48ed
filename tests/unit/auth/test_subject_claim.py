"""Which claim names the caller: ``sub`` by default; an OIDC provider whose ``sub`` is its own
user id (Keycloak) names the official by the realm's username (``CONGVU_AUTH_SUBJECT_CLAIM``),
the account a staff record holds, so an official signed in there finds their own rating."""

from __future__ import annotations

import pytest

from shared.auth import AuthSettings, DevIssuer, TokenVerifier
from shared.problems import AppError


def verifier(issuer: DevIssuer, claim: str) -> TokenVerifier:
    return TokenVerifier(
        issuer=issuer.issuer,
        audience=issuer.audience,
        jwks=issuer.jwks,
        subject_claim=claim,
        cache_size=0,
    )


def test_the_default_subject_is_sub() -> None:
    issuer = DevIssuer.generate()
    token = issuer.mint(
        subject="f0e1c2d3-kc-user-id", tenant="dong-nai", role="official", preferred_username="a.b"
    )
    assert verifier(issuer, "sub").verify(token).subject == "f0e1c2d3-kc-user-id"


def test_the_username_claim_when_configured() -> None:
    issuer = DevIssuer.generate()
    token = issuer.mint(
        subject="f0e1c2d3-kc-user-id",
        tenant="dong-nai",
        role="official",
        preferred_username="syt.lanhdao",
    )
    assert verifier(issuer, "preferred_username").verify(token).subject == "syt.lanhdao"


@pytest.mark.parametrize("value", [None, "", 42, ["x"]])
def test_a_missing_or_malformed_username_is_refused(value: object) -> None:
    issuer = DevIssuer.generate()
    extra = {} if value is None else {"preferred_username": value}
    token = issuer.mint(subject="kc-id", tenant="dong-nai", role="official", **extra)
    with pytest.raises(AppError) as caught:
        verifier(issuer, "preferred_username").verify(token)
    assert caught.value.status == 401 and caught.value.code == "auth.missing_claims"


def test_the_setting_accepts_only_known_claims(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONGVU_AUTH_SUBJECT_CLAIM", "preferred_username")
    assert AuthSettings().subject_claim == "preferred_username"
    monkeypatch.setenv("CONGVU_AUTH_SUBJECT_CLAIM", "email")  # mutable by users: never
    with pytest.raises(ValueError):
        AuthSettings()
