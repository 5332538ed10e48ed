"""Read a staff list from an XLSX workbook (openpyxl) into plain cells for
``domain.individual.staff_list``; an unreadable file is refused with its own code.

The first sheet is read in read-only mode; the first non-empty row is the header.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Sequence

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from assessment.domain.individual.errors import IndividualError
from assessment.domain.individual.staff_list import StaffList, parse_staff_list

MAX_BYTES = 20 * 1024 * 1024


class StaffFileUnreadable(IndividualError):
    code = "individual.staff_file_unreadable"
    title = "Không đọc được tệp danh sách (cần tệp .xlsx)"
    title_en = "The staff file cannot be read (an .xlsx file is needed)"


def read_cells(
    data: bytes,
) -> tuple[int, Sequence[object], Iterator[tuple[int, Sequence[object]]]]:
    if len(data) > MAX_BYTES:
        raise StaffFileUnreadable(f"tệp lớn hơn {MAX_BYTES // (1024 * 1024)} MB")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise StaffFileUnreadable(
            f"tệp không phải bảng tính .xlsx hợp lệ ({type(exc).__name__})"
        ) from None
    sheet = book.worksheets[0] if book.worksheets else None
    if sheet is None:
        raise StaffFileUnreadable("bảng tính không có trang nào")
    rows = sheet.iter_rows(values_only=True)
    for number, values in enumerate(rows, 1):
        if any(v is not None and str(v).strip() for v in values):
            header = list(values)

            def data_rows(start: int = number) -> Iterator[tuple[int, Sequence[object]]]:
                for offset, row in enumerate(rows, start + 1):
                    yield offset, list(row)
                book.close()

            return number, header, data_rows()
    book.close()
    raise StaffFileUnreadable("bảng tính trống")


def parse_staff_xlsx(
    data: bytes,
    *,
    known_agencies: set[str] | None = None,
    existing_codes: set[str] | None = None,
) -> StaffList:
    header_row, header, rows = read_cells(data)
    return parse_staff_list(
        header,
        rows,
        known_agencies=known_agencies,
        existing_codes=existing_codes,
        header_row=header_row,
    )
