"""Use cases of the ballot service: one method per command, one transaction each.

Every command loads the election's state from its board (the source of truth), lets the domain
check the new entries (``ElectionState.apply(check=True)``), appends them with their chain
links, signs a checkpoint when due, queues the published ones for the relay and stores the
idempotent answer — all in one transaction that holds the election's head row, so entries of one
election are appended strictly one after another.

Casting is the hot path: the ballot is parsed and verified *before* the transaction (a cached
view of the election), and the transaction only checks the indexes and appends.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from ballot.adapters.store import BoardStore, Head, iter_pages
from ballot.application.audit import audit_ballot
from ballot.application.casting import CastBatch
from ballot.crypto import (
    Ballot,
    CryptoError,
    Point,
    aggregate_ballots,
    credential_list_hash,
    sort_credentials,
    verify_manifest,
)
from ballot.domain import board
from ballot.domain.ballots import (
    CastBallot,
    check_window,
    tally_to_json,
    verify_cast,
)
from ballot.domain.board import Entry
from ballot.domain.election import (
    CLOSED,
    DECRYPTED,
    OPEN,
    ElectionConfig,
    ElectionState,
)
from ballot.domain.election import replay as replay_entries
from ballot.domain.errors import BallotError, from_crypto, not_found, wrong_state
from shared.audit import Checkpoint, CheckpointSigner, public_key_pem
from shared.sql import Database, Tx

log = logging.getLogger("congvu.ballot")

Clock = Callable[[], datetime]

ORGANISER = "ballot_organiser"
TRUSTEE = "trustee"
CREDENTIAL_AUTHORITY = "credential_authority"

PUBLISHED_KINDS = frozenset(
    {
        board.CREATED,
        board.RESTARTED,
        board.COMPLETED,
        board.CREDENTIALS,
        board.OPENED,
        board.CLOSED,
        board.RESULT,
    }
)
FORCED_CHECKPOINT_KINDS = frozenset({board.OPENED, board.AGGREGATED, board.RESULT, board.COMPLETED})


@dataclass(frozen=True)
class Command:
    """Who asks (from the bearer token) and how to answer a retry."""

    tenant: str
    subject: str
    role: str
    idempotency_key: str | None = None
    request_hash: str | None = None

    def actor(self) -> dict[str, str]:
        return {"subject": self.subject, "role": self.role}


MAX_BATCH = 64


@dataclass(frozen=True)
class CastView:
    """What casting needs, cached per process and invalidated by ``state_version``."""

    version: int
    status: str
    fingerprint: bytes | None
    joint_key: Point | None
    option_counts: tuple[int, ...]
    opens_at: datetime
    closes_at: datetime


@dataclass(eq=False)
class _Pending:
    """A verified ballot waiting for the group commit; ``done`` is set with the outcome."""

    cast: CastBallot
    view: CastView
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


@dataclass(eq=False)
class _Batcher:
    """Per election: the queue of verified ballots and the leader lock of the group commit."""

    queue: list[_Pending] = field(default_factory=list)
    queue_lock: threading.Lock = field(default_factory=threading.Lock)
    leader: threading.Lock = field(default_factory=threading.Lock)


def forbidden(detail: str) -> BallotError:
    return BallotError("auth.forbidden", "Không có quyền", "Forbidden", detail)


class BallotService:
    def __init__(
        self,
        db: Database,
        signer: CheckpointSigner,
        *,
        clock: Clock | None = None,
        checkpoint_every: int = 100,
    ) -> None:
        self.store = BoardStore(db)
        self.signer = signer
        self.clock: Clock = clock or (lambda: datetime.now(UTC))
        self.checkpoint_every = max(1, checkpoint_every)
        self._cast_cache: dict[str, CastView] = {}
        self._batchers: dict[str, _Batcher] = {}
        self._cache_lock = threading.Lock()
        self._listeners: list[Callable[[], None]] = []

    @property
    def db(self) -> Database:
        return self.store.db

    def start(self) -> None:
        self.store.ensure_schema()

    def add_publish_listener(self, listener: Callable[[], None]) -> None:
        """Called after a commit that queued published entries (e.g. ``relay.wake``)."""
        self._listeners.append(listener)

    def board_key(self) -> dict[str, str]:
        return {"key_id": self.signer.key_id, "public_key": public_key_pem(self.signer.public_key)}

    def _now(self) -> datetime:
        return self.clock().astimezone(UTC)

    def _at(self) -> str:
        return self._now().isoformat(timespec="seconds")

    # ================================================================== organiser commands
    def create_election(self, cmd: Command, request: Mapping[str, Any]) -> dict[str, Any]:
        _require_role(cmd, ORGANISER)
        election_id = str(uuid.uuid4())

        def run(tx: Tx) -> dict[str, Any]:
            config = ElectionConfig.create(
                election_id,
                {**request, "tenant": cmd.tenant, "board_key": self.board_key()},
            )
            body = {**config.to_dict(), "at": self._at(), "actor": cmd.actor()}
            ElectionState.start(body)  # the verifier's parse must accept what we write
            self.store.insert_head(tx, election_id, cmd.tenant)
            head = self.store.head(tx, election_id, lock=True)
            assert head is not None
            self._append(tx, head, [(board.CREATED, body)])
            return {
                "election_id": election_id,
                "status": "setup",
                "config": config.to_dict(),
                "_published": True,
            }

        return self._idempotent(cmd, run)

    def upload_credentials(
        self, cmd: Command, election_id: str, credentials: list[str]
    ) -> dict[str, Any]:
        _require_role(cmd, CREDENTIAL_AUTHORITY)

        def build(state: ElectionState) -> list[tuple[str, dict[str, Any]]]:
            try:
                ordered = sort_credentials(Point.from_hex(c) for c in credentials)
            except CryptoError as exc:
                raise from_crypto(exc) from None
            hexes = [p.hex() for p in ordered]
            return [
                (
                    board.CREDENTIALS,
                    {
                        "credentials": hexes,
                        "count": len(hexes),
                        "credential_list_hash": credential_list_hash(ordered).hex(),
                        "at": self._at(),
                        "actor": cmd.actor(),
                    },
                )
            ]

        def after(tx: Tx, state: ElectionState, entries: list[Entry]) -> dict[str, Any]:
            self.store.insert_credentials(tx, election_id, entries[0].body["credentials"])
            return {
                "count": entries[0].body["count"],
                "credential_list_hash": entries[0].body["credential_list_hash"],
            }

        return self._command(cmd, election_id, build, after)

    def open_election(self, cmd: Command, election_id: str) -> dict[str, Any]:
        _require_role(cmd, ORGANISER)

        def build(state: ElectionState) -> list[tuple[str, dict[str, Any]]]:
            if self._now() >= state.config.closes_at:
                raise wrong_state("đã quá thời gian bỏ phiếu; không thể mở")
            try:
                fp = verify_manifest(state.manifest())
            except CryptoError as exc:
                raise from_crypto(exc) from None
            return [
                (board.OPENED, {"fingerprint": fp.hex(), "at": self._at(), "actor": cmd.actor()})
            ]

        def after(tx: Tx, state: ElectionState, entries: list[Entry]) -> dict[str, Any]:
            return {"status": OPEN, "fingerprint": entries[0].body["fingerprint"]}

        return self._command(cmd, election_id, build, after)

    def close_election(self, cmd: Command, election_id: str) -> dict[str, Any]:
        _require_role(cmd, ORGANISER)

        def build(state: ElectionState) -> list[tuple[str, dict[str, Any]]]:
            if state.status != OPEN:
                raise wrong_state(f"cuộc bỏ phiếu đang ở giai đoạn {state.status}")
            return []  # built in ``prepare`` below, which needs the transaction

        def prepare(tx: Tx, state: ElectionState) -> list[tuple[str, dict[str, Any]]]:
            seqs = self.store.counted_seqs(tx, election_id)
            everyone = len(seqs) == len(state.credentials or ())
            if self._now() < state.config.closes_at and not everyone:
                raise wrong_state(
                    "chưa hết thời gian bỏ phiếu (chỉ đóng sớm khi mọi mã đã bỏ phiếu)",
                    closes_at=state.config.closes_at.isoformat(),
                )
            ballots = [
                Ballot.from_dict(e.body["ballot"])
                for e in self.store.entries_at(tx, election_id, seqs)
            ]
            tally = aggregate_ballots(ballots, state.config.option_counts)
            at = self._at()
            return [
                (
                    board.CLOSED,
                    {
                        "ballots": state.ballots,
                        "counted": len(seqs),
                        "at": at,
                        "actor": cmd.actor(),
                    },
                ),
                # audited ballots, in tracker order: the board never shows when one was made
                *((board.AUDITED, {"audit": doc}) for doc in self.store.audits(tx, election_id)),
                (board.AGGREGATED, {"counted": len(seqs), "tally": tally_to_json(tally), "at": at}),
            ]

        def after(tx: Tx, state: ElectionState, entries: list[Entry]) -> dict[str, Any]:
            counted = entries[0].body["counted"]
            return {
                "status": CLOSED,
                "ballots": entries[0].body["ballots"],
                "audited": sum(1 for e in entries if e.kind == board.AUDITED),
                "counted": counted,
                "decryptable": counted >= state.config.min_ballots,
            }

        return self._command(cmd, election_id, build, after, prepare=prepare)

    def restart_ceremony(self, cmd: Command, election_id: str) -> dict[str, Any]:
        _require_role(cmd, ORGANISER)

        def build(state: ElectionState) -> list[tuple[str, dict[str, Any]]]:
            return [
                (
                    board.RESTARTED,
                    {"attempt": state.attempt + 1, "at": self._at(), "actor": cmd.actor()},
                )
            ]

        return self._command(
            cmd, election_id, build, lambda tx, s, e: {"attempt": e[0].body["attempt"]}
        )

    # ================================================================== trustee commands
    def post_round1(
        self, cmd: Command, election_id: str, message: Mapping[str, Any]
    ) -> dict[str, Any]:
        return self._trustee_entry(cmd, election_id, board.ROUND1, {"message": dict(message)})

    def post_round2(
        self,
        cmd: Command,
        election_id: str,
        message: Mapping[str, Any],
        shares: Sequence[Mapping[str, Any]],
    ) -> dict[str, Any]:
        body = {"message": dict(message), "shares": [dict(s) for s in shares]}
        return self._trustee_entry(cmd, election_id, board.ROUND2, body)

    def confirm_ceremony(
        self, cmd: Command, election_id: str, body: Mapping[str, Any]
    ) -> dict[str, Any]:
        return self._trustee_entry(cmd, election_id, board.CONFIRMED, dict(body))

    def complain(self, cmd: Command, election_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        return self._trustee_entry(cmd, election_id, board.COMPLAINT, dict(body))

    def post_decryption_share(
        self, cmd: Command, election_id: str, share: Mapping[str, Any]
    ) -> dict[str, Any]:
        try:
            return self._trustee_entry(cmd, election_id, board.SHARE, {"share": dict(share)})
        except BallotError as exc:
            if exc.code == "ballot.share_invalid":
                # named, refused, nothing stored; never log the share itself
                log.warning(
                    "ballot %s: refused an invalid decryption share from trustee %s",
                    election_id,
                    exc.extra.get("trustee"),
                )
            raise

    def _trustee_entry(
        self, cmd: Command, election_id: str, kind: str, body: dict[str, Any]
    ) -> dict[str, Any]:
        _require_role(cmd, TRUSTEE)

        def after(tx: Tx, state: ElectionState, entries: list[Entry]) -> dict[str, Any]:
            return {
                "accepted": kind,
                "seq": entries[0].seq,
                "status": state.status,
                "phase": state.phase,
                "appended": [e.kind for e in entries],
            }

        return self._command(cmd, election_id, lambda state: [(kind, body)], after)

    # ================================================================== voters (anonymous)
    def cast(self, election_id: str, data: Mapping[str, Any]) -> dict[str, Any]:
        """Accept one ballot. No caller identity exists here, by design."""
        view = self._cast_view(election_id)
        if view.status != OPEN or view.fingerprint is None or view.joint_key is None:
            raise wrong_state(
                "cuộc bỏ phiếu không ở giai đoạn nhận phiếu", election_status=view.status
            )
        check_window(self._now(), view.opens_at, view.closes_at)
        try:
            cast = verify_cast(
                data,
                fingerprint=view.fingerprint,
                joint_key=view.joint_key,
                option_counts=view.option_counts,
            )
        except CryptoError as exc:
            raise from_crypto(exc) from None
        item = _Pending(cast, view)
        batcher = self._batcher(election_id)
        with batcher.queue_lock:
            batcher.queue.append(item)
        while not item.done.is_set():
            with batcher.leader:  # group commit: whoever holds this appends everything queued
                if item.done.is_set():
                    break
                with batcher.queue_lock:
                    batch = batcher.queue[:MAX_BATCH]
                    del batcher.queue[:MAX_BATCH]
                self._append_ballots(election_id, batch)
        if item.error is not None:
            raise item.error
        return {
            "election_id": election_id,
            "tracker": cast.tracker,
            "fingerprint": view.fingerprint.hex(),
        }

    def _batcher(self, election_id: str) -> _Batcher:
        with self._cache_lock:
            batcher = self._batchers.get(election_id)
            if batcher is None:
                batcher = self._batchers[election_id] = _Batcher()
            return batcher

    def _append_ballots(self, election_id: str, batch: list[_Pending]) -> None:
        """One transaction for a batch of verified ballots; each is accepted or refused alone.

        Checks run in the same transaction as the appends, so a ballot sees the ones before it
        in the batch (replays and copied ciphertexts inside one batch are refused too).
        """
        accepted: list[_Pending] = []
        try:
            with self.db.transaction() as tx:
                head = self.store.head(tx, election_id, lock=True)
                if head is None:
                    raise not_found(election_id)
                index = CastBatch.read(self.store, tx, election_id, [i.cast for i in batch])
                for item in batch:
                    try:
                        head = self._append_ballot(tx, head, item, index)
                        accepted.append(item)
                    except BallotError as exc:
                        item.error = exc
                if accepted:
                    index.flush(tx)
                    head = self._maybe_checkpoint(tx, head, force=False)
                    self.store.save_head(tx, head)
        except BaseException as exc:
            for item in accepted:
                item.error = exc  # rolled back: nothing of this batch is stored
            for item in batch:
                if item.error is None:
                    item.error = exc
            if not isinstance(exc, Exception):
                raise
        finally:
            for item in batch:
                item.done.set()

    def _append_ballot(self, tx: Tx, head: Head, item: _Pending, index: CastBatch) -> Head:
        cast, view, election_id = item.cast, item.view, head.election_id
        if head.state_version != view.version or head.status != OPEN:
            with self._cache_lock:
                self._cast_cache.pop(election_id, None)
            raise wrong_state("cuộc bỏ phiếu không còn nhận phiếu", election_status=head.status)
        check_window(self._now(), view.opens_at, view.closes_at)
        index.admit(cast)  # credential listed, no replay, no audited or copied ciphertext
        entry = Entry.make(election_id, head.seq + 1, board.BALLOT, cast.body(), head.hash)
        index.record(entry, cast)
        head = replace(head, seq=entry.seq, hash=entry.hash, ballots=head.ballots + 1)
        if head.seq - head.last_checkpoint >= self.checkpoint_every:
            index.flush(tx)  # the checkpoint seals rows that are on the board
            head = self._maybe_checkpoint(tx, head, force=False)
        return head

    def cast_view(self, election_id: str) -> CastView:
        return self._cast_view(election_id)

    def now(self) -> datetime:
        return self._now()

    def audit(self, election_id: str, data: Mapping[str, Any]) -> dict[str, Any]:
        """Audit a ballot instead of casting it (``ballot.application.audit``)."""
        return audit_ballot(self, election_id, data)

    def _cast_view(self, election_id: str) -> CastView:
        with self._cache_lock:
            cached = self._cast_cache.get(election_id)
        if cached is not None and cached.status == OPEN:
            # an open election only changes by closing, which the append transaction sees
            return cached
        with self.db.transaction() as tx:
            head = self.store.head(tx, election_id)
            if head is None:
                raise not_found(election_id)
            with self._cache_lock:
                cached = self._cast_cache.get(election_id)
            if cached is not None and cached.version == head.state_version:
                return cached
            state = self._load(tx, head)
        view = CastView(
            head.state_version,
            state.status,
            state.fingerprint,
            state.joint_key,
            state.config.option_counts,
            state.config.opens_at,
            state.config.closes_at,
        )
        with self._cache_lock:
            self._cast_cache[election_id] = view
        return view

    # ================================================================== public reads
    def summary(self, election_id: str) -> dict[str, Any]:
        with self.db.transaction() as tx:
            head = self._head(tx, election_id)
            state = self._load(tx, head)
            counted = len(self.store.counted_seqs(tx, election_id))
        c = state.config
        return {
            "election_id": election_id,
            "tenant": c.tenant,
            "unit": c.unit,
            "title": c.title,
            "scale": c.scale,
            "levels": list(c.levels),
            "options": list(c.options),
            "persons": [p.to_dict() for p in c.persons],
            "summoned": c.summoned,
            "opens_at": c.opens_at.isoformat(),
            "closes_at": c.closes_at.isoformat(),
            "min_ballots": c.min_ballots,
            "threshold": c.threshold,
            "trustees": [{"index": t.index, "name": t.name} for t in c.trustees],
            "status": state.status,
            "ceremony": {
                "phase": state.phase,
                "attempt": state.attempt,
                "round1": sorted(state.round1),
                "round2": sorted(state.round2),
                "confirmed": sorted(state.confirmed),
                "complaint": state.complaint,
            },
            "credentials_published": state.credentials is not None,
            "fingerprint": state.fingerprint.hex() if state.fingerprint else None,
            "ballots": head.ballots,
            "counted": counted,
            "decryption_shares": sorted(state.dec_shares),
            "vote_valid": None if state.result is None else state.result["report"]["valid"],
            "head": {"seq": head.seq, "hash": head.hash},
            "board_key_id": c.board_key["key_id"],
        }

    def manifest(self, election_id: str) -> dict[str, Any]:
        with self.db.transaction() as tx:
            state = self._load(tx, self._head(tx, election_id))
        if state.fingerprint is None:
            raise BallotError(
                "ballot.manifest_not_ready",
                "Bộ thông số bầu cử chưa sẵn sàng (chưa mở bỏ phiếu)",
                "Manifest not final yet (election not opened)",
                election_status=state.status,
            )
        c = state.config
        return {
            "election_id": election_id,
            "fingerprint": state.fingerprint.hex(),
            "manifest": state.manifest().to_dict(),
            "option_counts": list(c.option_counts),
            "questions": [
                {"id": p.id, "name": p.name, "position": p.position, "options": list(c.options)}
                for p in c.persons
            ],
            "levels": list(c.levels),
            "title": c.title,
            "opens_at": c.opens_at.isoformat(),
            "closes_at": c.closes_at.isoformat(),
            "status": state.status,
        }

    def lookup_tracker(self, election_id: str, tracker: str) -> dict[str, Any]:
        with self.db.transaction() as tx:
            head = self._head(tx, election_id)
            found = self.store.tracker(tx, election_id, tracker)
            if found is None and self.store.audit(tx, election_id, tracker) is not None:
                audited = self.store.entries(tx, election_id, kind=board.AUDITED)
                seq = next((e.seq for e in audited if e.body["audit"]["tracker"] == tracker), None)
                return {
                    "election_id": election_id,
                    "tracker": tracker,
                    "seq": seq,
                    "counted": False,
                    "superseded": False,
                    "audited": True,
                    "election_status": head.status,
                }
            if found is None:
                raise BallotError(
                    "ballot.tracker_not_found",
                    "Không tìm thấy mã theo dõi trên bảng công khai",
                    "Tracker not on the board",
                )
            seq, credential = found
            _, last = self.store.credential_last_seq(tx, election_id, credential)
        return {
            "election_id": election_id,
            "tracker": tracker,
            "seq": seq,
            "counted": last == seq,
            "superseded": last != seq,
            "audited": False,
            "election_status": head.status,
        }

    def result(self, election_id: str) -> dict[str, Any]:
        with self.db.transaction() as tx:
            head = self._head(tx, election_id)
            entries = self.store.entries(tx, election_id, kind=board.RESULT)
        if head.status != DECRYPTED or not entries:
            raise BallotError(
                "ballot.result_not_ready",
                "Chưa có kết quả",
                "Result not available yet",
                election_status=head.status,
            )
        body = entries[-1].body
        return {"election_id": election_id, "seq": entries[-1].seq, **body}

    def head(self, election_id: str) -> Head:
        with self.db.transaction() as tx:
            return self._head(tx, election_id)

    def record_lines(
        self, election_id: str, *, after: int = 0, limit: int | None = None
    ) -> Iterator[dict[str, Any]]:
        """The public record as NDJSON-ready dicts: entries, each followed by its checkpoint."""
        self.head(election_id)  # 404 before streaming starts
        service = board.checkpoint_service(election_id)
        for page in iter_pages(self.store, election_id, after, limit):
            with self.db.transaction() as tx:
                cps = {
                    cp[0]: cp
                    for cp in self.store.checkpoints(
                        tx, election_id, after=page[0].seq - 1, upto=page[-1].seq
                    )
                }
            for entry in page:
                yield entry.to_line()
                cp = cps.get(entry.seq)
                if cp is not None:
                    yield {
                        "type": "checkpoint",
                        **Checkpoint(service, cp[0], cp[0], cp[1], cp[2], cp[3], cp[4]).to_dict(),
                    }

    def list_elections(self, cmd: Command) -> list[dict[str, Any]]:
        _require_role(cmd, ORGANISER)
        with self.db.transaction() as tx:
            heads = self.store.list_heads(tx, cmd.tenant)
        return [
            {"election_id": h.election_id, "status": h.status, "ballots": h.ballots} for h in heads
        ]

    # ================================================================== internals
    def _head(self, tx: Tx, election_id: str, *, lock: bool = False) -> Head:
        head = self.store.head(tx, election_id, lock=lock)
        if head is None:
            raise not_found(election_id)
        return head

    def _load(self, tx: Tx, head: Head) -> ElectionState:
        entries = self.store.entries(tx, head.election_id, skip_ballots=True)
        state = replay_entries([(e.kind, e.body) for e in entries], check=False)
        state.seq = head.seq
        state.ballots = head.ballots
        return state

    def _idempotent(self, cmd: Command, run: Callable[[Tx], dict[str, Any]]) -> dict[str, Any]:
        published = False
        with self.db.transaction() as tx:
            if cmd.idempotency_key:
                stored = self.store.idempotent_answer(tx, cmd.tenant, cmd.idempotency_key)
                if stored is not None:
                    if stored[0] != cmd.request_hash:
                        raise BallotError(
                            "request.idempotency_key_reused",
                            "Idempotency-Key đã dùng cho một yêu cầu khác",
                            "Idempotency-Key reused with a different request",
                        )
                    return {**stored[1], "replayed": True}
            answer = run(tx)
            published = bool(answer.pop("_published", False))
            if cmd.idempotency_key:
                self.store.save_answer(
                    tx, cmd.tenant, cmd.idempotency_key, cmd.request_hash or "", answer
                )
        if published:
            self._notify()
        return answer

    def _command(
        self,
        cmd: Command,
        election_id: str,
        build: Callable[[ElectionState], list[tuple[str, dict[str, Any]]]],
        after: Callable[[Tx, ElectionState, list[Entry]], dict[str, Any]],
        *,
        prepare: Callable[[Tx, ElectionState], list[tuple[str, dict[str, Any]]]] | None = None,
    ) -> dict[str, Any]:
        def run(tx: Tx) -> dict[str, Any]:
            head = self._head(tx, election_id, lock=True)
            if head.tenant != cmd.tenant:
                raise forbidden("cuộc bỏ phiếu thuộc đơn vị hành chính khác")
            state = self._load(tx, head)
            new = build(state)
            if prepare is not None:
                new += prepare(tx, state)
            try:
                for kind, body in new:
                    state.apply(kind, body, check=True)
                for kind, body in state.follow_ups():
                    body = {**body, "at": self._at()}
                    state.apply(kind, body, check=True)
                    new.append((kind, body))
            except CryptoError as exc:
                raise from_crypto(exc) from None
            entries = self._append(tx, head, new)
            answer = after(tx, state, entries)
            answer["_published"] = any(e.kind in PUBLISHED_KINDS for e in entries)
            return answer

        return self._idempotent(cmd, run)

    def _append(self, tx: Tx, head: Head, new: list[tuple[str, dict[str, Any]]]) -> list[Entry]:
        entries: list[Entry] = []
        prev = head.hash or None
        seq = head.seq
        force = False
        for kind, body in new:
            seq += 1
            entry = Entry.make(head.election_id, seq, kind, body, prev)
            self.store.insert_entry(tx, entry)
            entries.append(entry)
            prev = entry.hash
            force = force or kind in FORCED_CHECKPOINT_KINDS
        status = head.status
        for e in entries:
            status = {
                board.OPENED: OPEN,
                board.CLOSED: CLOSED,
                board.RESULT: DECRYPTED,
            }.get(e.kind, status)
        head = replace(
            head,
            seq=seq,
            hash=prev or "",
            status=status,
            state_version=seq,
            ballots=head.ballots + sum(1 for e in entries if e.kind == board.BALLOT),
        )
        head = self._maybe_checkpoint(tx, head, force=force)
        self.store.save_head(tx, head)
        published = [e.seq for e in entries if e.kind in PUBLISHED_KINDS]
        if published:
            self.store.enqueue(tx, head.election_id, published)
        return entries

    def _maybe_checkpoint(self, tx: Tx, head: Head, *, force: bool) -> Head:
        if head.seq == head.last_checkpoint:
            return head
        if not force and head.seq - head.last_checkpoint < self.checkpoint_every:
            return head
        cp = self.signer.sign(
            Checkpoint(
                board.checkpoint_service(head.election_id),
                head.seq,
                head.seq,
                head.hash,
                self._now().date().isoformat(),  # a date: no finer time on the board
                self.signer.key_id,
            )
        )
        self.store.insert_checkpoint(tx, head.election_id, cp)
        return replace(head, last_checkpoint=head.seq)

    def checkpoint_now(self, election_id: str) -> None:
        """Seal the current head (e.g. on shutdown or on an operator's request)."""
        with self.db.transaction() as tx:
            head = self._head(tx, election_id, lock=True)
            new = self._maybe_checkpoint(tx, head, force=True)
            if new != head:
                self.store.save_head(tx, new)

    def _notify(self) -> None:
        for listener in self._listeners:
            try:
                listener()
            except Exception:  # a listener must never fail a committed command
                log.exception("ballot publish listener failed")


def _require_role(cmd: Command, role: str) -> None:
    if cmd.role != role:
        raise forbidden(f"cần vai trò '{role}' / role '{role}' required")


__all__ = [
    "CREDENTIAL_AUTHORITY",
    "ORGANISER",
    "TRUSTEE",
    "BallotService",
    "CastView",
    "Clock",
    "Command",
]
