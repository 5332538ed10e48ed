"""Every portal page at phone width (390 px) in Chromium, signed in as a demo user who may see
it: the body never scrolls sideways (``scrollWidth`` ≤ 391), axe-core finds no serious or
critical violation; a screenshot ``w390-<page>.png`` each.

A page with path parameters is found by following the demo site's own links as that user
(starting from the navigation), so the ids are the demo's. ``test_every_page_route_is_in_the_list``
fails when a page is added to the app without a line here."""

from __future__ import annotations

import re
from collections import deque
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from embedded.app import create_embedded_app
from helpers import TEST_ISSUER

from .conftest import PHONE_WIDTH

pytestmark = pytest.mark.e2e

ANON = ""
# (route of the app, the demo user who opens it; "" signed out)
PAGES: list[tuple[str, str]] = [
    ("/", ANON),
    ("/cong-khai", ANON),
    ("/cong-khai/cchc", ANON),
    ("/dang-nhap", ANON),
    ("/kiem-chung-mau", ANON),
    ("/viec-can-lam", "snv.vanthu"),
    ("/bang-theo-doi", "snv.tonghop"),
    ("/don-vi", "snv.tonghop"),
    ("/ke-hoach", "snv.tonghop"),
    ("/ke-hoach/{year}", "snv.tonghop"),
    ("/ho-so/{year}/tu-danh-gia", "snv.vanthu"),
    ("/ho-so/{year}/{unit_code}", "snv.tonghop"),
    ("/cong-nhan/{year}", "chu-tich"),
    ("/bao-cao/tien-do", "snv.tonghop"),
    ("/bao-cao/ban-can-su", "bcsd.thuky"),
    ("/bao-cao/don-vi/{code}", "snv.tonghop"),
    ("/bao-cao/nguoi-dung-dau/{code}", "snv.tonghop"),
    ("/kiem-toan/dong-thoi-gian", "kiemtoan"),
    ("/kiem-toan/tai-thoi-diem", "kiemtoan"),
    ("/xep-loai-ca-nhan", "syt.thutruong"),
    ("/xep-loai-ca-nhan/cua-toi", "syt.canbo"),
    ("/ho-so/ca-nhan/xep-loai/{rating_id}", "syt.thutruong"),
    ("/ho-so/ca-nhan/nguoi/{person_id}", "syt.tccb"),
    ("/ho-so/ca-nhan/quyet-dinh", "syt.thutruong"),
    ("/ho-so/ca-nhan/bien-ban", "syt.tccb"),
    ("/ho-so/ca-nhan/nhap-danh-sach", "syt.tccb"),
    ("/cchc/bo-tieu-chi", "snv.tonghop"),
    ("/cchc/tham-dinh", "snv.tonghop"),
    ("/cchc/xep-hang", "snv.tonghop"),
    ("/ho-so/cchc/bo-tieu-chi/nhap", "snv.tonghop"),
    ("/ho-so/cchc/bo-tieu-chi/{set_id}", "snv.tonghop"),
    ("/ho-so/cchc/{year}/cham-diem", "snv.vanthu"),
    ("/ho-so/cchc/{year}/{unit_code}/tham-dinh", "snv.tonghop"),
    ("/ho-so/cchc/{year}/{unit_code}/hoi-dong", "snv.tonghop"),
    ("/ho-so/cchc/{year}/xep-hang/{set_id}", "snv.tonghop"),
    ("/kiem-tra", "thanhtra"),
    ("/kiem-tra/moi", "snv.tonghop"),
    ("/kiem-tra/{inspection_id}", "thanhtra"),
    ("/kiem-tra/{inspection_id}/don-vi/{unit_code}/so-cong-viec", "thanhtra"),
    ("/kiem-tra/{inspection_id}/don-vi/{unit_code}/rut-mau", "thanhtra"),
    ("/khac-phuc", "thanhtra"),
    ("/khac-phuc/{plan_id}", "thanhtra"),
]
# the demo's fixed names where no link of the site leads (reports are opened from lists
# outside the pages, e.g. the caucus report's table)
EXAMPLES = {
    "/ke-hoach/{year}": "/ke-hoach/2013",
    "/bao-cao/don-vi/{code}": "/bao-cao/don-vi/SYT",
    "/bao-cao/nguoi-dung-dau/{code}": "/bao-cao/nguoi-dung-dau/SYT?person=syt.thutruong",
}
# where to start looking for a page when its list shows another year by default
STARTS = {"/khac-phuc/{plan_id}": "/khac-phuc?nam=2013"}
STATIC = {route for route, _ in PAGES if "{" not in route}
# what a page must say (and must not) besides fitting: the CCHC block by its name, not its code
TEXTS = {
    "/ho-so/cchc/bo-tieu-chi/{set_id}": ("Sở, ban, ngành", "so_nganh"),
    "/cchc/bo-tieu-chi": ("Sở, ban, ngành", "so_nganh"),
}
# routes that are not pages of the layout: redirects to a year, files, assets, sign-in steps
NOT_PAGES = re.compile(
    r"^/(tai-nguyen|tai-lieu-api|bo-phieu|\.well-known)/|/(minh-chung/\{sha256\}|xuat\.xlsx)$"
    r"|^/dang-nhap/oidc|^/ngon-ngu$|^/ho-so/tu-danh-gia$|^/ho-so/cchc/cham-diem$|^/cong-nhan$"
)
SKIP_LINKS = re.compile(r"\.(xlsx|pdf|csv|json|svg|png)$|/minh-chung/|^/(v1|docs|redoc|tai-)")


