"""The built wheel holds everything the embedded mode serves (issue 13).

Builds the wheel with ``pip wheel .`` (setup.py builds the voter bundle into it), installs it
into a new, empty virtualenv (as the image does), starts ``congvu run`` from that virtualenv
outside the checkout and, with ``wheel_probe.py`` run by that virtualenv's interpreter, requests
every page and opens an election: the voter page must offer the form and serve the bundle the
wheel carries. Slow (a wheel build and a dependency install, ~1 min warm): part of
``make test-stack``; ``CONGVU_STACK_TESTS=1`` selects it in a plain pytest run.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx
import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        os.environ.get("CONGVU_STACK_TESTS") != "1",
        reason="stack tier: make test-stack (or CONGVU_STACK_TESTS=1)",
    ),
]

REPO = Path(__file__).resolve().parents[3]
WEB = REPO / "services" / "ballot" / "web"
PROBE = Path(__file__).with_name("wheel_probe.py")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (WEB / "node_modules" / "esbuild").is_dir() or shutil.which("node") is None:
        pytest.fail("Node and the npm dependencies are needed to build the wheel: make web-deps")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(REPO), "-w", str(out)],
        check=True,
        cwd=out,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    (built,) = out.glob("congvu-*.whl")
    return built


def test_wheel_lists_templates_styles_and_the_voter_bundle(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "ballot/web_dist/voter.bundle.js" in names
    for needed in ("ballot/templates/voter/page.html", "ballot/templates/voter/page.css"):
        assert needed in names
    roots = [REPO / "shared" / "src", *REPO.glob("services/*/src")]
    in_source = {
        str(p.relative_to(root))
        for root in roots
        for p in root.rglob("*")
        if p.is_file() and p.suffix in {".html", ".css", ".js", ".svg", ".typ", ".woff2", ".ttf"}
    }
    assert in_source <= names, sorted(in_source - names)


# a fresh venv, pip install and every page served: over 300 s on a saturated 2-core machine
@pytest.mark.timeout(900)
def test_installed_wheel_serves_every_page_and_the_voter_bundle(
    wheel: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run(
        [str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
        check=True,
        cwd=tmp_path,
    )
    data, port = tmp_path / "data", _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BALLOT_", "CONGVU_"))}
    server = subprocess.Popen(
        [str(venv / "bin" / "congvu"), "run", "--port", str(port), "--data-dir", str(data)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{base}/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert server.poll() is None, server.stdout.read() if server.stdout else ""
            assert time.monotonic() < deadline, "congvu run did not answer in 90 s"
            time.sleep(0.5)
        probe = subprocess.run(
            [str(py), str(PROBE), base, str(data)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert probe.returncode == 0, probe.stderr[-3000:]
        report = json.loads(probe.stdout)
    finally:
        server.terminate()
        server.wait(timeout=30)

    # the code that ran is the installed wheel, not this checkout
    assert str(venv) in report["module"], report["module"]
    pages = report["pages"]
    assert {"/", "/docs", "/openapi.json"} <= set(pages)
    for path, seen in pages.items():
        assert seen["status"] < 500, (path, seen)
    assert pages["/"]["status"] == 200 and pages["/"]["type"].startswith("text/html")
    assert pages["/docs"]["status"] == 200
    voter = report["voter_page"]
    assert voter["status"] == 200, voter["html"][:2000]
    assert "thiếu tệp mã hóa" not in voter["html"]
    assert report["packaged_bundle"], "no bundle in the installed package"
    (script,) = report["scripts"].values()
    assert script["status"] == 200 and script["type"].startswith("text/javascript")
    assert script["sha256"] == report["packaged_bundle"]
