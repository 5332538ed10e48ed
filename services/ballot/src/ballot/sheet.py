"""The credential authority's printable sheet: one sealed code per cut-out slip (typst).

Only the codes go into the PDF; nothing identifies a voter. The PDF is the only place the codes
ever exist outside the CA's memory: print it, then destroy the file.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from importlib import resources

from ballot.crypto import format_code


def render_code_sheet(
    codes: Sequence[str],
    *,
    title: str,
    unit: str,
    election_id: str,
    vote_url: str,
    timestamp: datetime | None = None,
) -> bytes:
    import typst  # heavy; only the CA needs it

    template = resources.files("ballot").joinpath("templates/code_sheet.typ").read_bytes()
    data = {
        "title": title,
        "unit": unit,
        "election_id": election_id,
        "vote_url": vote_url,
        "codes": [format_code(c) for c in codes],
    }
    pdf = typst.compile(
        template,
        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
        timestamp=timestamp,
    )
    if not isinstance(pdf, bytes):  # pragma: no cover - typst returns bytes for one PDF
        raise TypeError("typst did not return a PDF")
    return pdf
