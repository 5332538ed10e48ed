"""Use case: audit a ballot instead of casting it (Benaloh challenge, SPEC.md §9.4).

Anonymous like the cast: nothing about the caller is read or stored. The request carries the
complete signed ballot and its audit document (the ciphertexts opened with their nonces). In
one transaction, under the election's row lock (so a cast of the same ballot cannot slip in
between), the service checks

* the election is open and inside its window;
* the ballot verifies completely and its credential is on the list (no anonymous spam);
* the audit document opens exactly this ballot's ciphertexts to the choices it shows;
* the ballot was never cast (auditing a cast ballot would reveal a counted vote) —

then marks each ``α`` of it as audited in the ciphertext index (every later cast sharing one
is refused with ``ballot.audited``) and keeps the audit document (no credential, no time)
until the close, which publishes all of them on the board in tracker order. Auditing the
same ballot again returns the same answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ballot.crypto import CryptoError, check_matches_ballot, open_audit
from ballot.domain.ballots import (
    AUDITED_OWNER,
    already_cast,
    check_window,
    duplicate_ciphertext,
    unknown_credential,
    verify_cast,
)
from ballot.domain.election import OPEN
from ballot.domain.errors import BallotError, from_crypto, not_found, wrong_state

if TYPE_CHECKING:
    from ballot.application.service import BallotService


def malformed(detail: str) -> BallotError:
    return BallotError(
        "ballot.malformed", "Yêu cầu kiểm tra phiếu sai cấu trúc", "Malformed audit request", detail
    )


def audit_ballot(svc: BallotService, election_id: str, data: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(data, Mapping) or set(data) != {"ballot", "audit"}:
        raise malformed("cần đúng hai khóa 'ballot' và 'audit' / needs exactly ballot, audit")
    view = svc.cast_view(election_id)
    if view.status != OPEN or view.fingerprint is None or view.joint_key is None:
        raise wrong_state("cuộc bỏ phiếu không ở giai đoạn nhận phiếu", election_status=view.status)
    check_window(svc.now(), view.opens_at, view.closes_at)
    try:
        cast = verify_cast(
            data["ballot"],
            fingerprint=view.fingerprint,
            joint_key=view.joint_key,
            option_counts=view.option_counts,
        )
        doc = dict(data["audit"]) if isinstance(data["audit"], Mapping) else data["audit"]
        choices = open_audit(doc, view.fingerprint, view.joint_key, view.option_counts)
        check_matches_ballot(doc, cast.ballot)
    except CryptoError as exc:
        raise from_crypto(exc) from None
    answer = {
        "election_id": election_id,
        "tracker": cast.tracker,
        "audited": True,
        "choices": list(choices),
        "published": "khi đóng cuộc bỏ phiếu / at the close",
    }
    with svc.db.transaction() as tx:
        head = svc.store.head(tx, election_id, lock=True)
        if head is None:
            raise not_found(election_id)
        if head.status != OPEN:
            raise wrong_state("cuộc bỏ phiếu không còn nhận phiếu", election_status=head.status)
        listed, _ = svc.store.credential_last_seq(tx, election_id, cast.credential)
        if not listed:
            raise unknown_credential()
        if svc.store.tracker(tx, election_id, cast.tracker) is not None:
            raise already_cast()
        if svc.store.audit(tx, election_id, cast.tracker) is not None:
            return {**answer, "replayed": True}
        owners = svc.store.alpha_owners(tx, election_id, cast.alphas)
        if any(owner != AUDITED_OWNER for owner in owners.values()):
            raise already_cast()
        if owners:
            raise duplicate_ciphertext()
        svc.store.insert_alphas(tx, election_id, cast.alphas, AUDITED_OWNER)
        svc.store.insert_audit(tx, election_id, cast.tracker, doc)
    return answer
