"""Structured logging with a request id, and redaction of anything that looks like a secret."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
from typing import Any

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)

_SECRET_RE = re.compile(
    r"(?i)(password|passwd|secret|token|authorization)(\"?\s*[:=]\s*\"?)([^\s\",}]+)"
)
_URL_PASSWORD_RE = re.compile(r"(://[^:/@\s]+:)([^@\s]+)(@)")


def redact(text: str) -> str:
    text = _URL_PASSWORD_RE.sub(r"\1***\3", text)
    return _SECRET_RE.sub(r"\1\2***", text)


class _Formatter(logging.Formatter):
    def __init__(self, as_json: bool) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")
        self.as_json = as_json

    def format(self, record: logging.LogRecord) -> str:
        rid = request_id_var.get()
        if self.as_json:
            body: dict[str, Any] = {
                "ts": self.formatTime(record),
                "level": record.levelname,
                "logger": record.name,
                "msg": redact(record.getMessage()),
            }
            if rid:
                body["request_id"] = rid
            if record.exc_info:
                body["exc"] = redact(self.formatException(record.exc_info))
            return json.dumps(body, ensure_ascii=False)
        line = redact(super().format(record))
        return f"{line} request_id={rid}" if rid else line


def configure_logging(level: str = "INFO", as_json: bool = False) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter(as_json))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # aiokafka logs an ERROR line per reconnect attempt (dozens a second while a broker is
    # down); our relay and consumer log the state change once themselves
    quiet = logging.DEBUG if level.upper() == "DEBUG" else logging.CRITICAL
    logging.getLogger("aiokafka").setLevel(quiet)
    logging.getLogger("kafka").setLevel(logging.WARNING)
    # psycopg's pool warns once per reconnect attempt (about once a second in an outage); the
    # services log the outage and the recovery themselves
    logging.getLogger("psycopg.pool").setLevel(
        logging.DEBUG if level.upper() == "DEBUG" else logging.ERROR
    )
