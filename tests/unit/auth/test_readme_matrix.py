"""The README's permission matrix is the one the code enforces."""

from __future__ import annotations

from pathlib import Path

from assessment.application.permissions import MATRIX, ROLES

README = Path(__file__).resolve().parents[3] / "README.md"
LABELS = {
    "tenant": "✔",
    "own_unit": "own unit",
    "managed_units": "managed units",
    "overseen_units": "overseen units",
}


def test_readme_matrix_matches_the_code() -> None:
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- permission-matrix:start -->")[1].split(
        "<!-- permission-matrix:end -->"
    )[0]
    rows = [line for line in block.strip().splitlines() if line.startswith("| `")]
    header = [c.strip() for c in block.strip().splitlines()[0].strip("|").split("|")]
    assert header[1:] == list(ROLES)
    documented = {}
    for line in rows:
        cells = [c.strip() for c in line.strip("|").split("|")]
        command = cells[0].strip("`")
        documented[command] = {
            role: cell for role, cell in zip(ROLES, cells[1:], strict=True) if cell
        }
    expected = {
        cmd: {r: LABELS[s.value] for r, s in allowed.items()} for cmd, allowed in MATRIX.items()
    }
    assert documented == expected


def test_readme_matrix_is_the_rendered_table() -> None:
    """The block is what ``python -m assessment.application.permissions`` prints."""
    from assessment.application.permissions import render

    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- permission-matrix:start -->")[1].split(
        "<!-- permission-matrix:end -->"
    )[0]
    assert block.strip() == render()
