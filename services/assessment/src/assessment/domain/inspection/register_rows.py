"""Validate the rows of a unit's document register (sổ đăng ký văn bản / sổ theo dõi công việc).

The adapter reads an XLSX or CSV file into a header row and data rows of raw cells (text,
numbers, dates); this module maps Vietnamese headers to fields, checks **every** row and returns
either all the work items or a per-row error list — never a partial import. Cells may be text
(``dd/mm/yyyy``, ``dd/mm/yyyy HH:MM[:SS]``, ISO 8601) or the dates and datetimes a spreadsheet
stores. A moment given as a bare date is read as the start of that day, tenant time (so a file
handled on its deadline day is on time).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from typing import Any

from assessment.domain.inspection.work_items import ItemKind, WorkItem
from assessment.domain.kernel.errors import ValidationFailed
from assessment.domain.kernel.values import VN_TZ

MAX_ROWS = 200_000
MAX_TEXT = 2000
MAX_ERRORS = 1000

# field → accepted headers (compared without accents, case, punctuation or repeated spaces)
HEADERS: dict[str, tuple[str, ...]] = {
    "item_id": ("Số, ký hiệu", "Số ký hiệu", "Số đến", "Số văn bản", "Mã hồ sơ", "Số hồ sơ"),
    "kind": ("Loại", "Loại công việc", "Loại văn bản"),
    "field": ("Lĩnh vực",),
    "person": ("Người xử lý", "Cán bộ xử lý", "Người được giao", "Người phụ trách"),
    "received_at": ("Ngày nhận", "Ngày đến", "Ngày tiếp nhận"),
    "deadline": ("Hạn xử lý", "Thời hạn", "Hạn giải quyết"),
    "handled_at": ("Ngày xử lý", "Ngày xử lý xong", "Ngày hoàn thành"),
    "advised_at": ("Ngày tham mưu", "Ngày trình"),
    "passed_to": ("Chuyển cho", "Chuyển xử lý", "Chuyển tiếp cho"),
    "title": ("Trích yếu", "Trích yếu nội dung", "Nội dung"),
    "quality_remark": ("Nhận xét chất lượng", "Chất lượng", "Ghi chú"),
}
REQUIRED = ("item_id", "field", "person", "received_at", "deadline")
LABELS = {f: names[0] for f, names in HEADERS.items()}
KIND_VALUES: dict[str, ItemKind] = {
    "van ban den": ItemKind.DISPATCH,
    "nhiem vu duoc giao": ItemKind.ASSIGNED_TASK,
    "nhiem vu": ItemKind.ASSIGNED_TASK,
    "de nghi tham muu": ItemKind.ADVICE_REQUEST,
    "tham muu": ItemKind.ADVICE_REQUEST,
} | {k.value.replace("_", " "): k for k in ItemKind}

_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\Z")


def fold(text: str) -> str:
    """Header/keyword key: no accents (đ → d), lower case, punctuation as spaces, one space."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", bare).split())


_HEADER_INDEX = {fold(name): f for f, names in HEADERS.items() for name in names}


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row number (the header is row ``header_row``)
    column: str | None
    code: str
    message: str
    message_en: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "message": self.message,
            "message_en": self.message_en,
        }


@dataclass
class RegisterImport:
    items: list[WorkItem] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    rows_read: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


class _CellError(Exception):
    def __init__(self, code: str, message: str, message_en: str) -> None:
        super().__init__(message)
        self.code, self.message, self.message_en = code, message, message_en


def _text(value: Any, label: str) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    out = unicodedata.normalize("NFC", str(value)).strip()
    if len(out) > MAX_TEXT:
        raise _CellError(
            "register.too_long",
            f"'{label}' dài quá {MAX_TEXT} ký tự",
            f"'{label}' is longer than {MAX_TEXT} characters",
        )
    return out


def _moment(value: Any, label: str, tz: tzinfo) -> datetime | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tzinfo=tz)
    text = str(value).strip()
    m = _DMY.match(text)
    try:
        if m:
            d, mo, y, hh, mi, ss = m.groups()
            return datetime(
                int(y), int(mo), int(d), int(hh or 0), int(mi or 0), int(ss or 0), tzinfo=tz
            )
        parsed = datetime.fromisoformat(text)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
    except ValueError:
        raise _CellError(
            "register.bad_date",
            f"'{label}': '{text}' không phải ngày hợp lệ (dd/mm/yyyy hoặc dd/mm/yyyy HH:MM)",
            f"'{label}': '{text}' is not a valid date",
        ) from None


