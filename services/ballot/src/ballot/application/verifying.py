"""Where a cast ballot's proofs are checked: in the request's thread, or in worker processes.

The proofs run in libsodium through ctypes, which releases the GIL for each of a ballot's ~40
group operations (~60 µs each) and takes it back after. In a server whose event loop thread
and other request threads are busy with Python, each take-back waits for the holder to let go
(up to the interpreter's 5 ms switch interval), so the request threads' proofs hardly overlap
anything: 8 threads verifying beside one thread running Python checked 31 ballots/s instead of
~400. Measured (``bench/ballot_service.py``, 2 cores): the server at 1.00 core, casts ≈ 45 % of
``verify_ballot`` alone, 0.5 core of the machine idle. So the API checks proofs in worker
processes instead (``BALLOT_VERIFY_PROCESSES``): their own interpreter, their own core.

What crosses to a worker is the ballot alone (its parsed JSON, the election's fingerprint,
joint key and shape): no caller, address or time, so nothing there could sit beside a ballot.
The worker answers with what the board stores and indexes (:class:`BoardBallot`) or the
refusal's code and text; the caller raises the same :class:`BallotError` as in the thread. A
worker that dies (killed, out of memory) is replaced on the next ballot, and the ballot it was
checking is checked again in the request's thread. The checks are the same function either
way (:func:`check`, i.e. ``ballot.domain.ballots.verify_cast``).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import queue
import signal
import threading
from collections.abc import Mapping, Sequence
from multiprocessing.connection import Connection
from typing import Any, Protocol

from ballot.crypto import CryptoError, Point
from ballot.domain.ballots import BoardBallot, verify_cast
from ballot.domain.errors import BallotError, from_crypto

log = logging.getLogger("congvu.ballot")

Refusal = tuple[str, str, str, str | None, dict[str, Any]]
"""A :class:`BallotError` as plain values (an exception with required arguments does not
survive pickling): code, title, English title, detail, extra."""


class Verifier(Protocol):
    def verify(
        self,
        data: Mapping[str, Any],
        fingerprint: bytes,
        joint_key: Point,
        option_counts: Sequence[int],
    ) -> BoardBallot: ...

    def start(self) -> None: ...
    def close(self) -> None: ...


def check(
    data: Mapping[str, Any], fingerprint: bytes, joint_key: Point, option_counts: Sequence[int]
) -> BoardBallot:
    """Strict parse + complete verification; the board's refusal (``BallotError``) if not."""
    try:
        cast = verify_cast(
            data, fingerprint=fingerprint, joint_key=joint_key, option_counts=option_counts
        )
    except CryptoError as exc:
        raise from_crypto(exc) from None
    return cast.for_board()


def _check_in_worker(*request: Any) -> BoardBallot | Refusal | str:
    """In a worker process: :func:`check`, a refusal returned as values."""
    if request == (_READY,):
        return _READY
    data, fingerprint, joint_key, option_counts = request
    try:
        return check(data, fingerprint, Point(joint_key), option_counts)
    except BallotError as exc:
        return (exc.code, exc.title, exc.title_en, exc.detail, exc.extra)


_READY = "ready"


class InlineVerifier:
    """Proofs checked in the caller's thread (tests, the embedded server, one-core hosts)."""

    def verify(
        self,
        data: Mapping[str, Any],
        fingerprint: bytes,
        joint_key: Point,
        option_counts: Sequence[int],
    ) -> BoardBallot:
        return check(data, fingerprint, joint_key, option_counts)

    def start(self) -> None:
        pass

    def close(self) -> None:
        pass


class _Worker:
    """One verification process and the parent's end of its pipe (one request at a time)."""

    def __init__(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=_serve, args=(child,), name="congvu-ballot-verify", daemon=True
        )
        self.process.start()
        child.close()

    def ask(self, request: tuple[Any, ...]) -> Any:
        self.conn.send(request)
        return self.conn.recv()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.process.join(timeout=5)
        self.kill()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


