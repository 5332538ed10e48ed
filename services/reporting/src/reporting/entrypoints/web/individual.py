"""The individual ratings' list pages, from the ``individual_ratings`` read model.

- ``GET /xep-loai-ca-nhan?nam=&co-quan=``: an agency's ratings of a year — who is still to
  self-assess, to be minuted, to be decided; the quota of each task group (used/allowed, who
  holds "excellent"); the decision list (each decision number with its people and levels).
  The agency's head and personnel body see their own agency (the token's ``unit``); Home
  Affairs, auditors, the chairman and inspectors pick one. The forms lead to assessment's
  pages: the meeting minutes (personnel) and the scoring page (the head).
- ``GET /xep-loai-ca-nhan/cua-toi``: an official's own ratings, by their account.

``todo_items`` gives the "Việc cần làm" entries of these roles.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Any, Final

from fastapi import FastAPI, Query, Request
from fastapi.responses import Response

from reporting.read_models.individual_ratings import lists
from reporting.read_models.individual_ratings.queries import agency_year, may_read_agency
from shared.identity import Caller
from shared.problems import AppError
from shared.web import threaded
from shared.web.pages import NavItem, Portal

LIST: Final = "/xep-loai-ca-nhan"
MINE: Final = "/xep-loai-ca-nhan/cua-toi"
AGENCY_ROLES: Final = frozenset({"unit_head", "personnel"})
OVERSIGHT: Final = frozenset({"home_affairs", "auditor", "chairman", "inspector"})
Code = Annotated[str | None, Query(alias="co-quan", pattern=r"^[A-Za-z0-9._-]{1,64}$")]


def _reader(caller: Caller) -> dict[str, Any]:
    return {"subject": caller.subject, "role": caller.role, "unit": caller.acting_for}


def todo_items(db: Any, caller: Caller) -> list[dict[str, Any]]:
    """What waits for this caller in the individual ratings: their own self-assessment, the
    agency's meeting (personnel), the decisions (the head)."""
    if caller.role == "official":
        return [
            {
                "what": "self_assessment",
                "year": r["year"],
                "href": f"/ho-so/ca-nhan/xep-loai/{r['rating_id']}",
                "count": 1,
            }
            for r in lists.own_ratings(db, caller.tenant, caller.subject)
            if r["stage"] == "self_assessment"
        ]
    if caller.role not in AGENCY_ROLES or not caller.acting_for:
        return []
    wanted = "meeting" if caller.role == "personnel" else "proposal"
    out = []
    for year in lists.rating_years(db, caller.tenant, caller.acting_for):
        rows = lists.agency_ratings(db, caller.tenant, caller.acting_for, year)
        count = sum(1 for r in rows if r["stage"] == wanted)
        if count:
            out.append({"what": wanted, "year": year, "href": f"{LIST}?nam={year}", "count": count})
    return out


def include_individual_pages(app: FastAPI, portal: Portal) -> None:
    portal.add_nav(
        NavItem(
            LIST,
            "Xếp loại cá nhân",
            "Individual ratings",
            AGENCY_ROLES | OVERSIGHT,
            group="ca-nhan",
        ),
        NavItem(MINE, "Đánh giá của tôi", "My rating", frozenset({"official"}), group="ca-nhan"),
    )

    @app.get(LIST, include_in_schema=False)
    @threaded.page
    def agency_list(
        request: Request,
        nam: Annotated[int | None, Query(ge=2020, le=2100)] = None,
        co_quan: Code = None,
    ) -> Response:
        viewer = threaded.require_viewer(request)
        caller = viewer.caller
        if caller.role == "official":
            return portal.redirect(request, MINE, 303)
        db = request.app.state.reporting_db
        if caller.role in AGENCY_ROLES:
            agency = caller.acting_for
        elif caller.role in OVERSIGHT:
            agency = co_quan
        else:
            agency = None
        years = lists.rating_years(
            db, caller.tenant, agency if caller.role in AGENCY_ROLES else None
        )
        year = nam if nam in years else (years[0] if years else None)
        choices = (
            lists.agencies(db, caller.tenant, year) if year and caller.role in OVERSIGHT else []
        )
        if agency is None and choices:
            agency = choices[0]
        forbidden = caller.role not in AGENCY_ROLES | OVERSIGHT or (
            agency is not None and not may_read_agency(_reader(caller), agency)
        )
        if forbidden:
            return portal.render(
                request,
                "individual_list.html",
                {"forbidden": True},
                viewer=viewer,
                title="Xếp loại cá nhân",
                status_code=403,
            )
        rows: list[dict[str, Any]] = []
        summary: dict[str, Any] | None = None
        if agency and year:
            rows = lists.agency_ratings(db, caller.tenant, agency, year)
            try:
                summary = agency_year(db, caller.tenant, agency, year, "state")
            except AppError:
                summary = None
        names = {r["person_id"]: r["full_name"] for r in rows}
        holders: dict[str, list[str]] = defaultdict(list)
        decisions: dict[str, dict[str, Any]] = {}
        for r in rows:
            if r["level"] == "hoan_thanh_xuat_sac":
                holders[r["task_group"]].append(r["full_name"] or r["code"])
            if r["decided"] and r["decision"]:
                number = r["decision"]["decision_number"]
                entry = decisions.setdefault(
                    number,
                    {"number": number, "decided_on": r["decision"]["decided_on"], "rows": []},
                )
                entry["rows"].append(r)
        return portal.render(
            request,
            "individual_list.html",
            {
                "forbidden": False,
                "agency": agency,
                "year": year,
                "years": years,
                "choices": choices,
                "rows": rows,
                "summary": summary,
                "holders": holders,
                "names": names,
                "decisions": sorted(decisions.values(), key=lambda d: d["decided_on"]),
                "can_minute": caller.role == "personnel",
                "can_decide": caller.role == "unit_head",
            },
            viewer=viewer,
            title="Xếp loại cá nhân",
        )

    @app.get(MINE, include_in_schema=False)
    @threaded.page
    def mine(request: Request) -> Response:
        viewer = threaded.require_viewer(request)
        db = request.app.state.reporting_db
        rows = lists.own_ratings(db, viewer.caller.tenant, viewer.caller.subject)
        return portal.render(
            request,
            "individual_mine.html",
            {"rows": rows},
            viewer=viewer,
            title="Đánh giá của tôi",
        )
