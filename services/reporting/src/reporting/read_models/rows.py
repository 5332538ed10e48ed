"""Rows of a read model folded in batches: the rows a batch touches are read with one query
per table, every envelope is folded into its row in memory (pure functions of the read model),
and each changed row is written once. Any read model may use these."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from reporting.adapters.db import Tx

Row = dict[str, Any]


@dataclass(frozen=True)
class Table:
    name: str
    key: str
    columns: tuple[str, ...]
    json_columns: frozenset[str]


_CHUNK = 500


def load_rows(tx: Tx, table: Table, ids: list[str]) -> dict[str, Row]:
    rows: dict[str, Row] = {}
    cols = ", ".join(table.columns)
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        marks = ", ".join(["%s"] * len(chunk))
        for values in tx.fetchall(
            f"SELECT {cols} FROM {table.name} WHERE {table.key} IN ({marks})",  # noqa: S608
            chunk,
        ):
            row = dict(zip(table.columns, values, strict=True))
            for c in table.json_columns:
                row[c] = json.loads(row[c]) if row[c] is not None else None
            rows[str(row[table.key])] = row
    return rows


def _values(table: Table, rows: list[Row]) -> list[tuple[Any, ...]]:
    return [
        tuple(
            (json.dumps(row[c], ensure_ascii=False) if row[c] is not None else None)
            if c in table.json_columns
            else row[c]
            for c in table.columns
        )
        for row in rows
    ]


def store_rows(tx: Tx, table: Table, rows: list[Row]) -> None:
    if not rows:
        return
    cols = ", ".join(table.columns)
    marks = ", ".join(["%s"] * len(table.columns))
    updates = ", ".join(f"{c} = excluded.{c}" for c in table.columns if c != table.key)
    sql = (
        f"INSERT INTO {table.name} ({cols}) VALUES ({marks}) "  # noqa: S608
        f"ON CONFLICT ({table.key}) DO UPDATE SET {updates}"
    )
    tx.executemany(sql, _values(table, rows))


def insert_new_rows(tx: Tx, table: Table, rows: list[Row]) -> None:
    """Rows not in the table yet (a rebuild's first write of each): the same values as
    ``store_rows``, with ``COPY`` where the transaction offers it (``copy_rows``)."""
    if not rows:
        return
    copy = getattr(tx, "copy_rows", None)
    if copy is not None:
        copy(table.name, table.columns, _values(table, rows))
        return
    cols = ", ".join(table.columns)
    marks = ", ".join(["%s"] * len(table.columns))
    tx.executemany(
        f"INSERT INTO {table.name} ({cols}) VALUES ({marks})",  # noqa: S608
        _values(table, rows),
    )
