"""A page's viewer read in the page's thread (``shared.web.threaded``): no hop to the event
loop unless the provider's token must be refreshed, and the same viewer, refusal and sign-in
redirect as the loop's own ``signin.current_viewer`` / ``require_viewer``."""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from helpers import TEST_ISSUER
from shared.web import signin, threaded
from shared.web.oidc import OidcError
from shared.web.pages import WebSettings
from shared.web.session import SESSION_COOKIE
from shared.web.signin import DevUser, build_portal, install_portal

USERS = [DevUser("snv.tonghop", "Tổng Hợp", "dong-nai", "home_affairs", "SNV")]


class FailingProvider:
    def __init__(self) -> None:
        self.refreshed: list[str] = []

    async def refresh(self, refresh_token: str) -> dict[str, Any]:
        self.refreshed.append(refresh_token)
        raise OidcError("refresh refused")


def _app() -> tuple[FastAPI, Any]:
    portal = build_portal(
        WebSettings(mode="embedded", session_key="k" * 32),  # type: ignore[arg-type]
        dev_issuer=TEST_ISSUER,
        dev_users=USERS,
    )
    app = FastAPI()
    app.state.verifier = TEST_ISSUER.verifier()
    install_portal(app, portal)

    @app.get("/ai")
    @threaded.page
    def who(request: Request) -> dict[str, Any]:
        viewer = threaded.current_viewer(request)
        return {"subject": viewer.caller.subject if viewer else None}

    @app.get("/rieng")
    @threaded.page
    def private(request: Request) -> dict[str, Any]:
        return {"subject": threaded.require_viewer(request).caller.subject}

    @app.get("/vong")
    async def on_loop(request: Request) -> dict[str, Any]:
        viewer = await signin.current_viewer(request)
        return {"subject": viewer.caller.subject if viewer else None}

    return app, portal


@pytest.fixture
def hops(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    original = threaded.anyio.from_thread.run

    def counted(function: Any, *args: Any) -> Any:
        seen.append(function.__name__)
        return original(function, *args)

    monkeypatch.setattr(threaded.anyio.from_thread, "run", counted)
    return seen


def _sign_in(client: TestClient) -> None:
    client.get("/dang-nhap")
    resp = client.post(
        "/dang-nhap/thu-nghiem",
        data={"csrftoken": client.cookies["csrftoken"], "username": "snv.tonghop"},
        follow_redirects=False,
    )
    assert resp.status_code == 303


def test_the_viewer_is_read_in_the_page_thread_without_a_hop(hops: list[str]) -> None:
    app, _ = _app()
    with TestClient(app, follow_redirects=False) as client:
        assert client.get("/ai").json() == {"subject": None}
        resp = client.get("/rieng?nam=2025")
        assert resp.status_code == 303
        assert resp.headers["location"] == "/dang-nhap?next=/rieng%3Fnam%3D2025"
        _sign_in(client)
        assert client.get("/ai").json() == {"subject": "snv.tonghop"}
        assert client.get("/rieng").json() == {"subject": "snv.tonghop"}
        assert client.get("/vong").json() == {"subject": "snv.tonghop"}  # the same as the loop's
    assert hops == []


def test_a_session_to_refresh_goes_back_to_the_loop(hops: list[str]) -> None:
    app, portal = _app()
    provider = portal.oidc = FailingProvider()
    expired = TEST_ISSUER.mint(
        subject="snv.tonghop", tenant="dong-nai", role="home_affairs", unit="SNV"
    )
    session = {
        "kind": "oidc",
        "access_token": expired,
        "refresh_token": "r-1",
        "expires_at": int(time.time()) - 60,  # the provider's token has expired
        "name": "Tổng Hợp",
    }
    with TestClient(app, follow_redirects=False) as client:
        client.cookies.set(f"{SESSION_COOKIE}0", portal.codec.dumps(session))
        assert client.get("/ai").json() == {"subject": None}  # the refresh was refused
        assert client.get("/rieng").status_code == 303
        assert client.get("/vong").json() == {"subject": None}
    assert hops == ["current_viewer", "current_viewer"]
    assert provider.refreshed == ["r-1", "r-1", "r-1"]
