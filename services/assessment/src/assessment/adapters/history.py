"""Reading the history out of the store: full verification, NDJSON export per tenant and cycle.

Export format (one JSON object per line, UTF-8):
``{"kind": "header", ...}``, then ``{"kind": "event", "envelope": {...}}`` for every event of
the cycle's aggregates (the cycle, its unit assessments, the enrolled units) in global order,
then ``{"kind": "link", ...}`` for every chain link up to the sealed head (other tenants'
contents are not exported, their links are), then ``{"kind": "checkpoint", ...}``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from uuid import UUID

from eventsourcing.persistence import Notification

from assessment.adapters.contract_mapping import direct_envelope, is_published, to_envelope
from assessment.adapters.event_tags import check_tag
from assessment.adapters.sealer import Sealer
from shared.audit import ChainLink, Checkpoint, Finding
from shared.envelope import Envelope, canonical_json

EXPORT_FORMAT = "congvu.audit.export.v1"


def iter_envelopes(
    app: Any, *, after: int = 0, up_to: int | None = None, page: int = 1000
) -> Iterator[Envelope]:
    """Every published event in global order, read in pages (streaming)."""
    position = after
    while True:
        notes = app.recorder.select_notifications(
            start=position, limit=page, stop=up_to, inclusive_of_start=False
        )
        if not notes:
            return
        for note in notes:
            if is_published(note.topic):
                yield to_envelope(app.mapper, note)
        position = int(notes[-1].id)


def with_chain(sealer: Sealer | None, envelopes: Iterator[Envelope]) -> list[Envelope]:
    """The envelopes with their chain fields where the sealer has chained them already (the
    newest may not be yet: they stay as they are), for readers that show the chain's status."""
    out = list(envelopes)
    if sealer is None or not out:
        return out
    links = sealer.links(out[0].global_position - 1, out[-1].global_position)
    return [
        replace(e, prev_hash=lk.prev_hash, hash=lk.hash)
        if (lk := links.get(e.global_position)) is not None
        else e
        for e in out
    ]


def tag_findings(app: Any, key: bytes, *, page: int = 1000) -> list[Finding]:
    """Every stored row (published or not) whose HMAC tag is missing or wrong: a row that did
    not come through the application (``untagged``: inserted by SQL; ``wrong_tag``: edited,
    copied under another aggregate or version, or tagged with another key), in store order."""
    found: list[Finding] = []
    position = 0
    while True:
        notes = app.recorder.select_notifications(
            start=position, limit=page, inclusive_of_start=False
        )
        if not notes:
            return found
        for note in notes:
            problem = check_tag(
                key, note.originator_id, note.originator_version, note.topic, note.state
            )
            if problem is not None:
                found.append(
                    Finding(
                        problem,
                        int(note.id),
                        None,
                        f"aggregate {note.originator_id} version {note.originator_version} "
                        f"({note.topic}): not written by the application",
                    )
                )
        position = int(notes[-1].id)


def cycle_aggregate_ids(app: Any, tenant: str, cycle_id: str) -> set[str]:
    """The cycle, its unit assessments and the units it enrolled."""
    ids = {cycle_id}
    for env in iter_envelopes(app):
        if env.tenant != tenant:
            continue
        if env.aggregate_id == cycle_id and env.type.endswith(".UnitsEnrolled"):
            ids.update(env.payload.get("unit_ids", []))
        elif (
            env.type == "assessment.UnitAssessment.Opened"
            and env.payload.get("cycle_id") == cycle_id
        ):
            ids.add(env.aggregate_id)
    return ids


def export_lines(
    app: Any,
    sealer: Sealer,
    *,
    tenant: str,
    cycle_id: str,
    public_key_pem: str | None,
    seal: bool = True,
    progress: Callable[[int, int], None] | None = None,
    counts: dict[str, int] | None = None,
) -> Iterator[str]:
    """The export, line by line (streamed: nothing is held in memory but the id set)."""
    if seal:
        sealer.seal(10**9)  # export only what is sealed, and seal everything first
    _, head_position, head_hash, count = sealer.head()
    ids = cycle_aggregate_ids(app, tenant, cycle_id)
    header = {
        "kind": "header",
        "format": EXPORT_FORMAT,
        "service": sealer.service,
        "tenant": tenant,
        "cycle_id": cycle_id,
        "aggregate_ids": sorted(ids),
        "head_position": head_position,
        "head_hash": head_hash,
        "chain_count": count,
        "exported_at": datetime.now(UTC).isoformat(),
        "public_key_pem": public_key_pem,
    }
    tally = counts if counts is not None else {}
    tally.update(events=0, links=0, checkpoints=0)
    yield json.dumps(header, ensure_ascii=False) + "\n"
    for env in iter_envelopes(app, up_to=head_position):
        if env.tenant == tenant and env.aggregate_id in ids:
            tally["events"] += 1
            yield canonical_json({"kind": "event", "envelope": env.to_dict()}).decode() + "\n"
        if progress:
            progress(env.global_position, head_position)
    for lk in sealer.all_links():
        if lk.position <= head_position:
            tally["links"] += 1
            yield json.dumps({"kind": "link", **lk.to_dict()}) + "\n"
    for cp in sealer.checkpoints(0, head_position, limit=10**9):
        tally["checkpoints"] += 1
        yield json.dumps({"kind": "checkpoint", **cp.to_dict()}) + "\n"


