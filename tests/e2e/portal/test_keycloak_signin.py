"""Signing in through Keycloak's own login page (a real Keycloak 26.5.6, ``infra.sh``).

Authorization code + PKCE from the portal, Keycloak's login form filled in Chromium, back on
"Việc cần làm" as the realm's user with the claims the realm maps (tenant, role, unit); the
JSON API accepts the same access token as a bearer token; an expired access token is refreshed
with the refresh token; sign-out ends the session at Keycloak too (signing in again asks for
the password). Needs ``TEST_KEYCLOAK_URL`` and ``TEST_KEYCLOAK_DEMO_PASSWORD``
(``eval "$(deploy/local/infra.sh env)"``); fails under ``CI=true`` without them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ballot.harness import LiveServer
from embedded.app import create_embedded_app
from shared.auth import AuthSettings, build_verifier
from shared.web.oidc import OidcSettings
from shared.web.session import SESSION_COOKIE, SessionCodec, load_or_create_secret

from .conftest import Site, missing

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def keycloak() -> tuple[str, str]:
    url = os.environ.get("TEST_KEYCLOAK_URL")
    password = os.environ.get("TEST_KEYCLOAK_DEMO_PASSWORD")
    if not url or not password:
        missing(
            "TEST_KEYCLOAK_URL / TEST_KEYCLOAK_DEMO_PASSWORD not set: "
            'deploy/local/infra.sh start keycloak && eval "$(deploy/local/infra.sh env)"'
        )
    assert url and password
    try:
        httpx.get(f"{url}/.well-known/openid-configuration", timeout=10).raise_for_status()
    except httpx.HTTPError as exc:
        missing(f"Keycloak at {url} does not answer: {exc}")
    return url, password


@pytest.fixture(scope="module")
def kc_site(
    keycloak: tuple[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Site, Path]]:
    url, _ = keycloak
    data = tmp_path_factory.mktemp("portal-kc")
    app = create_embedded_app(
        data,
        demo=True,
        auth=AuthSettings(
            jwks_url=f"{url}/protocol/openid-connect/certs",
            issuer=url,
            audience="congvu",
            subject_claim="preferred_username",  # as docker-compose.yml runs it
        ),
        oidc=OidcSettings(issuer_url=url, client_id="congvu-portal"),
    )
    with (
        LiveServer(app, access_log=False) as server,
        httpx.Client(base_url=server.url, timeout=30) as http,
    ):
        yield Site(server.url, http), data


def keycloak_login(page: Any, username: str, password: str) -> None:
    page.wait_for_selector("#username")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#kc-login")


def test_sign_in_through_keycloak_refresh_and_sign_out(
    kc_site: tuple[Site, Path],
    keycloak: tuple[str, str],
    open_page: Any,
    check_axe: Any,
    shoot: Any,
) -> None:
    site, data = kc_site
    url, password = keycloak
    w = open_page()
    page = w.page
    page.set_default_timeout(90_000)  # Keycloak's first login page is slow on a busy machine
    page.goto(site.url + "/viec-can-lam")
    page.wait_for_url("**/dang-nhap?next=/viec-can-lam")
    assert "Đăng nhập thử nghiệm" not in page.inner_text("main")  # dev issuer is off
    check_axe(page, "dang-nhap-keycloak")
    page.click("text=Đăng nhập bằng tài khoản công chức")
    page.wait_for_url(url + "/**")  # Keycloak's own login page
    shoot(page, "keycloak-login")
    keycloak_login(page, "snv.tonghop", password)
    page.wait_for_url(site.url + "/viec-can-lam")
    body = page.inner_text("body")
    assert "Sở Nội vụ" in body and "snv.tonghop" in body
    shoot(page, "viec-can-lam-keycloak-snv.tonghop")

    # the same access token is a bearer token of the JSON API
    codec = SessionCodec(load_or_create_secret(data / "keys" / "web-session.key"))
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies[f"{SESSION_COOKIE}0"]["httpOnly"]
    raw = "".join(
        cookies[f"{SESSION_COOKIE}{i}"]["value"]
        for i in range(4)
        if f"{SESSION_COOKIE}{i}" in cookies
    )
    session = codec.loads(raw, 3600)
    assert session is not None and session["kind"] == "oidc" and session["refresh_token"]
    me = site.http.get(
        "/v1/reports/cycles", headers={"Authorization": f"Bearer {session['access_token']}"}
    )
    assert me.status_code == 200, me.text
    # the caller is the realm's username (the account staff records name), not Keycloak's id
    named = build_verifier(
        AuthSettings(
            jwks_url=f"{url}/protocol/openid-connect/certs",
            issuer=url,
            audience="congvu",
            subject_claim="preferred_username",
        ),
        production=False,
    ).verify(session["access_token"])
    assert named.subject == "snv.tonghop" and named.role and named.tenant

    # an expired access token: the portal refreshes it at Keycloak and stays signed in
    session["expires_at"] = 0
    old_access = session["access_token"]
    forged = codec.dumps(session)
    page.context.add_cookies(
        [{"name": f"{SESSION_COOKIE}0", "value": forged, "url": site.url}]
        + [
            {"name": f"{SESSION_COOKIE}{i}", "value": "", "url": site.url, "expires": 0}
            for i in range(1, 4)
        ]
    )
    page.goto(site.url + "/viec-can-lam")
    assert page.url == site.url + "/viec-can-lam"
    cookies = {c["name"]: c for c in page.context.cookies()}
    raw = "".join(
        cookies[f"{SESSION_COOKIE}{i}"]["value"]
        for i in range(4)
        if f"{SESSION_COOKIE}{i}" in cookies
    )
    refreshed = codec.loads(raw, 3600)
    assert refreshed is not None and refreshed["access_token"] != old_access
    assert refreshed["expires_at"] > 0

    # sign out here and at Keycloak: the next sign-in asks for the password again
    page.click("text=Đăng xuất")
    page.wait_for_url(site.url + "/")
    assert not any(c["name"].startswith(SESSION_COOKIE) for c in page.context.cookies())
    page.goto(site.url + "/dang-nhap/oidc?next=/viec-can-lam")
    page.wait_for_url(url + "/**")
    assert page.locator("#password").count() == 1
    w.assert_clean()


def test_an_inspector_signs_in_through_keycloak_and_reaches_the_inspections(
    kc_site: tuple[Site, Path],
    keycloak: tuple[str, str],
    open_page: Any,
    check_axe: Any,
    shoot: Any,
) -> None:
    """A user of the roles added after the first realm (issue 11's inspector): the realm maps
    the role and unit, and the portal shows the inspector's group and page."""
    site, _ = kc_site
    url, password = keycloak
    w = open_page()
    page = w.page
    page.set_default_timeout(90_000)
    page.goto(site.url + "/kiem-tra")
    page.wait_for_url("**/dang-nhap?next=/kiem-tra")
    page.click("text=Đăng nhập bằng tài khoản công chức")
    page.wait_for_url(url + "/**")
    keycloak_login(page, "thanhtra", password)
    page.wait_for_url(site.url + "/kiem-tra")
    who = page.inner_text("header .who")
    assert "thanhtra" in who and "Thanh tra" in who
    main = page.inner_text("main")
    assert "Sở Y tế" in main  # the demo's inspections are listed for the inspector
    nav = page.locator("header nav")
    assert nav.locator("summary", has_text="Kiểm tra & khắc phục").count() == 1
    current = nav.locator("a[aria-current=page]")
    assert current.get_attribute("href") == "/kiem-tra"
    check_axe(page, "kiem-tra-keycloak-thanhtra")
    shoot(page, "kiem-tra-keycloak-thanhtra")
    w.assert_clean()
