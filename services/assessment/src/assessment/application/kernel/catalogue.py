"""The catalogue: every command and query of every context, found from the contexts' modules.

A context hands over its ``handlers`` module (each public function whose ``cmd`` parameter is
annotated with a ``Command`` subclass is that command's handler; its name is the command's
name; its parameters after ``cmd`` are the ids in the command's route), its ``queries`` module
(functions marked with ``@query``) and its permission rows. Nothing registers itself at import:
``Context.collect`` reads the modules when the catalogue is built, and ``Catalogue.of`` refuses
a name used twice, a command without a permission row, or a handler whose ids do not match its
route.
"""

from __future__ import annotations

import inspect
import re
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from assessment.application.kernel.commands import Command
from assessment.application.kernel.permissions import Rows, assemble

Outcome = tuple[Sequence[Aggregate], dict[str, Any]]
"""What a handler returns: the aggregates to save (in one transaction) and the answer."""

F = TypeVar("F", bound=Callable[..., Any])
_PATH_PARAM = re.compile(r"{(\w+)}")


def query(permission: str = "read") -> Callable[[F], F]:
    """Mark a function of a context's ``queries`` module as a query guarded by ``permission``."""

    def mark(fn: F) -> F:
        fn.__dict__["query_permission"] = permission
        return fn

    return mark


@dataclass(frozen=True)
class CommandSpec:
    name: str
    model: type[Command]
    handler: Callable[..., Outcome]
    permission: str
    target: tuple[str, ...]
    """The route's path parameters, in order: the ids the handler takes after ``cmd``."""


@dataclass(frozen=True)
class QuerySpec:
    name: str
    fn: Callable[..., Any]
    permission: str


def _commands(module: ModuleType) -> dict[str, CommandSpec]:
    found: dict[str, CommandSpec] = {}
    for name, fn in vars(module).items():
        if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != module.__name__:
            continue
        hints = typing.get_type_hints(fn)
        model = hints.get("cmd")
        if not (isinstance(model, type) and issubclass(model, Command)):
            continue
        params = list(inspect.signature(fn).parameters)
        if params[:2] != ["run", "cmd"]:
            raise TypeError(f"handler {name} must take (run, cmd, *ids)")
        target = tuple(params[2:])
        in_path = tuple(_PATH_PARAM.findall(model.route.path))
        if target != in_path or any(hints.get(p) is not UUID for p in target):
            raise TypeError(f"handler {name} takes ids {target}, its route has {in_path}")
        found[name] = CommandSpec(name, model, fn, model.permission or name, target)
    return found


def _queries(module: ModuleType) -> dict[str, QuerySpec]:
    return {
        name: QuerySpec(name, fn, fn.__dict__["query_permission"])
        for name, fn in vars(module).items()
        if inspect.isfunction(fn) and "query_permission" in fn.__dict__
    }


@dataclass(frozen=True)
class Context:
    """One bounded context as the application sees it."""

    name: str
    title: str
    commands: Mapping[str, CommandSpec] = field(default_factory=dict)
    queries: Mapping[str, QuerySpec] = field(default_factory=dict)
    permissions: Rows = field(default_factory=dict)
    snapshotted: tuple[type[Aggregate], ...] = ()
    """Aggregates of this context with long histories: snapshotted every N events."""

    @classmethod
    def collect(
        cls,
        name: str,
        title: str,
        *,
        handlers: ModuleType | None = None,
        queries: ModuleType | None = None,
        permissions: Rows | None = None,
        snapshotted: tuple[type[Aggregate], ...] = (),
    ) -> Context:
        return cls(
            name=name,
            title=title,
            commands=_commands(handlers) if handlers else {},
            queries=_queries(queries) if queries else {},
            permissions=dict(permissions or {}),
            snapshotted=snapshotted,
        )


@dataclass(frozen=True)
class Catalogue:
    contexts: tuple[Context, ...]
    commands: Mapping[str, CommandSpec]
    queries: Mapping[str, QuerySpec]
    matrix: Rows

    @classmethod
    def of(cls, contexts: Sequence[Context], *, kernel: Context) -> Catalogue:
        everything = (*contexts, kernel)
        matrix = assemble(*(c.permissions for c in everything))
        commands: dict[str, CommandSpec] = {}
        queries: dict[str, QuerySpec] = {}
        for context in everything:
            for name in {*context.commands, *context.queries}:
                if name in commands or name in queries:
                    raise ValueError(f"'{name}' is defined by two contexts")
            commands.update(context.commands)
            queries.update(context.queries)
        guarded = [(s.name, s.permission) for s in commands.values()]
        guarded += [(q.name, q.permission) for q in queries.values()]
        for name, permission in guarded:
            if permission not in matrix:
                raise ValueError(f"'{name}' needs the row '{permission}' in the permission matrix")
        return cls(tuple(contexts), commands, queries, matrix)


def saved(aggregate: Aggregate, *others: Aggregate, **answer: Any) -> Outcome:
    """The usual outcome: save ``aggregate`` (and ``others``), answer its id and version."""
    return [aggregate, *others], {"id": str(aggregate.id), "version": aggregate.version, **answer}