def _serve(conn: Connection) -> None:
    """A verification process: answer each request on ``conn`` until ``None`` or the end.
    Ctrl-C reaches the whole process group: the server stops its workers itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if request is None:
            return
        try:
            answer: Any = ("ok", _check_in_worker(*request))
        except Exception as exc:  # the same exception as in the thread, raised by the caller
            answer = ("raise", exc)
        try:
            conn.send(answer)
        except (EOFError, OSError, KeyboardInterrupt):
            return
        except Exception as exc:  # an exception that cannot be pickled
            conn.send(("raise", RuntimeError(f"ballot verification failed: {exc!r}")))


_CLOSED = "closed"
"""In the idle queue once the verifier is closed: whoever takes it puts it back and checks
the ballot in its own thread."""


class ProcessVerifier:
    """Proofs checked in ``processes`` worker processes, each started fresh (``spawn``: no
    copy of this server's threads, connections or keys) and spoken to over its own pipe by
    one request thread at a time: one pickled request and one answer per ballot, no queue
    or management threads in between (``ProcessPoolExecutor`` cost the server ~0.5 ms of
    CPU per ballot in those).

    Whatever goes wrong with a worker (it died, cannot be started, the verifier is closed),
    the ballot is checked in the caller's thread instead: never refused for that."""

    def __init__(self, processes: int) -> None:
        if processes < 1:
            raise ValueError("a process verifier needs at least one process")
        self.processes = processes
        self._lock = threading.Lock()
        # idle workers; None is a free slot whose worker starts when it is taken
        self._idle: queue.SimpleQueue[_Worker | str | None] = queue.SimpleQueue()
        for _ in range(processes):
            self._idle.put(None)
        self._closed = False

    def start(self) -> None:
        """Start the workers now (imports included), not on the first voter's ballot."""
        taken = [self._take() for _ in range(self.processes)]
        for worker in taken:
            if worker is not None:
                self._release(worker)

    def _take(self) -> _Worker | None:
        """An idle worker (started if need be), or None: check in the caller's thread."""
        worker = self._idle.get()
        if worker == _CLOSED:
            self._idle.put(_CLOSED)  # for the next one waiting
            return None
        if isinstance(worker, _Worker):
            return worker
        started: _Worker | None = None
        try:
            started = _Worker()
            started.ask((_READY,))
        except Exception:
            log.exception("cannot start a ballot verification process; checking in-thread")
            if started is not None:
                started.kill()
            self._idle.put(None)
            return None
        return started

    def _release(self, worker: _Worker) -> None:
        with self._lock:
            if not self._closed:
                self._idle.put(worker)
                return
        worker.stop()

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        self._idle.put(None)  # a new worker on the next take

    def verify(
        self,
        data: Mapping[str, Any],
        fingerprint: bytes,
        joint_key: Point,
        option_counts: Sequence[int],
    ) -> BoardBallot:
        worker = self._take()
        if worker is None:
            return check(data, fingerprint, joint_key, option_counts)
        try:
            kind, answer = worker.ask(
                (data, fingerprint, joint_key.to_bytes(), tuple(option_counts))
            )
        except (EOFError, OSError):
            log.warning("a ballot verification process died; checking this ballot in-thread")
            self._discard(worker)
            return check(data, fingerprint, joint_key, option_counts)
        except BaseException:
            self._discard(worker)  # its answer may still come: never ask it again
            raise
        self._release(worker)
        if kind == "raise":
            raise answer
        if isinstance(answer, BoardBallot):
            return answer
        code, title, title_en, detail, extra = answer
        raise BallotError(code, title, title_en, detail, **extra)

    def close(self) -> None:
        """Stop the idle workers now and the busy ones when their ballot is answered."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        idle: list[_Worker] = []
        with contextlib.suppress(queue.Empty):
            while True:
                item = self._idle.get_nowait()
                if isinstance(item, _Worker):
                    idle.append(item)
        self._idle.put(_CLOSED)
        for worker in idle:
            worker.stop()


def make_verifier(processes: int) -> InlineVerifier | ProcessVerifier:
    return ProcessVerifier(processes) if processes > 0 else InlineVerifier()
