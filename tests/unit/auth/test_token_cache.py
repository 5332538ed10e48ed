"""The verified-token cache: a repeated bearer token skips the signature check, but never past
its ``exp``, never past ``cache_seconds`` (a withdrawn signing key stops working), never for a
refused token, and never beyond ``cache_size`` entries."""

from __future__ import annotations

import time

import jwt
import pytest

from shared.auth import DevIssuer, TokenVerifier
from shared.problems import AppError


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def verifier_for(issuer: DevIssuer, clock: Clock, **kw: object) -> TokenVerifier:
    return TokenVerifier(
        issuer=issuer.issuer,
        audience=issuer.audience,
        leeway=0,
        jwks=issuer.jwks,
        clock=clock,
        **kw,  # type: ignore[arg-type]
    )


def withdraw_keys(verifier: TokenVerifier) -> None:
    """The issuer's JWKS no longer lists the key that signed the tokens (rotation/revocation)."""
    other = DevIssuer.generate()
    verifier._keys = jwt.PyJWKSet.from_dict(other.jwks)


def refusal(verifier: TokenVerifier, token: str) -> AppError:
    with pytest.raises(AppError) as caught:
        verifier.verify(token)
    return caught.value


def test_a_withdrawn_key_stops_working_when_the_cache_entry_expires() -> None:
    issuer, clock = DevIssuer.generate(), Clock()
    verifier = verifier_for(issuer, clock, cache_seconds=60)
    token = issuer.mint(subject="a", tenant="dong-nai", role="home_affairs", ttl=3600)
    first = verifier.verify(token)
    withdraw_keys(verifier)
    assert verifier.verify(token) == first  # within the entry's life: the remembered check
    clock.now += 61
    assert refusal(verifier, token).code == "auth.invalid_token"  # checked again: no key


def test_an_expired_token_is_refused_even_after_it_was_cached() -> None:
    issuer = DevIssuer.generate()
    verifier = TokenVerifier(
        issuer=issuer.issuer, audience=issuer.audience, leeway=0, jwks=issuer.jwks
    )
    # exp within the next second or so (iat/nbf a minute ago)
    token = issuer.mint(subject="a", tenant="dong-nai", role="home_affairs", ttl=61,
                        now=time.time() - 60)  # fmt: skip
    exp = jwt.decode(token, options={"verify_signature": False})["exp"]
    assert verifier.verify(token).subject == "a"
    while time.time() <= exp + 0.05:  # wait (real time) until the token has expired
        time.sleep(0.05)
    assert refusal(verifier, token).code == "auth.token_expired"
    assert verifier.cached(token) is None


def test_the_cache_keeps_an_entry_no_longer_than_the_tokens_exp() -> None:
    issuer, clock = DevIssuer.generate(), Clock()
    verifier = verifier_for(issuer, clock, cache_seconds=3600)
    token = issuer.mint(subject="a", tenant="dong-nai", role="home_affairs", ttl=120)
    exp = jwt.decode(token, options={"verify_signature": False})["exp"]
    verifier.verify(token)
    clock.now = exp - 1
    assert verifier.cached(token) is not None
    clock.now = exp
    assert verifier.cached(token) is None


def test_a_refusal_is_never_cached() -> None:
    issuer, clock = DevIssuer.generate(), Clock()
    verifier = verifier_for(issuer, clock)
    stranger = DevIssuer.generate()
    token = stranger.mint(subject="a", tenant="dong-nai", role="home_affairs")
    assert refusal(verifier, token).code == "auth.invalid_token"
    assert verifier.cached(token) is None
    verifier._keys = jwt.PyJWKSet.from_dict(stranger.jwks)  # the issuer now lists that key
    assert verifier.verify(token).subject == "a"
    unknown_role = issuer.mint(subject="b", tenant="dong-nai", role="wizard")
    verifier._keys = jwt.PyJWKSet.from_dict(issuer.jwks)
    for _ in range(2):
        assert refusal(verifier, unknown_role).code == "auth.unknown_role"
    assert verifier.cached(unknown_role) is None


def test_the_cache_is_bounded_least_recently_used_first() -> None:
    issuer, clock = DevIssuer.generate(), Clock()
    verifier = verifier_for(issuer, clock, cache_size=2)
    a, b, c = (issuer.mint(subject=s, tenant="dong-nai", role="home_affairs") for s in "abc")
    verifier.verify(a)
    verifier.verify(b)
    verifier.verify(a)  # a is now the most recent
    verifier.verify(c)  # evicts b
    assert len(verifier._cache) == 2
    withdraw_keys(verifier)
    assert verifier.verify(a).subject == "a"
    assert verifier.verify(c).subject == "c"
    assert refusal(verifier, b).code == "auth.invalid_token"


def test_a_cache_of_size_zero_checks_every_time() -> None:
    issuer, clock = DevIssuer.generate(), Clock()
    verifier = verifier_for(issuer, clock, cache_size=0)
    token = issuer.mint(subject="a", tenant="dong-nai", role="home_affairs")
    verifier.verify(token)
    withdraw_keys(verifier)
    assert refusal(verifier, token).code == "auth.invalid_token"
