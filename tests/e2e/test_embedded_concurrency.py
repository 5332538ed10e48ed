"""Embedded mode under concurrent writers: the sealer must not stall saves (SQLite shares one
file for events and chain; a sealer holding the write lock while reading through the store's
connection used to block every writer until a timeout)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from fastapi.testclient import TestClient

from embedded.app import create_embedded_app
from helpers import TEST_ISSUER, headers


def test_concurrent_commands_with_the_relay_and_sealer_running(tmp_path: Path) -> None:
    with TestClient(create_embedded_app(tmp_path, demo=False, issuer=TEST_ISSUER)) as client:
        errors: list[str] = []
        start = threading.Barrier(6)

        def writer(n: int) -> None:
            start.wait()
            for i in range(15):
                resp = client.post(
                    "/v1/units",
                    json={"code": f"W{n}-{i}", "name": f"Đơn vị {n}", "kind": "department"},
                    headers=headers(),
                )
                if resp.status_code != 201:
                    errors.append(f"{resp.status_code} {resp.text[:120]}")

        began = time.monotonic()
        threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - began
        assert errors == []
        assert elapsed < 20, f"90 commands took {elapsed:.1f} s: writers were stalled"
        sealer = client.app.state.sealer  # type: ignore[attr-defined]
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and sealer.head()[3] < 90:
            time.sleep(0.05)
        assert sealer.head()[3] == 90  # every event chained, once
