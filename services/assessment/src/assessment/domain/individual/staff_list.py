"""The staff list (danh sách cán bộ, công chức, viên chức) checked row by row before anything is
stored: a file with any bad row is refused whole, with every row's errors.

The reader (XLSX in ``adapters``) hands over the header row and the data rows as plain cell
values; this module knows the columns, their Vietnamese names and what each cell must hold.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from assessment.domain.individual.errors import InvalidInput
from assessment.domain.individual.person import check_code
from assessment.domain.individual.values import Category, Position

MAX_ROWS = 100_000

# column key → accepted header texts (compared without accents, case or spaces)
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("Mã cán bộ", "Mã CBCCVC", "Mã số"),
    "full_name": ("Họ và tên", "Họ tên"),
    "category": ("Đối tượng", "Loại"),
    "agency_id": ("Mã cơ quan", "Cơ quan"),
    "unit_id": ("Mã đơn vị", "Phòng, đơn vị", "Đơn vị"),
    "position": ("Chức vụ",),
    "job_position": ("Vị trí việc làm",),
    "task_group": ("Nhóm nhiệm vụ", "Nhóm nhiệm vụ tương đồng"),
    "employed_from": ("Ngày bắt đầu công tác", "Ngày vào làm"),
    "leadership_collective": ("Tập thể lãnh đạo",),
    "account": ("Tài khoản", "Tài khoản đăng nhập"),
}
REQUIRED = (
    "code",
    "full_name",
    "category",
    "agency_id",
    "position",
    "job_position",
    "task_group",
    "employed_from",
)
CATEGORY_WORDS = {
    "can bo": Category.CADRE,
    "cong chuc": Category.CIVIL_SERVANT,
    "vien chuc": Category.PUBLIC_EMPLOYEE,
}
POSITION_WORDS = {
    "nguoi dung dau": Position.HEAD,
    "thu truong": Position.HEAD,
    "giam doc": Position.HEAD,
    "truong": Position.HEAD,
    "cap pho": Position.DEPUTY,
    "pho": Position.DEPUTY,
    "pho giam doc": Position.DEPUTY,
    "nhan vien": Position.STAFF,
    "chuyen vien": Position.STAFF,
    "khong": Position.STAFF,
}
YES = {"co", "x", "1", "true", "yes"}
NO = {"", "khong", "0", "false", "no"}


def fold(value: object) -> str:
    """Lower case, no accents (đ → d), single spaces: for comparing headers and words."""
    text = unicodedata.normalize("NFD", str(value or "")).replace("đ", "d").replace("Đ", "d")
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return " ".join(text.lower().replace("_", " ").split())


@dataclass(frozen=True)
class RowError:
    row: int  # the sheet's row number (1 = header)
    column: str | None
    code: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": self.code, "message": self.message}


@dataclass(frozen=True)
class StaffRow:
    row: int
    code: str
    full_name: str
    category: str
    agency_id: str
    unit_id: str | None
    position: str
    job_position: str
    task_group: str
    employed_from: str
    leadership_collective: bool
    account: str | None = None

    def register_kwargs(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "full_name": self.full_name,
            "category": self.category,
            "agency_id": self.agency_id,
            "unit_id": self.unit_id,
            "position": self.position,
            "job_position": self.job_position,
            "task_group": self.task_group,
            "employed_from": self.employed_from,
            "leadership_collective": self.leadership_collective,
            "account": self.account,
        }


@dataclass(frozen=True)
class StaffList:
    rows: tuple[StaffRow, ...]
    errors: tuple[RowError, ...] = field(default_factory=tuple)

    @property
    def accepted(self) -> bool:
        return not self.errors and bool(self.rows)


def _header_map(header: Sequence[object], header_row: int) -> tuple[dict[str, int], list[RowError]]:
    wanted = {fold(alias): key for key, aliases in COLUMNS.items() for alias in aliases}
    found: dict[str, int] = {}
    errors: list[RowError] = []
    for index, cell in enumerate(header):
        key = wanted.get(fold(cell))
        if key is None:
            continue
        if key in found:
            errors.append(
                RowError(
                    header_row,
                    COLUMNS[key][0],
                    "individual.staff_column_duplicated",
                    f"cột '{COLUMNS[key][0]}' xuất hiện hai lần",
                )
            )
        found[key] = index
    for key in REQUIRED:
        if key not in found:
            errors.append(
                RowError(
                    header_row,
                    COLUMNS[key][0],
                    "individual.staff_column_missing",
                    f"thiếu cột '{COLUMNS[key][0]}'",
                )
            )
    return found, errors


def _cell(values: Sequence[object], index: int | None) -> object:
    if index is None or index >= len(values):
        return None
    return values[index]


def _day(value: object) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value or "").strip()
    for sep in ("/", "-", "."):
        parts = text.split(sep)
        if len(parts) == 3 and len(parts[2]) == 4:  # dd/mm/yyyy, the Vietnamese way
            try:
                return date(int(parts[2]), int(parts[1]), int(parts[0])).isoformat()
            except ValueError:
                break
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise InvalidInput(f"'{text}' không phải ngày (dd/mm/yyyy)") from None


def _word(value: object, words: dict[str, Any], kind: type[Any], what: str) -> str:
    folded = fold(value)
    if folded in words:
        return str(words[folded].value)
    try:
        return str(kind(str(value).strip()).value)
    except ValueError:
        raise InvalidInput(f"{what} '{value}' không hợp lệ") from None


def _row(
    number: int, values: Sequence[object], cols: dict[str, int]
) -> tuple[StaffRow | None, list[RowError]]:
    errors: list[RowError] = []
    out: dict[str, Any] = {}

    def take(key: str, parse: Any) -> None:
        raw = _cell(values, cols.get(key))
        text_value = "" if raw is None else str(raw).strip()
        if key in REQUIRED and not text_value and not isinstance(raw, (date, datetime)):
            errors.append(
                RowError(
                    number,
                    COLUMNS[key][0],
                    "individual.staff_cell_missing",
                    f"dòng {number}: thiếu '{COLUMNS[key][0]}'",
                )
            )
            return
        try:
            out[key] = parse(raw)
        except InvalidInput as exc:
            errors.append(
                RowError(
                    number,
                    COLUMNS[key][0],
                    "individual.staff_cell_invalid",
                    f"dòng {number}, cột '{COLUMNS[key][0]}': {exc.detail}",
                )
            )

    def limited(limit: int) -> Any:
        def parse(raw: object) -> str:
            value = " ".join(str(raw or "").split())
            if len(value) > limit:
                raise InvalidInput(f"dài quá {limit} ký tự")
            return value

        return parse

    take("code", lambda raw: check_code(str(raw).strip()))
    take("full_name", limited(200))
    take("category", lambda raw: _word(raw, CATEGORY_WORDS, Category, "đối tượng"))
    take("agency_id", lambda raw: check_code(str(raw).strip()))
    take("unit_id", lambda raw: (str(raw).strip() or None) if raw is not None else None)
    take("position", lambda raw: _word(raw, POSITION_WORDS, Position, "chức vụ"))
    take("job_position", limited(200))
    take("task_group", limited(100))
    take("employed_from", _day)
    take("leadership_collective", _yes_no)
    take("account", lambda raw: (limited(200)(raw) or None) if raw is not None else None)
    if errors:
        return None, errors
    if out.get("leadership_collective") is None:
        out["leadership_collective"] = out["position"] != Position.STAFF.value
    return StaffRow(row=number, **out), []


def _yes_no(raw: object) -> bool | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        return raw
    folded = fold(raw)
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise InvalidInput(f"'{raw}' phải là 'Có' hoặc 'Không'")


def parse_staff_list(
    header: Sequence[object],
    rows: Iterable[tuple[int, Sequence[object]]],
    *,
    known_agencies: set[str] | None = None,
    existing_codes: set[str] | None = None,
    header_row: int = 1,
) -> StaffList:
    """Every error of every row, or the rows; a list with an error is not ``accepted``."""
    cols, errors = _header_map(header, header_row)
    if errors:
        return StaffList(rows=(), errors=tuple(errors))
    parsed: list[StaffRow] = []
    seen: dict[str, int] = {}
    count = 0
    for number, values in rows:
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        count += 1
        if count > MAX_ROWS:
            errors.append(
                RowError(
                    number, None, "individual.staff_file_too_large", f"tệp vượt quá {MAX_ROWS} dòng"
                )
            )
            break
        row, row_errors = _row(number, values, cols)
        errors.extend(row_errors)
        if row is None:
            continue
        if row.code in seen:
            errors.append(
                RowError(
                    number,
                    COLUMNS["code"][0],
                    "individual.staff_code_duplicated",
                    f"dòng {number}: mã '{row.code}' trùng dòng {seen[row.code]}",
                )
            )
            continue
        seen[row.code] = number
        if existing_codes is not None and row.code in existing_codes:
            errors.append(
                RowError(
                    number,
                    COLUMNS["code"][0],
                    "individual.staff_code_exists",
                    f"dòng {number}: mã '{row.code}' đã có trong hệ thống",
                )
            )
        if known_agencies is not None and row.agency_id not in known_agencies:
            errors.append(
                RowError(
                    number,
                    COLUMNS["agency_id"][0],
                    "individual.staff_agency_unknown",
                    f"dòng {number}: cơ quan '{row.agency_id}' chưa đăng ký",
                )
            )
        parsed.append(row)
    if not parsed and not errors:
        errors.append(RowError(2, None, "individual.staff_file_empty", "tệp không có dòng dữ liệu"))
    return StaffList(rows=tuple(parsed), errors=tuple(errors))
