"""The HTTP load of ``http_commands.py``: the raw HTTP/1.1 keep-alive client, one measured run
against a uvicorn layout, and the bearer tokens of the mix."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from _common import (
    CommandMix,
    LatencyStats,
    Seeded,
    cpu_seconds_of,
    pg_backend_pids,
    py_spy,
    system_cpu_busy,
)
from _http_server import Layout, Server

from shared.auth import DevIssuer


# ------------------------------------------------------------------ HTTP load
class RawClient:
    """A minimal HTTP/1.1 keep-alive client: one connection per in-flight slot.

    httpx costs ~2–3 ms of CPU per request on these machines, which on 2 shared cores takes CPU
    from the server under test; this client costs a fraction of that. Same requests, same
    checks (status line and Content-Length body)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: bytes, headers: dict[str, str]) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.writer.write(
            (
                f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                f"{head}\r\n"
            ).encode()
            + body
        )
        raw = await self.reader.readuntil(b"\r\n\r\n")
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        length = None
        close = False
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "connection" and value.strip().lower() == "close":
                close = True
        if length is None:
            raise ConnectionError("response without Content-Length")
        await self.reader.readexactly(length)
        if close:
            await self.close()
        return status

    async def close(self) -> None:
        writer, self.writer, self.reader = self.writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


async def drive_http(
    base_urls: list[str],
    mix: CommandMix,
    concurrency: int,
    seconds: float,
    max_requests: int,
    record: bool,
    tokens: dict[tuple[str, str], str],
    client_kind: str = "httpx",
) -> tuple[list[float], Counter[str], float]:
    """``concurrency`` coroutines, each sending its next command when the previous answered."""
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    issued = 0
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with contextlib.AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(
                httpx.AsyncClient(base_url=url, limits=limits, timeout=30.0)
            )
            for url in base_urls
        ]

        async def send(
            slot: int,
            raw: RawClient | None,
            path: str,
            body: dict[str, Any],
            headers: dict[str, str],
        ) -> int:
            if raw is None:
                resp = await clients[slot % len(clients)].post(path, json=body, headers=headers)
                return resp.status_code
            data = json.dumps(body, ensure_ascii=False).encode()
            return await asyncio.wait_for(raw.post(path, data, headers), 30.0)

        async def worker(slot: int) -> None:
            nonlocal issued
            host, port = base_urls[slot % len(base_urls)].removeprefix("http://").split(":")
            raw = RawClient(host, int(port)) if client_kind == "raw" else None
            try:
                while loop.time() < deadline and issued < max_requests:
                    issued += 1
                    cmd = mix.next()
                    t0 = time.perf_counter()
                    try:
                        status = await send(
                            slot,
                            raw,
                            cmd.path(),
                            cmd.body(),
                            {"Authorization": f"Bearer {tokens[cmd.token_key()]}"},
                        )
                    except (
                        httpx.HTTPError,
                        OSError,
                        asyncio.IncompleteReadError,
                        TimeoutError,
                        ValueError,
                    ) as exc:
                        errors[type(exc).__name__] += 1
                        if raw is not None:
                            await raw.close()
                        await asyncio.sleep(0.01)  # no busy loop against a failing server
                        continue
                    took = time.perf_counter() - t0
                    if status == 201:
                        if record:
                            latencies.append(took)
                    else:
                        errors[str(status)] += 1
            finally:
                if raw is not None:
                    await raw.close()

        start = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(concurrency)))
        elapsed = time.perf_counter() - start
    return latencies, errors, elapsed


def run_http(
    database_url: str,
    mix: CommandMix,
    layout: Layout,
    concurrency: int,
    seconds: float,
    warmup: float,
    max_requests: int,
    log_dir: Path,
    client_kind: str,
    tokens: dict[tuple[str, str], str],
    group_commit: bool,
    profile: Path | None = None,
    stack: str = "standard",
    token_cache: bool = True,
    gc_tuning: bool = True,
) -> LatencyStats:
    server = Server(
        database_url,
        layout,
        log_dir,
        issuer_key_file(log_dir),
        group_commit,
        stack,
        token_cache,
        gc_tuning,
    )
    server.start()
    try:
        if warmup > 0:
            asyncio.run(
                drive_http(
                    server.base_urls,
                    mix,
                    concurrency,
                    warmup,
                    max_requests,
                    False,
                    tokens,
                    client_kind,
                )
            )
        pids = server.pids()
        pg_pids = pg_backend_pids(database_url)
        server_cpu0, pg_cpu0 = cpu_seconds_of(pids), cpu_seconds_of(pg_pids)
        meter = system_cpu_busy()
        cpu0 = time.process_time()
        with py_spy(pids, profile):
            latencies, errors, elapsed = asyncio.run(
                drive_http(
                    server.base_urls,
                    mix,
                    concurrency,
                    seconds,
                    max_requests,
                    True,
                    tokens,
                    client_kind,
                )
            )
        client_cpu = (time.process_time() - cpu0) / elapsed
        server_cpu = (cpu_seconds_of(pids) - server_cpu0) / elapsed
        pg_cpu = (cpu_seconds_of(pg_pids) - pg_cpu0) / elapsed
        busy = meter()
        stats = LatencyStats.of(
            f"HTTP {layout} {stack} {concurrency} in flight, group commit "
            f"{'on' if group_commit else 'off'}, {client_kind}"
            + ("" if token_cache else ", no token cache")
            + ("" if gc_tuning else ", default gc"),
            latencies,
            elapsed,
            errors=sum(errors.values()),
        )
        stats.extra = {
            "error_kinds": dict(errors),
            "client_cpu_cores": round(client_cpu, 2),
            "server_cpu_cores": round(server_cpu, 2),
            "postgres_backends_cpu_cores": round(pg_cpu, 2),
            "machine_busy_cores": round(busy, 2),
            "other_cpu_cores": round(max(0.0, busy - client_cpu - server_cpu - pg_cpu), 2),
        }
        if errors:
            print(f"  errors: {dict(errors)}; server log tail:\n{server.log_tail()[-800:]}")
        return stats
    finally:
        server.stop()


def issuer_key_file(directory: Path) -> Path:
    return directory / "dev-issuer.pem"


def mint_tokens(issuer: DevIssuer, seeded: Seeded) -> dict[tuple[str, str], str]:
    """One bearer token per (tenant, acting unit) of the mix."""
    return {
        (tenant, actor["acting_for"]): issuer.mint(
            subject=actor["subject"],
            tenant=tenant,
            role=actor["role"],
            unit=actor["acting_for"],
            ttl=4 * 3600,
        )
        for tenant, actor in seeded.token_actors()
    }
