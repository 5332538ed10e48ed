"""Vietnamese formats through Babel: dates dd/mm/yyyy, decimal comma, Vietnam time (UTC+7).

CLDR's Vietnamese "short" date is ``4/12/12``, so explicit patterns are used. Input typed by
people is parsed the same way: ``04/12/2013`` and ``96,5``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from babel.dates import format_date, format_datetime
from babel.numbers import NumberFormatError, format_decimal, parse_decimal

VN_TZ = timezone(timedelta(hours=7), "ICT")
LOCALES = {"vi": "vi_VN", "en": "en_GB"}


def _locale(lang: str) -> str:
    return LOCALES.get(lang, "vi_VN")


def _as_date(value: date | datetime | str) -> date:
    if isinstance(value, datetime):
        return value.astimezone(VN_TZ).date() if value.tzinfo else value.date()
    if isinstance(value, date):
        return value
    text = str(value)
    if "T" in text or " " in text.strip():
        return _as_date(datetime.fromisoformat(text))
    return date.fromisoformat(text)


def vn_date(value: date | datetime | str | None, lang: str = "vi") -> str:
    """``04/12/2013``; a timestamp is first put in Vietnam time. ``—`` for none."""
    if value is None or value == "":
        return "—"
    return format_date(_as_date(value), "dd/MM/yyyy", locale=_locale(lang))


def vn_long_date(value: date | datetime | str | None) -> str:
    """``ngày 04 tháng 12 năm 2013`` (administrative documents)."""
    if value is None or value == "":
        return "—"
    return format_date(_as_date(value), "'ngày' dd 'tháng' MM 'năm' yyyy", locale="vi_VN")


def vn_datetime(value: datetime | str | None, lang: str = "vi") -> str:
    """``04/12/2013 15:00`` in Vietnam time (Asia/Ho_Chi_Minh, UTC+7)."""
    if value is None or value == "":
        return "—"
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VN_TZ)
    return format_datetime(moment.astimezone(VN_TZ), "dd/MM/yyyy HH:mm", locale=_locale(lang))


def vn_number(value: float | int | Decimal | None, digits: int | None = None) -> str:
    """``1.234.567,5``; ``digits`` fixes the decimals (``96,50``)."""
    if value is None:
        return "—"
    pattern = None if digits is None else "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale="vi_VN")


def parse_vn_decimal(text: str) -> Decimal:
    """``96,5`` or ``1.234,5`` → Decimal; ValueError with a Vietnamese message otherwise."""
    try:
        return Decimal(str(parse_decimal(text.strip(), locale="vi_VN", strict=True)))
    except NumberFormatError:
        raise ValueError(f"“{text}” không phải là số (ví dụ: 96,5)") from None


def parse_vn_date(text: str) -> date:
    """``04/12/2013`` (also ``4/12/2013`` and ISO ``2013-12-04``) → date."""
    raw = text.strip()
    try:
        if "/" in raw:
            day, month, year = (int(p) for p in raw.split("/"))
            if year < 1900 or year > 2200:
                raise ValueError
            return date(year, month, day)
        return date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"“{text}” không phải là ngày hợp lệ (dd/mm/yyyy)") from None


def deadline_instant(day: str) -> datetime:
    """A deadline "trước ngày D" ends at the end of day D, Vietnam time."""
    d = date.fromisoformat(day)
    return datetime(d.year, d.month, d.day, tzinfo=VN_TZ) + timedelta(days=1)
