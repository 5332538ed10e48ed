"""Registry context: units (register, rename, merge, dissolve, split) and assignments (grant,
revoke). Commands in ``commands``, one handler each in ``handlers``, reads in ``queries``, its
rows of the permission matrix in ``permissions``; ``api`` is what other contexts may use."""

from __future__ import annotations

from assessment.application.kernel.catalogue import Context
from assessment.application.registry import handlers, permissions, queries

CONTEXT = Context.collect(
    "registry",
    "Đơn vị và phân công / Units and assignments",
    handlers=handlers,
    queries=queries,
    permissions=permissions.ROWS,
)
