"""The demo criteria set as a checked tree, for tests that plan answers."""

from __future__ import annotations

from assessment.domain.cchc.tree import SetContent
from cchc_builders import demo_content


def content_tree(block: str = "so_nganh") -> SetContent:
    return SetContent.from_dict(demo_content(block))
