"""Vietnamese formats shared by the renderers: dates dd/mm/yyyy in Vietnam time.

Dates and timestamps are the portal's own (:mod:`shared.web.formats`), so a report and the
page that links to it write the same moment the same way (``04/12/2013 15:00``).
"""

from __future__ import annotations

from datetime import date, datetime

from shared.web.formats import VN_TZ, vn_date, vn_datetime

__all__ = ["VN_TZ", "moment", "short_ref", "vn_date", "vn_datetime"]


def moment(iso: str | None) -> datetime | None:
    """An ISO date or timestamp as a moment in Vietnam time (a date: its midnight there)."""
    if not iso:
        return None
    if len(iso) == 10:
        d = date.fromisoformat(iso)
        return datetime(d.year, d.month, d.day, tzinfo=VN_TZ)
    return datetime.fromisoformat(iso).astimezone(VN_TZ)


def short_ref(ref: dict[str, object] | None) -> str:
    """An event as a figure's footnote: first 8 hex of the event id, aggregate version."""
    if not ref:
        return ""
    return f"{str(ref.get('event_id', ''))[:8]}·v{ref.get('version')}"
