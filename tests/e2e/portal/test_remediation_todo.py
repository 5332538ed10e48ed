"""Overdue remediation milestones on "Việc cần làm" (issue 11 item 6): raised on the owner's
to-do list and on Home Affairs' (the whole province), not on anyone else's. The demo's 2013
inspection of Sở Y tế leaves the milestone "Không còn hồ sơ trễ hạn" (due 31/03/2014) undone,
owned by the head of Sở Y tế; the unit's other milestone was done and verified."""

from __future__ import annotations

from typing import Any

import pytest

from .test_phone_width import Crawl

pytestmark = pytest.mark.e2e

SECTION = "Mốc khắc phục quá hạn"
LATE = "Không còn hồ sơ trễ hạn"
DONE = "Niêm yết 14 thủ tục"


def todo_of(site: Any, username: str) -> str:
    crawl = Crawl(site.url, username)
    resp = crawl.http.get("/viec-can-lam")
    assert resp.status_code == 200, resp.status_code
    return resp.text


def test_the_owner_sees_the_overdue_milestone_with_its_plan(site: Any) -> None:
    page = todo_of(site, "syt.thutruong")
    assert SECTION in page
    assert LATE in page and "Khắc phục giải quyết hồ sơ trễ hạn" in page
    assert "31/03/2014" in page
    assert DONE not in page  # done and verified: no longer to do
    assert "theo dõi toàn tỉnh" not in page  # his own plan
    assert 'href="/khac-phuc/' in page


def test_home_affairs_sees_the_province_s_overdue_milestones(site: Any) -> None:
    page = todo_of(site, "snv.tonghop")
    assert SECTION in page and LATE in page
    assert "theo dõi toàn tỉnh" in page


def test_another_unit_sees_none(site: Any) -> None:
    page = todo_of(site, "sgddt.vanthu")
    assert SECTION not in page and LATE not in page
