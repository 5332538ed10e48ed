"""Keep voters' network addresses out of the logs.

uvicorn's access logger writes ``client_addr - "METHOD path HTTP/x" status``. For ballot routes
this filter drops the line entirely when it would tie a time and an address to a cast, an
audit or a tracker lookup, and replaces the client address with ``-`` on every other ballot
route. Our own code never logs in the cast path.
"""

from __future__ import annotations

import logging
import re
from typing import Final

BALLOT_PREFIX: Final = "/v1/ballot/"
_SENSITIVE = re.compile(r"/v1/ballot/elections/[^/?]+/(ballots|audits|trackers/)")


class AnonymousBallotAccessFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if not isinstance(args, tuple) or len(args) < 3 or not isinstance(args[2], str):
            return True
        path = args[2]
        if BALLOT_PREFIX not in path:
            return True
        if _SENSITIVE.search(path):
            return False
        record.args = ("-", *args[1:])
        return True


def install_access_log_filter() -> None:
    """Idempotent: attach the filter to uvicorn's access logger once."""
    logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, AnonymousBallotAccessFilter) for f in logger.filters):
        logger.addFilter(AnonymousBallotAccessFilter())
