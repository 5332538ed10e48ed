"""Register import from XLSX and CSV: Vietnamese headers, every row checked, all or nothing."""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import Workbook

from assessment.adapters.inspection.register_files import read_register
from assessment.domain.inspection.work_items import ItemKind
from assessment.domain.kernel.values import VN_TZ

HEADER = [
    "STT",
    "Số, ký hiệu",
    "Trích yếu",
    "Lĩnh vực",
    "Loại",
    "Người xử lý",
    "Ngày đến",
    "Hạn xử lý",
    "Ngày xử lý",
    "Ngày tham mưu",
    "Chuyển cho",
    "Ghi chú",
]


def xlsx(rows: list[list[object]], header: list[str] = HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["SỔ THEO DÕI VĂN BẢN ĐẾN — SỞ XÂY DỰNG"])  # a title line above the header
    ws.append([])
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


GOOD = [
    [
        1,
        "12/UBND-KT",
        "V/v cấp phép xây dựng",
        "Xây dựng",
        "Văn bản đến",
        "pgd.a",
        datetime(2024, 3, 1, 8, 30),
        date(2024, 3, 8),
        datetime(2024, 3, 8, 16),
        None,
        None,
        "",
    ],
    [
        2,
        "13/TU",
        "Đề án quy hoạch",
        "Xây dựng",
        "Nhiệm vụ được giao",
        "gd.b",
        date(2024, 3, 2),
        date(2024, 3, 20),
        date(2024, 3, 18),
        date(2024, 3, 21),
        None,
        "chậm",
    ],
    [
        3,
        "14/SNV",
        "Đơn thư",
        "Tư pháp",
        "",
        "pgd.a",
        "04/03/2024 09:15",
        "11/03/2024",
        None,
        None,
        "cv.c",
        None,
    ],
]


def test_a_good_xlsx_is_imported_with_native_and_text_dates() -> None:
    result = read_register(xlsx(GOOD), "so-van-ban.xlsx")
    assert result.ok, [e.to_dict() for e in result.errors]
    assert result.rows_read == 3 and result.ignored_columns == ["STT"]
    first, second, third = result.items
    assert first.received_at == datetime(2024, 3, 1, 8, 30, tzinfo=VN_TZ)
    assert first.deadline == date(2024, 3, 8) and first.kind is ItemKind.DISPATCH
    assert second.kind is ItemKind.ASSIGNED_TASK and second.quality_remark == "chậm"
    assert second.advised_at == datetime(2024, 3, 21, tzinfo=VN_TZ)
    assert third.received_at == datetime(2024, 3, 4, 9, 15, tzinfo=VN_TZ)
    assert third.passed_to == "cv.c" and third.handled_at is None


def test_a_bad_xlsx_is_refused_row_by_row_and_nothing_is_accepted() -> None:
    rows = [
        *GOOD,
        [
            4,
            "15/X",
            "",
            "",
            "Văn bản đến",
            "pgd.a",
            "31/02/2024",
            "01/03/2024",
            None,
            None,
            None,
            None,
        ],
        [
            5,
            "12/UBND-KT",
            "",
            "Xây dựng",
            "Công văn",
            "pgd.a",
            "01/03/2024",
            "02/03/2024",
            None,
            None,
            None,
            None,
        ],
        [
            6,
            "16/X",
            "",
            "Xây dựng",
            None,
            "pgd.a",
            "05/03/2024",
            "06/03/2024",
            "01/03/2024",
            None,
            None,
            None,
        ],
    ]
    result = read_register(xlsx(rows), "so.xlsx")
    assert not result.ok and result.items == []
    got = {(e.row, e.code, e.column) for e in result.errors}
    # data starts on spreadsheet row 4 (title, blank, header): the bad rows are 7, 8, 9
    assert (7, "register.bad_date", "Ngày đến") in got
    assert (7, "register.required", "Lĩnh vực") in got
    assert (8, "register.bad_kind", "Loại") in got
    assert (8, "register.duplicate_id", "Số, ký hiệu") in got
    assert (9, "register.inconsistent", None) in got
    assert all(e.message and e.message_en for e in result.errors)
    assert "dòng 4" in next(e.message for e in result.errors if e.code == "register.duplicate_id")


def test_headers_match_without_accents_or_case() -> None:
    header = ["so ky hieu", "LINH VUC", "nguoi xu ly", "Ngay tiep nhan", "thoi han"]
    result = read_register(xlsx([["1/A", "Đất đai", "x", "01/02/2024", "05/02/2024"]], header))
    assert result.ok and result.items[0].field == "Đất đai"


def test_a_missing_required_column_is_reported_on_the_header_row() -> None:
    result = read_register(xlsx([["1/A", "x"]], ["Số, ký hiệu", "Người xử lý"]), "a.xlsx")
    assert {(e.row, e.code) for e in result.errors} == {(3, "register.missing_column")}
    assert {e.column for e in result.errors} == {"Lĩnh vực", "Ngày nhận", "Hạn xử lý"}


def test_csv_utf8_with_bom_and_semicolons() -> None:
    text = (
        "Số, ký hiệu;Lĩnh vực;Người xử lý;Ngày đến;Hạn xử lý;Ngày xử lý\n"
        "1/UBND;Đất đai;pgd.a;01/03/2024 08:00;08/03/2024;08/03/2024 23:59\n"
        "2/UBND;Đất đai;pgd.a;2024-03-02T09:00;2024-03-09;\n"
    )
    result = read_register(text.encode("utf-8-sig"), "so.csv")
    assert result.ok, [e.to_dict() for e in result.errors]
    assert [i.item_id for i in result.items] == ["1/UBND", "2/UBND"]
    assert result.items[1].deadline == date(2024, 3, 9)


def test_csv_not_in_utf8_is_refused() -> None:
    data = "Số, ký hiệu,Lĩnh vực\n".encode("utf-16")
    result = read_register(data, "so.csv")
    assert [e.code for e in result.errors] == ["register.encoding"]


def test_garbage_and_legacy_files_are_refused_cleanly() -> None:
    assert read_register(b"PK\x03\x04garbage", "x.xlsx").errors[0].code == "register.unreadable"
    assert read_register(b"\xd0\xcf\x11\xe0", "x.xls").errors[0].code == "register.unsupported"
    assert read_register(b"", "x.csv").errors[0].code == "register.empty"
    only_header = '"Số, ký hiệu",Lĩnh vực,Người xử lý,Ngày đến,Hạn xử lý\n'.encode()
    assert read_register(only_header, "x.csv").errors[0].code == "register.empty"
