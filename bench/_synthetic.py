"""National-scale histories for the rebuild benchmark, written straight into the event store.

Writing 1,000,000 events through the domain would take most of an hour on these 2 cores, so
the benchmark writes one realistic history through the domain (``_rebuild_history.build_history``)
and then copies it, tenant by tenant, with ``COPY``: copy *k* gets tenant ``<tenant>-k`` and
every aggregate id of the original mapped to ``uuid5(<id>, k)`` — in the rows' ``originator_id``
and wherever the id occurs inside an event's JSON (references between aggregates) — so each
copy is a separate, consistent province with its own units, cycles and assessments. Versions,
topics and payloads are the original's; notification ids continue the store's sequence.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable

import psycopg

_UUID = re.compile(rb"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}")


def replicate(
    url: str,
    table: str,
    tenant: str,
    target: int,
    say: Callable[[str], None] = print,
) -> int:
    """Copy the history in ``table`` until it holds at least ``target`` events; the count."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            f"SELECT originator_id, originator_version, topic, state FROM {table} "
            "ORDER BY notification_id"
        ).fetchall()
        ids = {r[0] for r in rows}
        base = len(rows)
        copies = max(0, -(-target // base) - 1)
        t0 = time.perf_counter()
        old_tenant = f'"tenant":"{tenant}"'.encode()
        for k in range(1, copies + 1):
            mapping: dict[bytes, bytes] = {}
            for u in ids:
                new = uuid.uuid5(u, str(k))
                mapping[u.hex.encode()] = new.hex.encode()
                mapping[str(u).encode()] = str(new).encode()

            def swap(m: re.Match[bytes], mapping: dict[bytes, bytes] = mapping) -> bytes:
                return mapping.get(m.group(0), m.group(0))

            new_tenant = f'"tenant":"{tenant}-{k:03d}"'.encode()
            with (
                conn.cursor() as cur,
                cur.copy(
                    f"COPY {table} (originator_id, originator_version, topic, state) FROM STDIN"
                ) as copy,
            ):
                for oid, version, topic, state in rows:
                    body = _UUID.sub(swap, bytes(state)).replace(old_tenant, new_tenant)
                    copy.write_row((uuid.uuid5(oid, str(k)), version, topic, body))
            conn.commit()
            if k % 5 == 0 or k == copies:
                done = base * (k + 1)
                say(
                    f"  copies: {k}/{copies}, {done:,} events, "
                    f"{done / (time.perf_counter() - t0):,.0f} events/s written"
                )
        return base * (copies + 1)
