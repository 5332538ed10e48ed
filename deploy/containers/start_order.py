"""Start order of the compose services, for podman versions whose podman-compose cannot wait
for ``depends_on`` conditions (podman < 4.6 has no ``wait --condition healthy``).

    python deploy/containers/start_order.py docker-compose.yml [override.yml ...]

Prints one line per dependency level: each service of that level with, after a colon, what it
must reach before the next level starts (``healthy`` when it has a health check, ``completed``
for a one-shot service with restart "no", else ``running``), e.g.
``postgres:healthy kafka:healthy``. Later files override earlier ones service by service.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml


def merged(paths: list[str]) -> dict[str, dict[str, Any]]:
    services: dict[str, dict[str, Any]] = {}
    for path in paths:
        for name, svc in (yaml.safe_load(Path(path).read_text()) or {}).get("services", {}).items():
            services.setdefault(name, {}).update(svc or {})
    return services


def levels(services: dict[str, dict[str, Any]]) -> list[list[str]]:
    deps = {n: set(s.get("depends_on") or ()) for n, s in services.items()}
    done: set[str] = set()
    out: list[list[str]] = []
    while len(done) < len(deps):
        level = sorted(n for n, d in deps.items() if n not in done and d <= done)
        if not level:
            raise SystemExit(f"dependency cycle among {sorted(set(deps) - done)}")
        out.append(level)
        done.update(level)
    return out


def goal(svc: dict[str, Any]) -> str:
    if str(svc.get("restart", "no")) == "no":
        return "completed"
    return "healthy" if svc.get("healthcheck") else "running"


def main(argv: list[str]) -> None:
    services = merged(argv)
    for level in levels(services):
        print(" ".join(f"{n}:{goal(services[n])}" for n in level))


if __name__ == "__main__":
    main(sys.argv[1:])
