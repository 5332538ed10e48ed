"""The portal's protections over HTTP (no browser): CSRF, body limits, session cookie, open
redirects, production refusals, headers, the offline API docs with bearer security."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI, Form, Request
from fastapi.responses import Response
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from embedded.app import create_embedded_app
from embedded.cli import cli
from helpers import TEST_ISSUER
from shared.auth import DevIssuer
from shared.web.pages import WebSettings
from shared.web.session import SessionCodec
from shared.web.signin import DevUser, build_portal, install_portal, safe_next

USERS = [DevUser("snv.tonghop", "Tổng Hợp", "dong-nai", "home_affairs", "SNV")]


def small_app(tmp_path: Path, mode: str = "embedded") -> tuple[FastAPI, list[str]]:
    """A portal with one form route that records what it stored."""
    stored: list[str] = []
    portal = build_portal(
        WebSettings(mode=mode, session_key="k" * 32, form_max_bytes=10_000),  # type: ignore[arg-type]
        dev_issuer=TEST_ISSUER if mode == "embedded" else None,
        dev_users=USERS,
    )
    portal.body_limits["/tai-len"] = 50_000
    app = FastAPI()
    app.state.verifier = TEST_ISSUER.verifier()
    install_portal(app, portal)

    @app.post("/ghi")
    def write(note: str = Form("")) -> dict[str, str]:
        stored.append(note)
        return {"ok": note}

    @app.post("/tai-len")
    async def upload(request: Request) -> Response:
        form = await request.form()
        stored.append(str(len(form)))
        return Response("ok")

    return app, stored


@pytest.fixture
def client(tmp_path: Path) -> Iterator[tuple[TestClient, list[str]]]:
    app, stored = small_app(tmp_path)
    with TestClient(app) as c:
        yield c, stored


def test_a_form_without_the_csrf_token_is_refused_in_vietnamese(
    client: tuple[TestClient, list[str]],
) -> None:
    c, stored = client
    c.get("/dang-nhap")  # sets the csrftoken cookie
    token = c.cookies["csrftoken"]
    resp = c.post("/ghi", data={"note": "x"}, headers={"Accept": "text/html"})
    assert resp.status_code == 403
    assert "mã bảo vệ (CSRF)" in resp.text and 'lang="vi"' in resp.text
    resp = c.post("/ghi", data={"note": "x", "csrftoken": "sai"})
    assert resp.status_code == 403
    assert resp.headers["content-type"].startswith("application/problem+json")
    assert resp.json()["code"] == "request.csrf_failed"
    assert stored == []
    resp = c.post("/ghi", data={"csrftoken": token, "note": "đúng"})
    assert resp.status_code == 200 and stored == ["đúng"]


def test_the_dev_sign_in_is_protected_even_before_any_cookie(tmp_path: Path) -> None:
    app, _ = small_app(tmp_path)
    with TestClient(app) as c:
        resp = c.post("/dang-nhap/thu-nghiem", data={"username": "snv.tonghop"})
        assert resp.status_code == 403
        assert not any(k.startswith("congvu_s") for k in c.cookies)


def test_body_over_the_limit_is_413_page_or_problem(
    client: tuple[TestClient, list[str]],
) -> None:
    c, stored = client
    c.get("/dang-nhap")
    token = c.cookies["csrftoken"]
    big = "x" * 20_000
    resp = c.post("/ghi", data={"csrftoken": token, "note": big}, headers={"Accept": "text/html"})
    assert resp.status_code == 413 and "Dữ liệu gửi lên quá lớn" in resp.text
    files = {"tep": ("bao-cao.pdf", b"%PDF" + b"0" * 60_000, "application/pdf")}
    resp = c.post("/tai-len", data={"csrftoken": token}, files=files)
    assert resp.status_code == 413
    assert resp.json()["code"] == "request.too_large"
    ok = {"tep": ("bao-cao.pdf", b"%PDF" + b"0" * 20_000, "application/pdf")}
    assert c.post("/tai-len", data={"csrftoken": token}, files=ok).status_code == 200
    assert stored == ["2"]


def test_session_cookie_is_encrypted_httponly_lax_and_tamper_evident(
    client: tuple[TestClient, list[str]],
) -> None:
    c, _ = client
    c.get("/dang-nhap")
    resp = c.post(
        "/dang-nhap/thu-nghiem",
        data={"csrftoken": c.cookies["csrftoken"], "username": "snv.tonghop", "next": "/x"},
        follow_redirects=False,
    )
    assert resp.status_code == 303 and resp.headers["location"] == "/x"
    set_cookie = next(h for h in resp.headers.get_list("set-cookie") if "congvu_s0" in h)
    assert "HttpOnly" in set_cookie and "SameSite=lax" in set_cookie
    assert "Secure" not in set_cookie  # plain HTTP here; https or X-Forwarded-Proto adds it
    value = c.cookies["congvu_s0"]
    assert "home_affairs" not in value and "eyJ" not in value  # not readable
    codec = SessionCodec(b"k" * 32)
    assert codec.loads(value, 60)["kind"] == "dev"
    assert codec.loads(value[:-4] + "AAAA", 60) is None
    assert SessionCodec(b"z" * 32).loads(value, 60) is None


def test_next_is_never_an_open_redirect() -> None:
    assert safe_next("/viec-can-lam?x=1") == "/viec-can-lam?x=1"
    for bad in ("https://evil.example/", "//evil.example", "/\\evil", "", None):
        assert safe_next(bad) == "/viec-can-lam"


def test_production_refuses_the_dev_sign_in_and_the_dev_issuer(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="development issuer"):
        build_portal(
            WebSettings(mode="production", session_key="k" * 32),  # type: ignore[arg-type]
            dev_issuer=DevIssuer.generate(),
        )
    with pytest.raises(ValueError, match="CONGVU_WEB_SESSION_KEY"):
        build_portal(WebSettings(mode="production"))
    app, _ = small_app(tmp_path, mode="production")
    with TestClient(app) as c:
        page = c.get("/dang-nhap")
        assert "Đăng nhập thử nghiệm" not in page.text
        resp = c.post(
            "/dang-nhap/thu-nghiem",
            data={"csrftoken": c.cookies["csrftoken"], "username": "snv.tonghop"},
        )
        assert resp.status_code == 403
        assert not any(k.startswith("congvu_s") for k in c.cookies)


def test_congvu_token_refuses_unknown_roles_and_needs_the_servers_key(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["token", "--role", "admin", "--data-dir", str(tmp_path)])
    assert result.exit_code == 2 and "unknown role" in result.output
    result = runner.invoke(cli, ["token", "--role", "auditor", "--data-dir", str(tmp_path)])
    assert result.exit_code == 2 and "congvu run" in result.output
    issuer = DevIssuer.from_file(tmp_path / "keys" / "dev-issuer.pem")
    result = runner.invoke(cli, ["token", "--role", "auditor", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0
    assert issuer.verifier().verify(result.output.strip()).role == "auditor"


def test_pages_have_the_strict_policy_and_load_nothing_from_another_host(tmp_path: Path) -> None:
    app = create_embedded_app(tmp_path, demo=False, issuer=TEST_ISSUER)
    with TestClient(app) as c:
        for path in ("/", "/dang-nhap", "/docs", "/redoc"):
            resp = c.get(path)
            assert resp.status_code == 200, path
            policy = resp.headers["content-security-policy"]
            assert "default-src 'none'" in policy and "script-src 'self'" in policy
            assert "unsafe-eval" not in policy
            assert not re.search(r"""(src|href)=["']?(https?:)?//""", resp.text), path
            for asset in re.findall(r"""(?:src|href)="(/[^"]+)\"""", resp.text):
                assert c.get(asset).status_code == 200, asset


