"""SQL storage of the boards (PostgreSQL or SQLite through ``shared.sql``, one dialect).

``ballot_board`` and ``ballot_checkpoints`` are the public record; both are append-only
(triggers refuse UPDATE and DELETE). Every other table is an index derived from the board in the
same transaction: the election head (the row each append locks), listed credentials with their
last ballot, trackers, the ``α`` values seen, the relay outbox and idempotency answers.

Anonymity by construction: no table has a time column next to a ballot; nothing here records a
client address, cookie, token subject or code for a ballot. Lifecycle entries (organiser and
trustee actions) carry their own ``at`` inside the body.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ballot.domain.board import Entry
from shared.audit import Checkpoint
from shared.envelope import canonical_json
from shared.sql import Database, Tx

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS ballot_elections (
        election_id TEXT PRIMARY KEY, tenant TEXT NOT NULL, status TEXT NOT NULL,
        head_seq BIGINT NOT NULL, head_hash TEXT NOT NULL, state_version BIGINT NOT NULL,
        ballots BIGINT NOT NULL, last_checkpoint BIGINT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS ballot_board (
        election_id TEXT NOT NULL, seq BIGINT NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL,
        prev_hash TEXT, hash TEXT NOT NULL, PRIMARY KEY (election_id, seq))""",
    """CREATE TABLE IF NOT EXISTS ballot_checkpoints (
        election_id TEXT NOT NULL, seq BIGINT NOT NULL, head_hash TEXT NOT NULL,
        signed_at TEXT NOT NULL, key_id TEXT NOT NULL, signature TEXT NOT NULL,
        PRIMARY KEY (election_id, seq))""",
    """CREATE TABLE IF NOT EXISTS ballot_credentials (
        election_id TEXT NOT NULL, credential TEXT NOT NULL, last_seq BIGINT,
        PRIMARY KEY (election_id, credential))""",
    """CREATE TABLE IF NOT EXISTS ballot_trackers (
        election_id TEXT NOT NULL, tracker TEXT NOT NULL, seq BIGINT NOT NULL,
        credential TEXT NOT NULL, PRIMARY KEY (election_id, tracker))""",
    """CREATE TABLE IF NOT EXISTS ballot_alphas (
        election_id TEXT NOT NULL, alpha TEXT NOT NULL, credential TEXT NOT NULL,
        PRIMARY KEY (election_id, alpha))""",
    # audited (spoiled) ballots waiting for the close, which publishes them sorted by tracker:
    # the audit document only (no credential, no time), so nothing links them to a voter
    """CREATE TABLE IF NOT EXISTS ballot_audits (
        election_id TEXT NOT NULL, tracker TEXT NOT NULL, body TEXT NOT NULL,
        PRIMARY KEY (election_id, tracker))""",
    """CREATE TABLE IF NOT EXISTS ballot_outbox (
        position BIGINT PRIMARY KEY, election_id TEXT NOT NULL, seq BIGINT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS ballot_outbox_head (
        id INTEGER PRIMARY KEY, position BIGINT NOT NULL)""",
    """INSERT INTO ballot_outbox_head (id, position) VALUES (1, 0) ON CONFLICT (id) DO NOTHING""",
    """CREATE TABLE IF NOT EXISTS ballot_idempotency (
        tenant TEXT NOT NULL, idem_key TEXT NOT NULL, request_hash TEXT NOT NULL,
        response TEXT NOT NULL, PRIMARY KEY (tenant, idem_key))""",
]

_PG_IMMUTABLE = [
    """CREATE OR REPLACE FUNCTION ballot_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'ballot board tables are append-only'; END; $$ LANGUAGE plpgsql""",
]
for _table in ("ballot_board", "ballot_checkpoints", "ballot_audits"):
    _PG_IMMUTABLE += [
        f"DROP TRIGGER IF EXISTS {_table}_append_only ON {_table}",
        f"""CREATE TRIGGER {_table}_append_only BEFORE UPDATE OR DELETE ON {_table}
            FOR EACH ROW EXECUTE FUNCTION ballot_append_only()""",
        f"DROP TRIGGER IF EXISTS {_table}_no_truncate ON {_table}",
        f"""CREATE TRIGGER {_table}_no_truncate BEFORE TRUNCATE ON {_table}
            FOR EACH STATEMENT EXECUTE FUNCTION ballot_append_only()""",
    ]

