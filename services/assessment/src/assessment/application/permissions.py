"""The one permission matrix: command × role × which units, assembled from the kernel's rows
(``read``, ``read_audit``) and each context's ``permissions.ROWS``. Applied in one place
(``ContextApplication._check``). The README renders it: ``python -m
assessment.application.permissions`` prints the table between its markers.
"""

from __future__ import annotations

from assessment.application.contexts import CATALOGUE
from assessment.application.kernel.permissions import ROLES, Rows, Scope

__all__ = ["MATRIX", "ROLES", "Scope", "render"]

MATRIX: Rows = CATALOGUE.matrix

_LABELS = {
    Scope.TENANT: "✔",
    Scope.OWN_UNIT: "own unit",
    Scope.MANAGED_UNITS: "managed units",
    Scope.OVERSEEN_UNITS: "overseen units",
}


def render(matrix: Rows = MATRIX) -> str:
    """The README's table (Markdown), one row per permission, one column per role."""
    lines = ["| command | " + " | ".join(ROLES) + " |", "|---" * (len(ROLES) + 1) + "|"]
    for name, row in matrix.items():
        cells = [_LABELS[row[r]] if r in row else "" for r in ROLES]
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print("<!-- permission-matrix:start -->")
    print(render())
    print("<!-- permission-matrix:end -->")
