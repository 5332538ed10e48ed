"""Strict JSON request bodies for every ballot route: duplicate keys and NaN/Infinity refused.

``json.loads`` keeps the *last* of two equal keys, so ``{"credential": "<bogus>", …,
"credential": "<real>"}`` used to be read as the real one while another parser (a proxy, a
logger, an auditor's tool) may read the first: the same bytes meaning two ballots. Every
ballot router uses :class:`StrictJsonRoute`, whose request parses bodies with
:func:`strict_loads`; a refusal is FastAPI's ordinary ``json_invalid`` validation error, i.e.
``422 request.invalid`` problem+json naming the key (or the position of a syntax error),
and nothing is stored.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute


class _Duplicate(ValueError):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Duplicate(f"khóa JSON bị lặp / duplicate JSON key: {key!r}")
        out[key] = value
    return out


def _constant(name: str) -> Any:
    raise _Duplicate(f"giá trị JSON không chuẩn / non-standard JSON value: {name}")


def strict_loads(data: bytes | str) -> Any:
    """``json.loads`` refusing duplicate object keys and NaN / Infinity (JSONDecodeError)."""
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant)
    except _Duplicate as exc:
        raise json.JSONDecodeError(str(exc), text, 0) from None


class StrictJsonRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = strict_loads(await self.body())
        return self._json


class StrictJsonRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict(request: Request) -> Response:
            strict_request = StrictJsonRequest(request.scope, request.receive)
            if "json" in request.headers.get("content-type", "") and await strict_request.body():
                try:
                    await strict_request.json()
                except json.JSONDecodeError as exc:  # named here: FastAPI's own says only
                    raise RequestValidationError(  # "JSON decode error"
                        [{"type": "json_invalid", "loc": ("body",), "msg": exc.msg, "input": {}}]
                    ) from None
            return await handler(strict_request)

        return strict
