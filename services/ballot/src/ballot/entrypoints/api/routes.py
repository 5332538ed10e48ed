"""Thin routes: schema → one service call → JSON. Three routers by audience.

* organiser (bearer token, role ``ballot_organiser``; the credential upload takes role
  ``credential_authority``) and trustees (role ``trustee``): the election's tenant only;
* public (no token, no cookie, nothing about the caller is read or stored): cast a ballot,
  election summary, manifest + fingerprint, the whole record as NDJSON, tracker lookup, result.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Response
from fastapi.responses import StreamingResponse
from pydantic import TypeAdapter

from ballot.application.service import BallotService
from ballot.entrypoints.api.deps import CommandDep, ServiceDep
from ballot.entrypoints.api.schemas import (
    AuditReceipt,
    CastReceipt,
    ComplaintIn,
    ConfirmIn,
    CredentialsUpload,
    DecryptionIn,
    ElectionCreate,
    Round1In,
    Round2In,
    TrackerLookup,
)
from ballot.entrypoints.api.strict_json import StrictJsonRoute
from shared.http import PROBLEM_RESPONSES
from shared.threads import in_thread

PREFIX = "/v1/ballot/elections"
ElectionId = Annotated[str, Path(max_length=100)]
NO_STORE = {"Cache-Control": "no-store"}
MAX_SEQ = 2_147_483_647  # a board position; far above any election's length, fits every store

organiser = APIRouter(
    prefix=PREFIX,
    route_class=StrictJsonRoute,
    tags=["ballot: organiser"],
    responses=PROBLEM_RESPONSES,
)
trustee = APIRouter(
    prefix=PREFIX,
    route_class=StrictJsonRoute,
    tags=["ballot: trustees"],
    responses=PROBLEM_RESPONSES,
)
public = APIRouter(
    prefix=PREFIX, route_class=StrictJsonRoute, tags=["ballot: public"], responses=PROBLEM_RESPONSES
)


# ------------------------------------------------------------------ organiser
@organiser.post("", status_code=201, summary="Tạo cuộc bỏ phiếu / Create an election")
def create_election(body: ElectionCreate, svc: ServiceDep, cmd: CommandDep) -> dict[str, Any]:
    return svc.create_election(cmd, body.to_request())


@organiser.get("", summary="Các cuộc bỏ phiếu của tỉnh / Elections of my tenant")
def list_elections(svc: ServiceDep, cmd: CommandDep) -> list[dict[str, Any]]:
    return svc.list_elections(cmd)


@organiser.post("/{election_id}/credentials", summary="Công bố danh sách khóa công khai (CA)")
def upload_credentials(
    election_id: ElectionId, body: CredentialsUpload, svc: ServiceDep, cmd: CommandDep
) -> dict[str, Any]:
    return svc.upload_credentials(cmd, election_id, body.credentials)


@organiser.post("/{election_id}/open", summary="Mở bỏ phiếu / Open the election")
def open_election(election_id: ElectionId, svc: ServiceDep, cmd: CommandDep) -> dict[str, Any]:
    return svc.open_election(cmd, election_id)


@organiser.post("/{election_id}/close", summary="Kết thúc bỏ phiếu, tổng hợp / Close, aggregate")
def close_election(election_id: ElectionId, svc: ServiceDep, cmd: CommandDep) -> dict[str, Any]:
    return svc.close_election(cmd, election_id)


@organiser.post("/{election_id}/ceremony/restart", summary="Lập khóa lại / Restart the ceremony")
def restart_ceremony(election_id: ElectionId, svc: ServiceDep, cmd: CommandDep) -> dict[str, Any]:
    return svc.restart_ceremony(cmd, election_id)


# ------------------------------------------------------------------ trustees
@trustee.post("/{election_id}/ceremony/round1", summary="Vòng 1: cam kết / Round 1")
def round1(
    election_id: ElectionId, body: Round1In, svc: ServiceDep, cmd: CommandDep
) -> dict[str, Any]:
    return svc.post_round1(cmd, election_id, body.message)


@trustee.post("/{election_id}/ceremony/round2", summary="Vòng 2: công bố + phần khóa / Round 2")
def round2(
    election_id: ElectionId, body: Round2In, svc: ServiceDep, cmd: CommandDep
) -> dict[str, Any]:
    return svc.post_round2(cmd, election_id, body.message, body.shares)


@trustee.post("/{election_id}/ceremony/confirm", summary="Xác nhận phần khóa / Confirm shares")
def confirm(
    election_id: ElectionId, body: ConfirmIn, svc: ServiceDep, cmd: CommandDep
) -> dict[str, Any]:
    return svc.confirm_ceremony(cmd, election_id, body.model_dump())


@trustee.post("/{election_id}/ceremony/complaint", summary="Khiếu nại phần khóa / Complain")
def complain(
    election_id: ElectionId, body: ComplaintIn, svc: ServiceDep, cmd: CommandDep
) -> dict[str, Any]:
    return svc.complain(cmd, election_id, body.model_dump())


@trustee.post("/{election_id}/decryption", summary="Gửi phần giải mã / Partial decryption")
def decryption(
    election_id: ElectionId, body: DecryptionIn, svc: ServiceDep, cmd: CommandDep
) -> dict[str, Any]:
    return svc.post_decryption_share(cmd, election_id, body.share)


# ------------------------------------------------------------------ public (anonymous)
_CAST_RECEIPT = TypeAdapter(CastReceipt)


def _cast_answer(svc: BallotService, election_id: str, ballot: dict[str, Any]) -> Response:
    receipt = _CAST_RECEIPT.validate_python(svc.cast(election_id, ballot))
    return Response(
        _CAST_RECEIPT.dump_json(receipt),
        status_code=201,
        media_type="application/json",
        headers=NO_STORE,
    )


@public.post(
    "/{election_id}/ballots",
    status_code=201,
    response_model=CastReceipt,
    summary="Bỏ phiếu (ẩn danh) / Cast a ballot (anonymous, no token)",
)
async def cast_ballot(
    election_id: ElectionId,
    ballot: Annotated[dict[str, Any], Body(description="SPEC §9.1 ballot JSON")],
    svc: ServiceDep,
) -> Response:
    """One hop to a worker thread for the proofs and the group-commit append, the receipt
    validated and rendered there: a plain ``def`` route cost two anyio hops (the call, then
    FastAPI's validation of the answer) and a serialization on the event loop (issue 14)."""
    return await in_thread(_cast_answer, svc, election_id, ballot)


@public.post(
    "/{election_id}/audits",
    status_code=201,
    response_model=AuditReceipt,
    summary="Kiểm tra phiếu thay vì bỏ (Benaloh) / Audit a ballot instead of casting it",
)
def audit_ballot(
    election_id: ElectionId,
    body: Annotated[
        dict[str, Any],
        Body(description='{"ballot": SPEC §9.1 ballot, "audit": SPEC §9.4 audit document}'),
    ],
    svc: ServiceDep,
    response: Response,
) -> dict[str, Any]:
    response.headers.update(NO_STORE)
    return svc.audit(election_id, body)


@public.get("/{election_id}", summary="Thông tin công khai / Public summary")
def election_summary(election_id: ElectionId, svc: ServiceDep) -> dict[str, Any]:
    return svc.summary(election_id)


@public.get("/{election_id}/manifest", summary="Bộ thông số + dấu vân tay / Manifest")
def manifest(election_id: ElectionId, svc: ServiceDep) -> dict[str, Any]:
    return svc.manifest(election_id)


@public.get(
    "/{election_id}/record",
    summary="Toàn bộ bảng công khai (NDJSON) / The whole record",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/x-ndjson": {}}}},
)
def record(
    election_id: ElectionId,
    svc: ServiceDep,
    after: Annotated[int, Query(ge=0, le=MAX_SEQ, description="entries with seq > after")] = 0,
    limit: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
) -> StreamingResponse:
    head = svc.head(election_id)
    # the first page is read before the answer starts: a failure there is a problem+json
    # error with its status, never a 200 with an exception hidden in the stream
    source = svc.record_lines(election_id, after=after, limit=limit)
    first = next(source, None)

    def encode(line: dict[str, Any]) -> bytes:
        return json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"

    def lines() -> Iterator[bytes]:
        if first is None:
            return
        yield encode(first)
        for line in source:
            yield encode(line)

    return StreamingResponse(
        lines(),
        media_type="application/x-ndjson",
        headers={"X-Board-Head": f"{head.seq}:{head.hash}"},
    )


@public.get(
    "/{election_id}/trackers/{tracker}",
    response_model=TrackerLookup,
    summary="Tra cứu mã theo dõi / Look up a tracker",
)
def lookup_tracker(
    election_id: ElectionId,
    tracker: Annotated[str, Path(pattern="^[0-9a-f]{64}$")],
    svc: ServiceDep,
    response: Response,
) -> dict[str, Any]:
    response.headers.update(NO_STORE)
    return svc.lookup_tracker(election_id, tracker)


@public.get("/{election_id}/result", summary="Kết quả / Result")
def result(election_id: ElectionId, svc: ServiceDep) -> dict[str, Any]:
    return svc.result(election_id)