def route_regex(route: str) -> re.Pattern[str]:
    pattern = re.sub(r"\\\{[a-z_]+\\\}", "[^/]+", re.escape(route))
    return re.compile(f"^{pattern}$")


def slug(route: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", route.lower()).strip("-") or "trang-chu"


class Crawl:
    """A demo user's session (httpx, the development sign-in) and the pages it reaches."""

    def __init__(self, base: str, username: str) -> None:
        self.base = base
        self.http = httpx.Client(base_url=base, timeout=60, follow_redirects=True)
        self.found: set[str] = set()
        if username:
            form = self.http.get("/dang-nhap").text
            token = re.search(r'name="csrftoken" value="([^"]+)"', form)
            assert token, "no CSRF token on the sign-in page"
            signed = self.http.post(
                "/dang-nhap/thu-nghiem",
                data={"username": username, "next": "/viec-can-lam", "csrftoken": token[1]},
            )
            assert signed.status_code == 200 and "Đăng xuất" in signed.text, signed.status_code
            assert signed.url.path == "/viec-can-lam", signed.url
        self._links: dict[str, list[str]] = {}

    def links(self, path: str) -> list[str]:
        if path in self._links:
            return self._links[path]
        resp = self.http.get(path)
        out: list[str] = []
        if resp.status_code == 200 and "text/html" in resp.headers.get("content-type", ""):
            self.found.add(urlsplit(str(resp.url)).path)  # where a redirect led
            for href in re.findall(r'href="([^"#]+)"', resp.text):
                url = urlsplit(urljoin(self.base + path, href.replace("&amp;", "&")))
                if url.netloc == urlsplit(self.base).netloc and not SKIP_LINKS.search(url.path):
                    out.append(url.path + (f"?{url.query}" if url.query else ""))
        self._links[path] = out
        return out

    def find(self, route: str, budget: int = 120) -> str | None:
        """A path of ``route`` reached from its static part and the navigation (breadth
        first, at most ``budget`` pages fetched)."""
        pattern = route_regex(route)

        def regex_match(path: str) -> bool:
            return bool(pattern.match(path)) and path not in STATIC

        start = STARTS.get(route) or route.split("{")[0].rstrip("/") or "/"
        queue, seen = deque([start, "/viec-can-lam"]), {start, "/viec-can-lam"}
        while queue and budget > 0:
            hit = next((p for p in sorted(self.found) if regex_match(p)), None)
            if hit:
                return hit
            path = queue.popleft()
            budget -= 1
            for link in self.links(path):
                if regex_match(link.split("?")[0]):
                    return link
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
        return next((p for p in sorted(self.found) if regex_match(p)), None)

    def cookies(self) -> list[dict[str, Any]]:
        return [
            {"name": c.name, "value": c.value or "", "url": self.base}
            for c in self.http.cookies.jar
        ]


@pytest.fixture(scope="module")
def crawls(site: Any) -> Any:
    made: dict[str, Crawl] = {}

    def get(username: str) -> Crawl:
        if username not in made:
            made[username] = Crawl(site.url, username)
        return made[username]

    yield get
    for c in made.values():
        c.http.close()


def test_every_page_route_is_in_the_list(tmp_path: Any) -> None:
    app = create_embedded_app(tmp_path, demo=False, issuer=TEST_ISSUER)
    routes = {
        r.path  # type: ignore[attr-defined]
        for r in app.routes
        if "GET" in (getattr(r, "methods", None) or ())
        and not r.path.startswith(("/v1", "/docs", "/redoc", "/openapi"))  # type: ignore[attr-defined]
    }
    pages = {route for route, _ in PAGES}
    assert routes - pages - {r for r in routes if NOT_PAGES.search(r)} == set()
    assert pages <= routes


@pytest.mark.parametrize(("route", "username"), PAGES, ids=[slug(r) for r, _ in PAGES])
def test_page_fits_a_phone_and_passes_axe(
    site: Any, crawls: Any, open_page: Any, check_axe: Any, shoot: Any, route: str, username: str
) -> None:
    crawl = crawls(username)
    path = EXAMPLES.get(route) or (crawl.find(route) if "{" in route else route)
    assert path, f"no link to {route} reachable by {username or 'anyone'} on the demo site"
    w = open_page(width=PHONE_WIDTH, height=844)
    page = w.page
    if username:
        page.context.add_cookies(crawl.cookies())
    resp = page.goto(site.url + path)
    assert resp is not None and resp.status == 200, (path, resp and resp.status)
    assert "/dang-nhap" not in page.url or route == "/dang-nhap", page.url
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        """(w) => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > w + 1)
            .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > w + 1))
            .slice(0, 4)
            .map(e => `${e.tagName}.${e.className} ${(e.textContent || '').trim().slice(0, 30)}`)
""",
        PHONE_WIDTH,
    )
    assert width <= PHONE_WIDTH + 1, f"{path} scrolls sideways at 390 px ({width} px): {wide}"
    if route in TEXTS:
        said, unsaid = TEXTS[route]
        text = page.inner_text("main")
        assert said in text and unsaid not in text, text[:500]
    check_axe(page, f"w390-{slug(route)}")
    shoot(page, f"w390-{slug(route)}")
    w.assert_clean()
