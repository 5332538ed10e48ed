"""The voter page: a server-rendered form per election, ``GET /bo-phieu/{election_id}``.

Vietnamese first, English as small secondary labels. No account, no cookie, nothing about the
visitor is read or stored. The page loads one ES module (``services/ballot/web/src/voter.js``
bundled by esbuild with ``libsodium-wrappers-sumo``) that derives the credential key from the
one-time code, encrypts, proves and signs in the browser, sends the ballot to the public cast
route (``POST /v1/ballot/elections/{id}/ballots``) and shows the tracker. The election
fingerprint is shown before voting and on the receipt.

Strict CSP: no inline script or style, no ``eval``; only ``'wasm-unsafe-eval'`` (WebAssembly
compilation for libsodium, which does not allow JavaScript ``eval``).

Mounting (the ballot app or the embedded one-process server)::

    from ballot.entrypoints.web import include_voter_page
    include_ballot(app)          # the API, which the page calls
    include_voter_page(app)      # the page and its two assets

``include_voter_page`` expects ``app.state.ballot`` like ``include_ballot``. The bundle is not
committed: it is built by ``node tools/build.mjs`` (``npm run build`` in ``services/ballot/web``)
and ``include_voter_page`` builds it when missing or older than its sources, if Node and the
npm dependencies are there (``make web-deps``). An installed wheel carries it prebuilt in
``ballot/web_dist/`` (see ``setup.py``). Elsewhere pass ``bundle=`` or set
``BALLOT_VOTER_BUNDLE`` to a prebuilt file.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Annotated, Any, Final

from fastapi import FastAPI, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ballot.domain.errors import BallotError
from ballot.entrypoints.api.deps import ServiceDep
from ballot.entrypoints.api.routes import PREFIX as API_PREFIX

log = logging.getLogger("ballot.web")

PAGE_PREFIX: Final = "/bo-phieu"
ASSET_PREFIX: Final = f"{PAGE_PREFIX}/_"
WEB_DIR: Final = Path(__file__).resolve().parents[3] / "web"
"""``services/ballot/web`` in a source checkout (absent in an installed wheel)."""
TEMPLATE_DIR: Final = Path(__file__).resolve().parents[1] / "templates" / "voter"
BUNDLE_NAME: Final = "voter.bundle.js"
PACKAGED_DIR: Final = Path(__file__).resolve().parents[1] / "web_dist"
"""``ballot/web_dist``: where the wheel carries the prebuilt bundle (setup.py puts it there)."""
BUNDLE_ENV: Final = "BALLOT_VOTER_BUNDLE"

CSP: Final = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "connect-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS: Final = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}

VN: Final = timezone(timedelta(hours=7), "ICT")  # Vietnam: UTC+7 all year, no DST

LEVELS_EN: Final = {
    "Tín nhiệm cao": "High confidence",
    "Tín nhiệm": "Confidence",
    "Tín nhiệm thấp": "Low confidence",
    "Hoàn thành xuất sắc nhiệm vụ": "Excellent",
    "Hoàn thành tốt nhiệm vụ": "Good",
    "Hoàn thành nhiệm vụ": "Completed",
    "Không hoàn thành nhiệm vụ": "Not completed",
}
BLANK_EN: Final = "No assessment (invalid for this person)"

ElectionId = Annotated[str, PathParam(max_length=100)]


class BundleError(RuntimeError):
    """The browser bundle is missing and could not be built."""


# ------------------------------------------------------------------ the bundle
def _sources(web_dir: Path) -> list[Path]:
    files = [p for p in (web_dir / "src").rglob("*.js") if p.is_file()]
    return [*files, web_dir / "tools" / "build.mjs", web_dir / "package-lock.json"]


def bundle_is_stale(web_dir: Path = WEB_DIR) -> bool:
    out = web_dir / "dist" / BUNDLE_NAME
    if not out.is_file():
        return True
    built = out.stat().st_mtime
    return any(p.is_file() and p.stat().st_mtime > built for p in _sources(web_dir))


def build_bundle(web_dir: Path = WEB_DIR, *, force: bool = False, timeout: float = 120) -> Path:
    """Build ``dist/voter.bundle.js`` (and ``crypto.bundle.js``) when missing or stale.

    Runs ``node tools/build.mjs`` (esbuild from ``node_modules``, pinned by the lockfile);
    the output is byte-for-byte reproducible. Raises :class:`BundleError` with the command to
    run when Node or the npm dependencies are missing.
    """
    out = web_dir / "dist" / BUNDLE_NAME
    if not force and not bundle_is_stale(web_dir):
        return out
    node = shutil.which("node")
    if node is None:
        raise BundleError("node is not installed: run deploy/local/packages.sh")
    if not (web_dir / "node_modules" / "esbuild").is_dir():
        raise BundleError(f"npm dependencies missing: run `make web-deps` (npm ci in {web_dir})")
    proc = subprocess.run(  # noqa: S603 - fixed program and arguments
        [node, "tools/build.mjs"],
        cwd=web_dir,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0 or not out.is_file():
        raise BundleError(f"esbuild failed ({proc.returncode}): {proc.stderr.strip()[:2000]}")
    return out


@dataclass(frozen=True)
class Asset:
    body: bytes
    media_type: str
    digest: str

    @classmethod
    def of(cls, body: bytes, media_type: str) -> Asset:
        return cls(body, media_type, hashlib.sha256(body).hexdigest()[:16])


def _load_bundle(bundle: Path | None, web_dir: Path, build: bool) -> Asset | None:
    path = bundle or (Path(os.environ[BUNDLE_ENV]) if os.environ.get(BUNDLE_ENV) else None)
    if path is None:
        path = web_dir / "dist" / BUNDLE_NAME
        if build and web_dir.is_dir():
            try:
                path = build_bundle(web_dir)
            except (BundleError, OSError, subprocess.SubprocessError) as exc:
                log.warning("voter page: cannot build the browser bundle: %s", exc)
        if not path.is_file():
            # an installed wheel (the production image): the bundle built into the package
            path = PACKAGED_DIR / BUNDLE_NAME
    if not path.is_file():
        log.warning("voter page: no bundle at %s; the page will say it is unavailable", path)
        return None
    return Asset.of(path.read_bytes(), "text/javascript; charset=utf-8")


# ------------------------------------------------------------------ rendering
def _env() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def group4(hex_digits: str) -> str:
    return " ".join(hex_digits[i : i + 4] for i in range(0, len(hex_digits), 4))


def hex_lines(hex_digits: str, per_line: int = 32) -> list[str]:
    """A 64-digit hash as two lines of eight groups of four (easy to compare with paper)."""
    return [group4(hex_digits[i : i + per_line]) for i in range(0, len(hex_digits), per_line)]


def vn_time(iso: str) -> str:
    """``08:00 ngày 04/12/2026`` (Vietnam time) from an ISO 8601 timestamp."""
    t = datetime.fromisoformat(iso).astimezone(VN)
    return f"{t:%H:%M} ngày {t:%d/%m/%Y}"


@dataclass(frozen=True)
class Notice:
    vi: str
    en: str
    detail: str = ""
    kind: str = ""


def _notice_for(status: str, now: datetime, opens: datetime, closes: datetime) -> Notice | None:
    if status in ("closed", "decrypted"):
        return Notice(
            "Cuộc bỏ phiếu đã kết thúc.",
            "This election is closed.",
            "Không nhận thêm phiếu. Mã theo dõi của bạn vẫn tra cứu được trên bảng công khai.",
        )
    if status != "open":
        return Notice("Cuộc bỏ phiếu chưa mở.", "This election is not open yet.")
    if now < opens:
        return Notice(
            "Chưa đến giờ bỏ phiếu.",
            "Voting has not started yet.",
            f"Phiếu được nhận từ {vn_time(opens.isoformat())} (giờ Việt Nam).",
        )
    if now >= closes:
        return Notice(
            "Đã hết giờ bỏ phiếu.",
            "The voting period is over.",
            "Máy chủ sẽ không nhận phiếu gửi lúc này.",
            "loi",
        )
    return None


def _result_notice(report: dict[str, Any]) -> Notice:
    """After the count: whether the vote is valid; below quorum it is invalid (no flags)."""
    q = report["quorum"]
    turnout = (
        f"{q['participants']}/{report['summoned']} người được triệu tập đã bỏ phiếu; "
        f"cần ít nhất {q['required']} ({q['fraction']})."
    )
    if report.get("valid") is False:
        return Notice(
            "Cuộc bỏ phiếu KHÔNG HỢP LỆ vì không đủ số người tham gia (túc số).",
            "The vote is INVALID: quorum not met.",
            f"{turnout} Kết quả kiểm phiếu được công bố để kiểm chứng nhưng không có giá trị.",
            "loi",
        )
    return Notice(
        "Cuộc bỏ phiếu đã kết thúc; kết quả đã được công bố.",
        "This election is over; the result is published.",
        f"{turnout} Mã theo dõi của bạn vẫn tra cứu được trên bảng công khai.",
    )


def _questions(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    levels = set(manifest.get("levels", ()))
    out = []
    for i, q in enumerate(manifest["questions"]):
        options = [
            {
                "vi": label,
                "en": LEVELS_EN.get(label) or ("" if label in levels else BLANK_EN),
                "blank": label not in levels,
            }
            for label in q["options"]
        ]
        out.append({"index": i, "name": q["name"], "position": q["position"], "options": options})
    return out


class VoterPage:
    def __init__(self, script: Asset | None, css: Asset, icon: Asset) -> None:
        self.script = script
        self.assets: dict[str, Asset] = {
            f"phieu-{css.digest}.css": css,
            f"bieu-tuong-{icon.digest}.svg": icon,
        }
        if script is not None:
            self.assets[f"phieu-{script.digest}.js"] = script
        self.css_name = f"phieu-{css.digest}.css"
        self.icon_name = f"bieu-tuong-{icon.digest}.svg"
        self.template = _env().get_template("page.html")

    def script_url(self, root: str) -> str | None:
        if self.script is None:
            return None
        return f"{root}{ASSET_PREFIX}/phieu-{self.script.digest}.js"

    def render(self, request: Request, svc: Any, election_id: str) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        context: dict[str, Any] = {
            "css_url": f"{root}{ASSET_PREFIX}/{self.css_name}",
            "icon_url": f"{root}{ASSET_PREFIX}/{self.icon_name}",
            "script_url": None,
            "page_title": "Bỏ phiếu",
            "window": None,
            "notice": None,
            "fingerprint": None,
            "form": False,
        }
        status_code = 200
        try:
            manifest = svc.manifest(election_id)
        except BallotError as exc:
            if exc.code == "ballot.election_not_found":
                status_code = 404
                context["notice"] = Notice(
                    "Không tìm thấy cuộc bỏ phiếu này.",
                    "Election not found.",
                    "Hãy kiểm tra lại đường dẫn được thông báo.",
                    "loi",
                )
            elif exc.code == "ballot.manifest_not_ready":
                context["notice"] = Notice(
                    "Cuộc bỏ phiếu chưa mở.",
                    "This election is not open yet.",
                    "Trang này sẽ có phiếu khi tổ kiểm phiếu mở cuộc bỏ phiếu.",
                )
            else:
                raise
            return self._html(context, status_code)
        opens = datetime.fromisoformat(manifest["opens_at"])
        closes = datetime.fromisoformat(manifest["closes_at"])
        status = manifest["status"]
        form = status == "open"
        notice = _notice_for(status, svc.clock(), opens, closes)
        if status == "decrypted":
            notice = _result_notice(svc.result(election_id)["report"])
        if form and self.script is None:
            notice = Notice(
                "Trang bỏ phiếu tạm thời chưa sẵn sàng (thiếu tệp mã hóa).",
                "The voting page is unavailable (missing script).",
                "Hãy báo quản trị viên; phiếu không thể gửi từ trang này lúc này.",
                "loi",
            )
            form = False
            status_code = 503
        api = f"{root}{API_PREFIX}/{election_id}"
        context.update(
            script_url=self.script_url(root) if form else None,
            page_title=manifest["title"],
            window={
                "opens": vn_time(manifest["opens_at"]),
                "closes": vn_time(manifest["closes_at"]),
            },
            notice=notice,
            fingerprint=manifest["fingerprint"],
            fingerprint_lines=hex_lines(manifest["fingerprint"]),
            form=form,
            questions=_questions(manifest),
            data={
                "election_id": election_id,
                "fingerprint": manifest["fingerprint"],
                "joint_key": manifest["manifest"]["joint_key"],
                "option_counts": manifest["option_counts"],
                "manifest": manifest["manifest"],
                "cast_url": f"{api}/ballots",
                "audit_url": f"{api}/audits",
                "tracker_url": f"{api}/trackers/",
            },
        )
        return self._html(context, status_code)

    def _html(self, context: dict[str, Any], status_code: int) -> HTMLResponse:
        return HTMLResponse(
            self.template.render(**context),
            status_code=status_code,
            headers={**SECURITY_HEADERS, "Cache-Control": "no-store"},
        )

    def asset(self, name: str) -> Response:
        asset = self.assets.get(name)
        if asset is None:
            return Response(
                "Không tìm thấy / Not found",
                status_code=404,
                media_type="text/plain; charset=utf-8",
                headers=SECURITY_HEADERS,
            )
        return Response(
            asset.body,
            media_type=asset.media_type,
            headers={**SECURITY_HEADERS, "Cache-Control": "public, max-age=31536000, immutable"},
        )


# ------------------------------------------------------------------ logging
_PAGE_PATH = re.compile(rf"^{re.escape(PAGE_PREFIX)}/")


class VoterPageAccessFilter(logging.Filter):
    """Replace the client address with ``-`` on access-log lines of the voter page."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if (
            isinstance(args, tuple)
            and len(args) >= 3
            and isinstance(args[2], str)
            and _PAGE_PATH.search(args[2])
        ):
            record.args = ("-", *args[1:])
        return True