_SQLITE_IMMUTABLE = [
    f"""CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table}
        BEGIN SELECT RAISE(ABORT, 'ballot board tables are append-only'); END"""
    for table in ("ballot_board", "ballot_checkpoints", "ballot_audits")
    for op in ("UPDATE", "DELETE")
]


@dataclass(frozen=True)
class Head:
    election_id: str
    tenant: str
    status: str
    seq: int
    hash: str
    state_version: int
    ballots: int
    last_checkpoint: int


class BoardStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._for_update = " FOR UPDATE" if db.dialect == "postgres" else ""

    def ensure_schema(self) -> None:
        with self.db.transaction() as tx:
            if self.db.dialect == "postgres":
                # serialise concurrent first starts (CREATE ... IF NOT EXISTS can still race)
                tx.execute("SELECT pg_advisory_xact_lock(72010596)")
            for statement in SCHEMA:
                tx.execute(statement)
            for statement in _PG_IMMUTABLE if self.db.dialect == "postgres" else _SQLITE_IMMUTABLE:
                tx.execute(statement)

    # ------------------------------------------------------------------ heads
    def head(self, tx: Tx, election_id: str, *, lock: bool = False) -> Head | None:
        sql = (
            "SELECT election_id, tenant, status, head_seq, head_hash, state_version, ballots, "
            "last_checkpoint FROM ballot_elections WHERE election_id = %s"
        )
        row = tx.fetchone(sql + (self._for_update if lock else ""), (election_id,))
        if row is None:
            return None
        return Head(
            str(row[0]),
            str(row[1]),
            str(row[2]),
            int(row[3]),
            str(row[4]),
            int(row[5]),
            int(row[6]),
            int(row[7]),
        )

    def insert_head(self, tx: Tx, election_id: str, tenant: str) -> None:
        tx.execute(
            "INSERT INTO ballot_elections (election_id, tenant, status, head_seq, head_hash, "
            "state_version, ballots, last_checkpoint) VALUES (%s, %s, 'setup', 0, '', 0, 0, 0)",
            (election_id, tenant),
        )

    def save_head(self, tx: Tx, head: Head) -> None:
        tx.execute(
            "UPDATE ballot_elections SET status = %s, head_seq = %s, head_hash = %s, "
            "state_version = %s, ballots = %s, last_checkpoint = %s WHERE election_id = %s",
            (
                head.status,
                head.seq,
                head.hash,
                head.state_version,
                head.ballots,
                head.last_checkpoint,
                head.election_id,
            ),
        )

    def list_heads(self, tx: Tx, tenant: str) -> list[Head]:
        rows = tx.fetchall(
            "SELECT election_id FROM ballot_elections WHERE tenant = %s ORDER BY election_id",
            (tenant,),
        )
        heads = [self.head(tx, str(r[0])) for r in rows]
        return [h for h in heads if h is not None]

    # ------------------------------------------------------------------ board
    def insert_entry(self, tx: Tx, entry: Entry) -> None:
        tx.execute(
            "INSERT INTO ballot_board (election_id, seq, kind, body, prev_hash, hash) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            (
                entry.election_id,
                entry.seq,
                entry.kind,
                canonical_json(entry.body).decode("utf-8"),
                entry.prev_hash,
                entry.hash,
            ),
        )

    def entries(
        self,
        tx: Tx,
        election_id: str,
        *,
        after: int = 0,
        limit: int | None = None,
        skip_ballots: bool = False,
        kind: str | None = None,
    ) -> list[Entry]:
        sql = (
            "SELECT election_id, seq, kind, body, prev_hash, hash FROM ballot_board "
            "WHERE election_id = %s AND seq > %s"
        )
        params: list[Any] = [election_id, after]
        if skip_ballots:
            sql += " AND kind <> 'ballot.cast'"
        if kind is not None:
            sql += " AND kind = %s"
            params.append(kind)
        sql += " ORDER BY seq"
        if limit is not None:
            sql += " LIMIT %s"
            params.append(limit)
        return [_entry(r) for r in tx.fetchall(sql, params)]

    def entries_at(self, tx: Tx, election_id: str, seqs: Sequence[int]) -> list[Entry]:
        out: list[Entry] = []
        for start in range(0, len(seqs), 500):
            chunk = list(seqs[start : start + 500])
            marks = ", ".join(["%s"] * len(chunk))
            out += [
                _entry(r)
                for r in tx.fetchall(
                    "SELECT election_id, seq, kind, body, prev_hash, hash FROM ballot_board "  # noqa: S608
                    f"WHERE election_id = %s AND seq IN ({marks}) ORDER BY seq",
                    [election_id, *chunk],
                )
            ]
        return out

    # ------------------------------------------------------------------ checkpoints
    def insert_checkpoint(self, tx: Tx, election_id: str, cp: Checkpoint) -> None:
        tx.execute(
            "INSERT INTO ballot_checkpoints (election_id, seq, head_hash, signed_at, key_id, "
            "signature) VALUES (%s, %s, %s, %s, %s, %s)",
            (election_id, cp.position, cp.head_hash, cp.signed_at, cp.key_id, cp.signature),
        )

    def checkpoints(
        self, tx: Tx, election_id: str, *, after: int = 0, upto: int | None = None
    ) -> list[tuple[int, str, str, str, str]]:
        sql = (
            "SELECT seq, head_hash, signed_at, key_id, signature FROM ballot_checkpoints "
            "WHERE election_id = %s AND seq > %s"
        )
        params: list[Any] = [election_id, after]
        if upto is not None:
            sql += " AND seq <= %s"
            params.append(upto)
        rows = tx.fetchall(sql + " ORDER BY seq", params)
        return [(int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4])) for r in rows]

    # ------------------------------------------------------------------ ballot indexes
    def insert_credentials(self, tx: Tx, election_id: str, credentials: Sequence[str]) -> None:
        for c in credentials:
            tx.execute(
                "INSERT INTO ballot_credentials (election_id, credential, last_seq) "
                "VALUES (%s, %s, NULL)",
                (election_id, c),
            )

    # ------------------------------------------------------------------ batched (casts)
    def cast_index(
        self,
        tx: Tx,
        election_id: str,
        credentials: Sequence[str],
        trackers: Sequence[str],
        alphas: Sequence[str],
    ) -> tuple[set[str], set[str], dict[str, str]]:
        """One round trip for a batch of casts: which credentials are listed, which trackers
        are on the board, and the owner of each known α."""
        parts: list[str] = []
        params: list[Any] = []
        for kind, table, col, other, values in (
            ("c", "ballot_credentials", "credential", "NULL", credentials),
            ("t", "ballot_trackers", "tracker", "NULL", trackers),
            ("a", "ballot_alphas", "alpha", "credential", alphas),
        ):
            if values:
                marks = ", ".join(["%s"] * len(values))
                parts.append(
                    f"SELECT '{kind}', {col}, {other} FROM {table} "  # noqa: S608
                    f"WHERE election_id = %s AND {col} IN ({marks})"
                )
                params += [election_id, *values]
        listed: set[str] = set()
        known: set[str] = set()
        owners: dict[str, str] = {}
        if parts:
            for kind, value, owner in tx.fetchall(" UNION ALL ".join(parts), params):
                if kind == "c":
                    listed.add(str(value))
                elif kind == "t":
                    known.add(str(value))
                else:
                    owners[str(value)] = str(owner)
        return listed, known, owners

    def insert_entries(self, tx: Tx, entries: Sequence[Entry]) -> None:
        if not entries:
            return
        params: list[Any] = []
        for e in entries:
            body = canonical_json(e.body).decode("utf-8")
            params += [e.election_id, e.seq, e.kind, body, e.prev_hash, e.hash]
        tx.execute(
            "INSERT INTO ballot_board (election_id, seq, kind, body, prev_hash, hash) "
            "VALUES " + ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(entries)),
            params,
        )

    def insert_alpha_rows(self, tx: Tx, election_id: str, rows: Sequence[tuple[str, str]]) -> None:
        if rows:
            tx.execute(
                "INSERT INTO ballot_alphas (election_id, alpha, credential) VALUES "  # noqa: S608
                + ", ".join(["(%s, %s, %s)"] * len(rows))
                + " ON CONFLICT (election_id, alpha) DO NOTHING",
                [x for a, c in rows for x in (election_id, a, c)],
            )

    def insert_tracker_rows(
        self, tx: Tx, election_id: str, rows: Sequence[tuple[str, int, str]]
    ) -> None:
        if rows:
            tx.execute(
                "INSERT INTO ballot_trackers (election_id, tracker, seq, credential) VALUES "  # noqa: S608
                + ", ".join(["(%s, %s, %s, %s)"] * len(rows)),
                [x for t, q, c in rows for x in (election_id, t, q, c)],
            )

    def set_last_seqs(self, tx: Tx, election_id: str, rows: Sequence[tuple[str, int]]) -> None:
        """One statement for the batch (``UPDATE … FROM (VALUES …)``: PostgreSQL and SQLite
        ≥ 3.33 both name the columns of a ``VALUES`` list ``column1``, ``column2``)."""
        if rows:
            tx.execute(
                "UPDATE ballot_credentials SET last_seq = v.column1 FROM (VALUES "  # noqa: S608
                + ", ".join(["(%s, %s)"] * len(rows))
                + ") AS v WHERE ballot_credentials.election_id = %s "
                "AND ballot_credentials.credential = v.column2",
                [*(x for c, q in rows for x in (q, c)), election_id],
            )

    def credential_last_seq(self, tx: Tx, election_id: str, credential: str) -> tuple[bool, int]:
        row = tx.fetchone(
            "SELECT last_seq FROM ballot_credentials WHERE election_id = %s AND credential = %s",
            (election_id, credential),
        )
        if row is None:
            return False, 0
        return True, int(row[0] or 0)

    def set_last_seq(self, tx: Tx, election_id: str, credential: str, seq: int) -> None:
        tx.execute(
            "UPDATE ballot_credentials SET last_seq = %s WHERE election_id = %s "
            "AND credential = %s",
            (seq, election_id, credential),
        )

    def counted_seqs(self, tx: Tx, election_id: str) -> list[int]:
        rows = tx.fetchall(
            "SELECT last_seq FROM ballot_credentials WHERE election_id = %s "
            "AND last_seq IS NOT NULL ORDER BY last_seq",
            (election_id,),
        )
        return [int(r[0]) for r in rows]

    def tracker(self, tx: Tx, election_id: str, tracker: str) -> tuple[int, str] | None:
        row = tx.fetchone(
            "SELECT seq, credential FROM ballot_trackers WHERE election_id = %s AND tracker = %s",
            (election_id, tracker),
        )
        return (int(row[0]), str(row[1])) if row else None

    def insert_tracker(
        self, tx: Tx, election_id: str, tracker: str, seq: int, credential: str
    ) -> None:
        tx.execute(
            "INSERT INTO ballot_trackers (election_id, tracker, seq, credential) "
            "VALUES (%s, %s, %s, %s)",
            (election_id, tracker, seq, credential),
        )

    def alpha_owners(self, tx: Tx, election_id: str, alphas: Sequence[str]) -> dict[str, str]:
        marks = ", ".join(["%s"] * len(alphas))
        rows = tx.fetchall(
            "SELECT alpha, credential FROM ballot_alphas WHERE election_id = %s "  # noqa: S608
            f"AND alpha IN ({marks})",
            [election_id, *alphas],
        )
        return {str(r[0]): str(r[1]) for r in rows}

    def insert_alphas(
        self, tx: Tx, election_id: str, alphas: Sequence[str], credential: str
    ) -> None:
        rows = ", ".join(["(%s, %s, %s)"] * len(alphas))
        params: list[Any] = []
        for a in alphas:
            params += [election_id, a, credential]
        tx.execute(
            f"INSERT INTO ballot_alphas (election_id, alpha, credential) VALUES {rows} "  # noqa: S608
            "ON CONFLICT (election_id, alpha) DO NOTHING",
            params,
        )

    # ------------------------------------------------------------------ audited ballots
    def insert_audit(self, tx: Tx, election_id: str, tracker: str, doc: dict[str, Any]) -> None:
        tx.execute(
            "INSERT INTO ballot_audits (election_id, tracker, body) VALUES (%s, %s, %s)",
            (election_id, tracker, canonical_json(doc).decode("utf-8")),
        )

    def audit(self, tx: Tx, election_id: str, tracker: str) -> dict[str, Any] | None:
        row = tx.fetchone(
            "SELECT body FROM ballot_audits WHERE election_id = %s AND tracker = %s",
            (election_id, tracker),
        )
        return dict(json.loads(row[0])) if row else None

    def audits(self, tx: Tx, election_id: str) -> list[dict[str, Any]]:
        """Every audited ballot of the election, in tracker order (not arrival order)."""
        rows = tx.fetchall(
            "SELECT body FROM ballot_audits WHERE election_id = %s ORDER BY tracker",
            (election_id,),
        )
        return [dict(json.loads(r[0])) for r in rows]

    # ------------------------------------------------------------------ outbox (relay)
    def enqueue(self, tx: Tx, election_id: str, seqs: Sequence[int]) -> None:
        """Give published entries consecutive relay positions.

        The head row is locked until commit, so positions become visible in order and the
        relay never skips one that commits late.
        """
        sql = "SELECT position FROM ballot_outbox_head WHERE id = 1"
        row = tx.fetchone(sql + self._for_update)
        position = int(row[0]) if row else 0
        for seq in seqs:
            position += 1
            tx.execute(
                "INSERT INTO ballot_outbox (position, election_id, seq) VALUES (%s, %s, %s)",
                (position, election_id, seq),
            )
        tx.execute("UPDATE ballot_outbox_head SET position = %s WHERE id = 1", (position,))

    def outbox_after(self, tx: Tx, after: int, limit: int) -> list[tuple[int, str, Entry]]:
        rows = tx.fetchall(
            "SELECT o.position, e.tenant, b.election_id, b.seq, b.kind, b.body, b.prev_hash, "
            "b.hash FROM ballot_outbox o JOIN ballot_board b ON b.election_id = o.election_id "
            "AND b.seq = o.seq JOIN ballot_elections e ON e.election_id = o.election_id "
            "WHERE o.position > %s ORDER BY o.position LIMIT %s",
            (after, limit),
        )
        return [(int(r[0]), str(r[1]), _entry(r[2:])) for r in rows]

    def outbox_head(self, tx: Tx) -> int:
        row = tx.fetchone("SELECT position FROM ballot_outbox_head WHERE id = 1")
        return int(row[0]) if row else 0

    # ------------------------------------------------------------------ idempotency
    def idempotent_answer(self, tx: Tx, tenant: str, key: str) -> tuple[str, Any] | None:
        row = tx.fetchone(
            "SELECT request_hash, response FROM ballot_idempotency "
            "WHERE tenant = %s AND idem_key = %s",
            (tenant, key),
        )
        return (str(row[0]), json.loads(row[1])) if row else None

    def save_answer(self, tx: Tx, tenant: str, key: str, request_hash: str, response: Any) -> None:
        tx.execute(
            "INSERT INTO ballot_idempotency (tenant, idem_key, request_hash, response) "
            "VALUES (%s, %s, %s, %s)",
            (tenant, key, request_hash, canonical_json(response).decode("utf-8")),
        )


def _entry(row: Sequence[Any]) -> Entry:
    return Entry(
        str(row[0]),
        int(row[1]),
        str(row[2]),
        json.loads(row[3]),
        None if row[4] is None else str(row[4]),
        str(row[5]),
    )


def iter_pages(
    store: BoardStore, election_id: str, after: int, limit: int | None, page: int = 1000
) -> Iterator[list[Entry]]:
    """Entries after ``after`` in pages, each read in its own short transaction."""
    remaining = limit
    while remaining is None or remaining > 0:
        size = page if remaining is None else min(page, remaining)
        with store.db.transaction() as tx:
            batch = store.entries(tx, election_id, after=after, limit=size)
        if not batch:
            return
        yield batch
        after = batch[-1].seq
        if remaining is not None:
            remaining -= len(batch)
        if len(batch) < size:
            return
