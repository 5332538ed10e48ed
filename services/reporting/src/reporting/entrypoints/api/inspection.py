"""Reporting routes of the inspection overview: a person, a unit, the province's overdue
remediation and repeated findings. Per-person data (figures, findings of an official) is for
the inspection team, Home Affairs, the chairman, the auditor — and the person themself; every
read of it by someone else is recorded (``report_reads``, as ``FiguresReadLog`` on the write
side), after the tenant check (another tenant's person answers 404 and records nothing)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Query, Request

from reporting.adapters.db import Database
from reporting.adapters.read_log import record_read
from reporting.read_models.inspection_overview.queries import (
    overdue_remediation,
    person_overview,
    repeated_findings,
    unit_overview,
)
from shared.http import PROBLEM_RESPONSES
from shared.identity import PUBLIC_ROLE, Caller, CallerDep
from shared.problems import AppError

router = APIRouter(prefix="/v1/reports", responses=PROBLEM_RESPONSES, tags=["reports"])
OVERSIGHT = frozenset({"inspector", "home_affairs", "chairman", "auditor"})
VN_OFFSET_HOURS = 7


def _db(request: Request) -> Database:
    db: Database = request.app.state.reporting_db
    return db


def _today() -> date:
    return (datetime.now(UTC) + timedelta(hours=VN_OFFSET_HOURS)).date()


def _refuse(detail: str) -> AppError:
    return AppError(
        code="auth.forbidden",
        title="Không có quyền thực hiện",
        title_en="Forbidden",
        status=403,
        detail=detail,
    )


def _official(caller: Caller) -> None:
    if caller.role == PUBLIC_ROLE:
        raise _refuse("báo cáo nội bộ không dành cho vai trò công chúng")


@router.get(
    "/inspection/persons/{person}",
    summary="Một công chức: số liệu đúng hạn, phát hiện, khắc phục / One official",
)
def person_route(
    person: Annotated[str, Path(min_length=1, max_length=200)],
    request: Request,
    caller: CallerDep,
    as_of: date | None = None,
) -> dict[str, Any]:
    if caller.role not in OVERSIGHT and caller.subject != person:
        raise _refuse(
            "dữ liệu cá nhân của công chức chỉ dành cho Đoàn kiểm tra, Sở Nội vụ, "
            "Chủ tịch, kiểm toán và chính người đó"
        )
    overview = person_overview(_db(request), caller.tenant, person, as_of or _today())
    if caller.subject != person:  # someone else's personal data: the read is recorded
        record_read(_db(request), caller, "inspection_person", person, person, overview["as_of"])
    return overview


@router.get(
    "/inspection/units/{unit_id}", summary="Một đơn vị: số liệu, phát hiện, khắc phục / One unit"
)
def unit_route(
    unit_id: UUID, request: Request, caller: CallerDep, as_of: date | None = None
) -> dict[str, Any]:
    if caller.role not in OVERSIGHT:
        raise _refuse("số liệu theo người của đơn vị chỉ dành cho cơ quan kiểm tra, giám sát")
    overview = unit_overview(_db(request), caller.tenant, str(unit_id), as_of or _today())
    # the unit's figures are per person: the read is recorded like one of a person's
    record_read(_db(request), caller, "inspection_unit", str(unit_id), None, overview["as_of"])
    return overview


@router.get(
    "/remediation/overdue",
    summary="Các mốc khắc phục quá hạn trong tỉnh / Overdue remediation in the province",
)
def overdue_route(
    request: Request, caller: CallerDep, as_of: Annotated[date | None, Query()] = None
) -> dict[str, Any]:
    _official(caller)
    return overdue_remediation(_db(request), caller.tenant, as_of or _today())


@router.get(
    "/inspection/repeated-findings",
    summary="Hạn chế lặp lại qua các năm / Findings repeated across years",
)
def repeated_route(request: Request, caller: CallerDep) -> dict[str, Any]:
    if caller.role not in OVERSIGHT:
        raise _refuse("chỉ dành cho cơ quan kiểm tra, giám sát")
    return repeated_findings(_db(request), caller.tenant)
