"""The contexts of the assessment service, by name: the one list a new context joins.

Each name is a package in every layer (``domain/<name>/``, ``application/<name>/``,
``entrypoints/api/<name>.py``, ``entrypoints/web/<name>/``). A context takes part once its
``application/<name>/__init__.py`` defines ``CONTEXT`` (a ``Context.collect(...)``); until then
it is an empty place. The catalogue of every command and query, and the one permission matrix,
are built from them here, when this module is first imported (no I/O).
"""

from __future__ import annotations

import importlib

from assessment.application.kernel import audit
from assessment.application.kernel.catalogue import Catalogue, Context
from assessment.application.kernel.permissions import KERNEL_ROWS

NAMES: tuple[str, ...] = (
    "registry",
    "collective",
    "individual",
    "cchc",
    "inspection",
    "remediation",
)

KERNEL = Context.collect(
    "kernel",
    "Dùng chung: đọc, kiểm toán / Shared: reads, audit",
    queries=audit,
    permissions=KERNEL_ROWS,
)


def load_contexts(names: tuple[str, ...] = NAMES) -> tuple[Context, ...]:
    """The contexts that have a ``CONTEXT``, in the order named."""
    found = []
    for name in names:
        context = getattr(
            importlib.import_module(f"assessment.application.{name}"), "CONTEXT", None
        )
        if context is not None:
            if context.name != name:
                raise ValueError(f"application.{name} defines the context '{context.name}'")
            found.append(context)
    return tuple(found)


CATALOGUE = Catalogue.of(load_contexts(), kernel=KERNEL)
