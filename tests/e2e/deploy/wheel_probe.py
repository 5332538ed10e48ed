"""Run by the interpreter of a virtualenv that holds only the built wheel (not by pytest).

    <venv>/bin/python wheel_probe.py <base url> <data dir of the running `congvu run`>

Requests every GET route of the embedded app that has no path parameter (with a token of the
dev issuer where the route wants one), then opens an election through the ballot API with the
package's own harness and fetches its voter page and the script the page names. Prints one
JSON report on stdout; the test judges it.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from fastapi.routing import APIRoute
from starlette.routing import Route

import ballot.entrypoints.web as web
from ballot.harness import ElectionDriver, Trustee, election_request
from embedded.app import create_embedded_app, dev_issuer_for

TENANT = "quang-tri"


def main() -> None:
    base, data_dir = sys.argv[1], Path(sys.argv[2])
    issuer = dev_issuer_for(data_dir)

    def headers(role: str) -> dict[str, str]:
        token = issuer.mint(subject=f"{role}.1", tenant=TENANT, role=role, unit="SNV")
        return {"Authorization": f"Bearer {token}"}

    report: dict[str, object] = {"module": web.__file__, "pages": {}}
    with tempfile.TemporaryDirectory() as scratch:
        app = create_embedded_app(Path(scratch), demo=False)  # only to list its routes
        routes = sorted(
            {
                r.path
                for r in app.routes
                if isinstance(r, APIRoute | Route)
                and "GET" in (r.methods or ())
                and "{" not in r.path
            }
        )
    pages: dict[str, object] = {}
    with httpx.Client(base_url=base, timeout=30) as http:
        for path in routes:
            r = http.get(path, headers=headers("auditor"))
            pages[path] = {"status": r.status_code, "type": r.headers.get("content-type", "")}
        driver = ElectionDriver(http, headers, [Trustee.generate(i) for i in (1, 2, 3)])
        driver.setup_open(
            election_request(
                driver.trustees,
                summoned=3,
                threshold=2,
                min_ballots=1,
                opens_at=datetime.now(UTC) - timedelta(minutes=1),
            ),
            voters=3,
        )
        page = http.get(f"/bo-phieu/{driver.election_id}")
        report["voter_page"] = {"status": page.status_code, "html": page.text}
        marker = '<script type="module" src="'
        scripts = [part.split('"', 1)[0] for part in page.text.split(marker)[1:]]
        served = {}
        for src in scripts:
            s = http.get(src)
            served[src] = {
                "status": s.status_code,
                "type": s.headers.get("content-type", ""),
                "sha256": hashlib.sha256(s.content).hexdigest(),
            }
        report["scripts"] = served
    packaged = web.PACKAGED_DIR / web.BUNDLE_NAME
    report["packaged_bundle"] = (
        hashlib.sha256(packaged.read_bytes()).hexdigest() if packaged.is_file() else None
    )
    report["pages"] = pages
    print(json.dumps(report))


if __name__ == "__main__":
    main()
