"""Wheel build hook: the voter page's browser bundle goes into the wheel.

``services/ballot/web`` (JavaScript sources, ``node_modules``) is not a Python package, so a plain
``pip wheel .`` would ship the voter page without its script and the page would say it is
unavailable. ``build_py`` therefore puts ``voter.bundle.js`` into ``ballot/web_dist/`` of the
wheel: built with ``node tools/build.mjs`` when Node and the npm dependencies are present
(``make web-deps``), else taken from ``services/ballot/src/ballot/web_dist/`` where the image's
Node stage put it. Neither: the build fails, naming the command to run
(``CONGVU_WHEEL_WITHOUT_BUNDLE=1`` allows it anyway). Editable installs are left alone: in a
checkout the page builds its bundle from the sources itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
WEB = ROOT / "services" / "ballot" / "web"
PREBUILT = ROOT / "services" / "ballot" / "src" / "ballot" / "web_dist"
BUNDLE = "voter.bundle.js"


class BuildPyWithBundle(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        out = (Path(self.build_lib) / "ballot" / "web_dist").resolve()
        node = shutil.which("node")
        if node and (WEB / "node_modules" / "esbuild").is_dir():
            out.mkdir(parents=True, exist_ok=True)
            subprocess.run([node, "tools/build.mjs", str(out)], cwd=WEB, check=True)  # noqa: S603
        elif (PREBUILT / BUNDLE).is_file():
            out.mkdir(parents=True, exist_ok=True)
            for f in PREBUILT.glob("*.js"):
                shutil.copy2(f, out / f.name)
        elif os.environ.get("CONGVU_WHEEL_WITHOUT_BUNDLE") != "1":
            raise SystemExit(
                "congvu wheel: no voter bundle. Run `make web-deps` (npm ci in services/ballot/web)"
                " or `make bundle`, or set CONGVU_WHEEL_WITHOUT_BUNDLE=1 to build without it."
            )
        # crypto.bundle.js (benchmarks) is not served by any page: keep the wheel lean
        (out / "crypto.bundle.js").unlink(missing_ok=True)


setup(cmdclass={"build_py": BuildPyWithBundle})