def _deadline(value: Any, label: str, tz: tzinfo) -> date | datetime | None:
    """A deadline without a time of day stays a date (it ends with its day)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None and value.time() == time(0, 0):
            return value.date()
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return value
    text = str(value).strip()
    m = _DMY.match(text)
    try:
        if m and m.group(4) is None:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        raise _CellError(
            "register.bad_date",
            f"'{label}': '{text}' không phải ngày hợp lệ (dd/mm/yyyy)",
            f"'{label}': '{text}' is not a valid date",
        ) from None
    return _moment(text, label, tz)


def header_score(cells: Sequence[Any]) -> int:
    """How many cells of a row are known headers (to find the header below a title block)."""
    return sum(1 for c in cells if isinstance(c, str) and fold(c) in _HEADER_INDEX)


def map_headers(header: Sequence[Any]) -> tuple[dict[int, str], list[str], list[RowError]]:
    columns: dict[int, str] = {}
    ignored: list[str] = []
    errors: list[RowError] = []
    seen: dict[str, str] = {}
    for i, cell in enumerate(header):
        name = _text(cell, "tiêu đề") if cell is not None else ""
        if not name:
            continue
        f = _HEADER_INDEX.get(fold(name))
        if f is None:
            ignored.append(name)
        elif f in seen:
            errors.append(
                RowError(
                    0,
                    name,
                    "register.duplicate_column",
                    f"cột '{name}' trùng với cột '{seen[f]}'",
                    f"column '{name}' duplicates '{seen[f]}'",
                )
            )
        else:
            seen[f] = name
            columns[i] = f
    for f in REQUIRED:
        if f not in seen:
            errors.append(
                RowError(
                    0,
                    LABELS[f],
                    "register.missing_column",
                    f"thiếu cột bắt buộc '{LABELS[f]}'",
                    f"required column '{LABELS[f]}' is missing",
                )
            )
    return columns, ignored, errors


def parse_rows(
    header: Sequence[Any],
    rows: Iterable[tuple[int, Sequence[Any]]],
    *,
    header_row: int = 1,
    tz: tzinfo = VN_TZ,
) -> RegisterImport:
    """Validate every row; ``rows`` yields (spreadsheet row number, cells)."""
    columns, ignored, head_errors = map_headers(header)
    result = RegisterImport(ignored_columns=ignored)
    for e in head_errors:
        result.errors.append(RowError(header_row, e.column, e.code, e.message, e.message_en))
    if result.errors:
        return result
    label = {
        f: next(n for i, n in enumerate(header) if columns.get(i) == f) for f in columns.values()
    }
    seen_ids: dict[str, int] = {}
    items: list[WorkItem] = []
    for number, cells in rows:
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        result.rows_read += 1
        if result.rows_read > MAX_ROWS:
            result.errors.append(
                RowError(
                    number,
                    None,
                    "register.too_many_rows",
                    f"sổ có quá {MAX_ROWS} dòng",
                    f"more than {MAX_ROWS} rows",
                )
            )
            break
        values = {f: cells[i] if i < len(cells) else None for i, f in columns.items()}
        item = _row(number, values, label, tz, seen_ids, result.errors)
        if item is not None:
            items.append(item)
        if len(result.errors) >= MAX_ERRORS:
            break
    if result.rows_read == 0 and not result.errors:
        result.errors.append(
            RowError(header_row, None, "register.empty", "sổ không có dòng dữ liệu", "no data rows")
        )
    if not result.errors:
        result.items = items
    return result


def _row(
    number: int,
    values: dict[str, Any],
    label: dict[str, str],
    tz: tzinfo,
    seen_ids: dict[str, int],
    errors: list[RowError],
) -> WorkItem | None:
    parsed: dict[str, Any] = {}
    before = len(errors)

    def fail(f: str | None, code: str, vi: str, en: str) -> None:
        errors.append(RowError(number, label.get(f, f) if f else None, code, vi, en))

    for f, raw in values.items():
        name = label[f]
        try:
            if f in ("received_at", "handled_at", "advised_at"):
                parsed[f] = _moment(raw, name, tz)
            elif f == "deadline":
                parsed[f] = _deadline(raw, name, tz)
            else:
                parsed[f] = _text(raw, name)
        except _CellError as exc:
            fail(f, exc.code, exc.message, exc.message_en)
    for f in REQUIRED:
        if f in parsed and parsed[f] in (None, ""):
            fail(f, "register.required", f"'{label[f]}' không được để trống", f"'{f}' is required")
    kind = ItemKind.DISPATCH
    if parsed.get("kind"):
        found = KIND_VALUES.get(fold(parsed["kind"]))
        if found is None:
            fail(
                "kind",
                "register.bad_kind",
                f"loại '{parsed['kind']}' không hợp lệ; chọn: Văn bản đến, Nhiệm vụ được giao, "
                "Đề nghị tham mưu",
                f"unknown kind '{parsed['kind']}'",
            )
        else:
            kind = found
    item_id = parsed.get("item_id") or ""
    if item_id:
        if item_id in seen_ids:
            fail(
                "item_id",
                "register.duplicate_id",
                f"số '{item_id}' đã có ở dòng {seen_ids[item_id]}",
                f"'{item_id}' already on row {seen_ids[item_id]}",
            )
        else:
            seen_ids[item_id] = number
    if len(errors) > before:
        return None
    try:
        return WorkItem(
            item_id=item_id,
            person=parsed["person"],
            field=parsed["field"],
            kind=kind,
            received_at=parsed["received_at"],
            deadline=parsed["deadline"],
            handled_at=parsed.get("handled_at"),
            advised_at=parsed.get("advised_at"),
            passed_to=parsed.get("passed_to") or None,
            title=parsed.get("title", ""),
            quality_remark=parsed.get("quality_remark", ""),
        )
    except ValidationFailed as exc:
        fail(None, "register.inconsistent", exc.detail, "timestamps out of order")
        return None
