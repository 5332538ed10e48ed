"""The portal's navigation: links grouped by task, each role only the groups it can use, an
unknown role nothing, the current page marked."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.identity import Caller
from shared.web.pages import NAV_GROUPS, NavEntry, NavItem, Portal, Viewer, WebSettings
from shared.web.signin import build_portal


def viewer(role: str) -> Viewer:
    return Viewer(
        Caller(tenant="dong-nai", subject=f"{role}.x", role=role, acting_for=None), role, "dev"
    )


@pytest.fixture
def portal(tmp_path: Path) -> Portal:
    p = build_portal(WebSettings(mode="embedded"), secret_file=tmp_path / "k")
    p.add_nav(
        NavItem("/ke-hoach", "Kế hoạch đánh giá", "Plan", frozenset({"home_affairs"}), "tap-the"),
        NavItem("/bang-theo-doi", "Bảng theo dõi", "Board", frozenset(), group="tap-the"),
        NavItem(
            "/kiem-toan/dong-thoi-gian",
            "Dòng thời gian",
            "Timeline",
            frozenset({"auditor"}),
            "kiem-toan",
        ),
        NavItem(
            "/kiem-toan/tai-thoi-diem",
            "Tại một thời điểm",
            "As of",
            frozenset({"auditor"}),
            "kiem-toan",
        ),
    )
    return p


def shape(menu: list[NavEntry]) -> list[tuple[str | None, list[str]]]:
    return [(e.group.code if e.group else None, [i.href for i in e.items]) for e in menu]


def test_links_are_grouped_in_the_groups_order_after_the_lone_links(portal: Portal) -> None:
    menu = portal.menu_for(viewer("auditor"), "/")
    assert shape(menu) == [
        (None, ["/"]),
        (None, ["/viec-can-lam"]),
        ("tap-the", ["/bang-theo-doi"]),
        ("kiem-toan", ["/kiem-toan/dong-thoi-gian", "/kiem-toan/tai-thoi-diem"]),
    ]
    assert [g.code for g in NAV_GROUPS].index("tap-the") < [g.code for g in NAV_GROUPS].index(
        "kiem-toan"
    )


def test_each_role_sees_only_the_groups_it_can_use(portal: Portal) -> None:
    home_affairs = shape(portal.menu_for(viewer("home_affairs"), "/"))
    assert ("tap-the", ["/ke-hoach", "/bang-theo-doi"]) in home_affairs
    assert all(code != "kiem-toan" for code, _ in home_affairs)
    anonymous = shape(portal.menu_for(None, "/"))
    assert anonymous == [(None, ["/"])]


def test_an_unknown_role_sees_no_link_and_the_public_role_only_public_ones(portal: Portal) -> None:
    assert portal.menu_for(viewer("janitor"), "/") == []
    assert portal.nav_for(viewer("janitor")) == []
    assert shape(portal.menu_for(viewer("public"), "/")) == [(None, ["/"])]


def test_the_current_page_is_the_longest_link_that_is_the_path_or_its_parent(
    portal: Portal,
) -> None:
    menu = portal.menu_for(viewer("home_affairs"), "/ke-hoach/2026")
    marked = [(e.group.code if e.group else None, e.current) for e in menu if e.current]
    assert marked == [("tap-the", "/ke-hoach")]
    assert [e.current for e in portal.menu_for(viewer("home_affairs"), "/")] == [
        "/",
        None,
        None,
    ]
    assert not any(e.current for e in portal.menu_for(viewer("home_affairs"), "/khac"))


def test_an_unknown_group_is_refused_when_the_link_is_added(portal: Portal) -> None:
    with pytest.raises(ValueError, match="unknown navigation group"):
        portal.add_nav(NavItem("/x", "X", "X", frozenset(), group="khong-co"))
