"""Pages off the event loop (``shared.web.threaded``): a ``@page`` handler runs in a worker
thread, never on the loop's; at most ``CONGVU_PAGE_THREADS`` run at once; the loop's helpers
work from there and refuse to run on the loop itself."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated

import pytest
from fastapi import FastAPI, Query, Request
from fastapi.testclient import TestClient

from shared.web import threaded


def test_a_page_runs_in_the_pages_threads_with_its_parameters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CONGVU_PAGE_THREADS", "2")
    app = FastAPI()
    seen: dict[str, int] = {}
    running = 0
    most = 0
    lock = threading.Lock()

    @app.get("/loop")
    async def loop_thread() -> dict[str, int]:
        return {"thread": threading.get_ident()}

    @app.get("/page")
    @threaded.page
    def page(request: Request, n: Annotated[int, Query(ge=1, le=5)] = 1) -> dict[str, int]:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        seen["thread"] = threading.get_ident()
        return {"n": n}

    with TestClient(app) as client:
        loop = client.get("/loop").json()["thread"]
        assert client.get("/page?n=3").json() == {"n": 3}
        assert client.get("/page?n=9").status_code == 422  # the handler's own validation
        assert seen["thread"] != loop
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda _: client.get("/page").status_code, range(8)))
    assert answers == [200] * 8
    assert most == 2


def test_the_loop_helpers_refuse_to_run_on_the_loop() -> None:
    app = FastAPI()

    @app.get("/wrong")
    async def wrong(request: Request) -> dict[str, str]:
        try:
            threaded.current_viewer(request)
        except RuntimeError:
            return {"refused": "yes"}
        return {"refused": "no"}

    with TestClient(app) as client:
        assert client.get("/wrong").json() == {"refused": "yes"}


def test_a_page_reads_its_form_and_an_upload_through_the_loop() -> None:
    app = FastAPI()

    @app.post("/upload")
    @threaded.page
    def upload(request: Request) -> dict[str, str | int]:
        form = threaded.form(request, max_files=1, max_fields=5)
        file = form["file"]
        assert not isinstance(file, str)
        data = threaded.wait(file.read)
        return {"note": str(form["note"]), "size": len(data), "name": str(file.filename)}

    with TestClient(app) as client:
        resp = client.post(
            "/upload", data={"note": "Ghi chú"}, files={"file": ("so.csv", b"a,b\n1,2\n")}
        )
    assert resp.json() == {"note": "Ghi chú", "size": 8, "name": "so.csv"}