def write_export(
    app: Any,
    sealer: Sealer,
    out: IO[str],
    *,
    tenant: str,
    cycle_id: str,
    public_key_pem: str | None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in export_lines(
        app,
        sealer,
        tenant=tenant,
        cycle_id=cycle_id,
        public_key_pem=public_key_pem,
        progress=progress,
        counts=counts,
    ):
        out.write(line)
    return counts


@dataclass
class Export:
    header: dict[str, Any]
    envelopes: list[Envelope] = field(default_factory=list)
    links: list[ChainLink] = field(default_factory=list)
    checkpoints: list[Checkpoint] = field(default_factory=list)


def read_export(path: Path) -> Export:
    export: Export | None = None
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                kind = item.pop("kind")
            except (ValueError, KeyError, AttributeError) as exc:
                raise ValueError(f"dòng {number}: không đọc được ({exc})") from None
            if kind == "header":
                if item.get("format") != EXPORT_FORMAT:
                    raise ValueError(f"dòng {number}: định dạng không hỗ trợ")
                export = Export(item)
            elif export is None:
                raise ValueError("thiếu dòng header ở đầu tệp")
            elif kind == "event":
                export.envelopes.append(Envelope.from_dict(item["envelope"]))
            elif kind == "link":
                export.links.append(ChainLink(**item))
            elif kind == "checkpoint":
                export.checkpoints.append(Checkpoint.from_dict(item))
            else:
                raise ValueError(f"dòng {number}: loại '{kind}' không biết")
    if export is None:
        raise ValueError("tệp rỗng")
    return export


def iter_envelope_batches(app: Any, *, page: int = 2000) -> Iterator[tuple[list[Envelope], int]]:
    """Pages of published envelopes with the store position each page reaches."""
    from eventsourcing.postgres import PostgresDatastore

    if isinstance(getattr(app.recorder, "datastore", None), PostgresDatastore):
        yield from _postgres_batches(app, page)  # plain rows, not Notification objects
        return
    position = 0
    while True:
        notes = app.recorder.select_notifications(
            start=position, limit=page, inclusive_of_start=False
        )
        if not notes:
            return
        position = int(notes[-1].id)
        yield [to_envelope(app.mapper, n) for n in notes if is_published(n.topic)], position


def _postgres_batches(app: Any, page: int) -> Iterator[tuple[list[Envelope], int]]:
    """The same pages as ``select_notifications`` gives (notification order, ``page`` rows at a
    time), read as tuples in binary with the aggregate id as text; the next page is fetched in
    a thread while this one is mapped (the driver waits on the socket without the GIL). Each
    row is mapped by the direct path, or through a ``Notification`` and the domain event when
    it needs it."""
    from concurrent.futures import ThreadPoolExecutor

    from psycopg.rows import tuple_row
    from psycopg.sql import SQL, Identifier

    recorder, mapper = app.recorder, app.mapper
    query = SQL(
        "SELECT notification_id, originator_id::text, originator_version, topic, state "
        "FROM {}.{} WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
    ).format(Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name))

    def fetch(after: int) -> list[tuple[Any, ...]]:
        with (
            recorder.datastore.get_connection() as conn,
            conn.cursor(row_factory=tuple_row, binary=True) as curs,
        ):
            curs.execute(query, (after, page), prepare=True)
            return curs.fetchall()

    with ThreadPoolExecutor(1, thread_name_prefix="history-read") as reader:
        rows = fetch(0)
        while rows:
            position = int(rows[-1][0])
            ahead = reader.submit(fetch, position)
            yield _map_rows(mapper, rows), position
            rows = ahead.result()


def _map_rows(mapper: Any, rows: list[tuple[Any, ...]]) -> list[Envelope]:
    out = []
    for nid, oid, version, topic, state in rows:
        if not is_published(topic):
            continue
        env = direct_envelope(mapper, nid, oid, version, topic, state)
        if env is None:
            note = Notification(
                id=nid,
                originator_id=UUID(oid),
                originator_version=version,
                topic=topic,
                state=bytes(state),
            )
            env = to_envelope(mapper, note)
        out.append(env)
    return out