def _install_log_filter() -> None:
    logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, VoterPageAccessFilter) for f in logger.filters):
        logger.addFilter(VoterPageAccessFilter())


# ------------------------------------------------------------------ mounting
def include_voter_page(
    app: FastAPI,
    *,
    bundle: Path | None = None,
    web_dir: Path = WEB_DIR,
    build: bool = True,
) -> VoterPage:
    """Mount ``GET /bo-phieu/{election_id}`` and its assets under ``/bo-phieu/_/`` on ``app``.

    ``bundle``: a prebuilt ``voter.bundle.js`` (default: ``$BALLOT_VOTER_BUNDLE``, else
    ``web_dir/dist/voter.bundle.js``, built first when ``build`` and missing or stale).
    Without a bundle the page still answers, saying it is unavailable (HTTP 503).
    Needs ``app.state.ballot`` at request time, like :func:`include_ballot`.
    """
    css = Asset.of((TEMPLATE_DIR / "page.css").read_bytes(), "text/css; charset=utf-8")
    icon = Asset.of((TEMPLATE_DIR / "icon.svg").read_bytes(), "image/svg+xml")
    page = VoterPage(_load_bundle(bundle, web_dir, build), css, icon)
    _install_log_filter()

    @app.get(
        f"{ASSET_PREFIX}/{{name}}",
        include_in_schema=False,
        name="voter_page_asset",
    )
    def voter_asset(name: Annotated[str, PathParam(max_length=80)]) -> Response:
        return page.asset(name)

    @app.get(
        f"{PAGE_PREFIX}/{{election_id}}",
        response_class=HTMLResponse,
        tags=["ballot: public"],
        summary="Trang bỏ phiếu / Voter page (HTML)",
        name="voter_page",
    )
    def voter_page(election_id: ElectionId, request: Request, svc: ServiceDep) -> HTMLResponse:
        return page.render(request, svc, election_id)

    return page
