"""Vietnamese formats shared by the renderers: dates dd/mm/yyyy in Vietnam time."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

VN_TZ = timezone(timedelta(hours=7))


def moment(iso: str | None) -> datetime | None:
    if not iso:
        return None
    if len(iso) == 10:
        d = date.fromisoformat(iso)
        return datetime(d.year, d.month, d.day, tzinfo=VN_TZ)
    return datetime.fromisoformat(iso).astimezone(VN_TZ)


def vn_date(iso: str | None) -> str:
    m = moment(iso)
    return m.strftime("%d/%m/%Y") if m else "—"


def vn_datetime(iso: str | None) -> str:
    m = moment(iso)
    return m.strftime("%H:%M %d/%m/%Y") if m else "—"


def short_ref(ref: dict[str, object] | None) -> str:
    """An event as a figure's footnote: first 8 hex of the event id, aggregate version."""
    if not ref:
        return ""
    return f"{str(ref.get('event_id', ''))[:8]}·v{ref.get('version')}"