def test_openapi_declares_bearer_security_with_401_and_403(tmp_path: Path) -> None:
    app = create_embedded_app(tmp_path, demo=False, issuer=TEST_ISSUER)
    with TestClient(app) as c:
        doc = c.get("/openapi.json").json()
    assert doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    board = doc["paths"]["/v1/reports/cycles/{cycle_id}/board"]["get"]
    assert board["security"] == [{"bearerAuth": []}]
    assert {"401", "403"} <= set(board["responses"])
    assert not any(p["name"].lower() == "authorization" for p in board.get("parameters", []))
    assert "security" not in doc["paths"]["/v1/health"]["get"]
    protected = [op for item in doc["paths"].values() for op in item.values() if "security" in op]
    assert len(protected) >= 30


def test_multipart_forms_need_the_token_before_the_file(
    client: tuple[TestClient, list[str]],
) -> None:
    c, stored = client
    c.get("/dang-nhap")
    token = c.cookies["csrftoken"]
    files = {"tep": ("a.pdf", b"%PDF-1.4 small", "application/pdf")}
    assert c.post("/tai-len", files=files).status_code == 403
    assert c.post("/tai-len", data={"csrftoken": "sai"}, files=files).status_code == 403
    # the file part before the token: refused (the token must be the first field)
    body = (
        b'--b\r\nContent-Disposition: form-data; name="tep"; filename="a.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n%PDF\r\n"
        b'--b\r\nContent-Disposition: form-data; name="csrftoken"\r\n\r\n'
        + token.encode()
        + b"\r\n--b--\r\n"
    )
    resp = c.post(
        "/tai-len", content=body, headers={"content-type": "multipart/form-data; boundary=b"}
    )
    assert resp.status_code == 403
    assert stored == []
    assert c.post("/tai-len", data={"csrftoken": token}, files=files).status_code == 200
    assert stored == ["2"]
