"""Token attacks shared by the unit (SQLite) and integration (PostgreSQL) tiers."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import jwt
from cryptography.hazmat.primitives import serialization

from helpers import TEST_ISSUER, token
from shared.auth import DevIssuer

BODY = {"code": "SYT", "name": "Sở Y tế", "kind": "department"}


def b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def unsigned(claims: dict[str, object]) -> str:
    return f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}."


def good_claims() -> dict[str, object]:
    now = int(time.time())
    return {
        "iss": TEST_ISSUER.issuer,
        "aud": TEST_ISSUER.audience,
        "sub": "x",
        "tenant": "dong-nai",
        "role": "home_affairs",
        "unit": "SNV",
        "iat": now,
        "nbf": now,
        "exp": now + 600,
    }


def hs256_with_public_key() -> str:
    """Algorithm confusion: the public key used as an HMAC secret."""
    pem = TEST_ISSUER._key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = {"alg": "HS256", "typ": "JWT", "kid": TEST_ISSUER.kid}
    signing_input = f"{b64(header)}.{b64(good_claims())}"
    sig = hmac.new(pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(sig).rstrip(b'=').decode()}"


def forged_with_our_kid() -> str:
    """Signed by another key but claiming our key id."""
    other = DevIssuer.generate()
    return jwt.encode(
        good_claims(), other._key, algorithm="ES256", headers={"kid": TEST_ISSUER.kid}
    )


def forged_header(alg: object, **header: object) -> str:
    """A token whose header names ``alg`` (and our kid), with a signature of random bytes:
    the fuzzing finding (RS256/PS256 against an EC key was a 500 for anyone)."""
    head = {"alg": alg, "typ": "JWT", "kid": TEST_ISSUER.kid, **header}
    sig = base64.urlsafe_b64encode(b"\x01" * 256).rstrip(b"=").decode()
    return f"{b64(head)}.{b64(good_claims())}.{sig}"


FORGED_HEADERS = {
    "forged_rs256": forged_header("RS256"),
    "forged_ps256": forged_header("PS256"),
    "forged_es384": forged_header("ES384"),
    "forged_eddsa": forged_header("EdDSA"),
    "forged_hs512": forged_header("HS512"),
    "forged_alg_list": forged_header(["ES256"]),
    "forged_kid_number": forged_header("ES256", kid=7),
    "forged_kid_unknown": forged_header("ES256", kid="nope"),
}

ATTACKS = {
    **{name: ("Bearer " + value, "auth.invalid_token") for name, value in FORGED_HEADERS.items()},
    "missing": (None, "auth.missing_token"),
    "not_bearer": ("Basic dXNlcjpwYXNz", "auth.missing_token"),
    "garbage": ("Bearer not.a.jwt", "auth.invalid_token"),
    "expired": (
        "Bearer "
        + token(
            exp=int(time.time()) - 3600, iat=int(time.time()) - 7200, nbf=int(time.time()) - 7200
        ),
        "auth.token_expired",
    ),
    "not_yet_valid": ("Bearer " + token(nbf=int(time.time()) + 3600), "auth.token_not_yet_valid"),
    "wrong_signature": ("Bearer " + forged_with_our_kid(), "auth.invalid_token"),
    "wrong_audience": ("Bearer " + token(aud="another-service"), "auth.wrong_audience"),
    "wrong_issuer": ("Bearer " + token(iss="https://evil.example"), "auth.wrong_issuer"),
    "alg_none": ("Bearer " + unsigned(good_claims()), "auth.invalid_token"),
    "alg_confusion_hs256": ("Bearer " + hs256_with_public_key(), "auth.invalid_token"),
    "no_tenant": ("Bearer " + token(tenant=""), "auth.missing_claims"),
}
