"""Vietnamese formats (Babel) and the one term list."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from shared.web import formats, terms
from shared.web.i18n import translations


def test_dates_are_dd_mm_yyyy_in_vietnam_time() -> None:
    assert formats.vn_date(date(2013, 12, 4)) == "04/12/2013"
    assert formats.vn_date("2013-12-04") == "04/12/2013"
    # 20:00 UTC on 9 January is already 10 January in Vietnam
    assert formats.vn_date(datetime(2014, 1, 9, 20, 0, tzinfo=UTC)) == "10/01/2014"
    assert formats.vn_datetime("2013-12-05T08:00:00+00:00") == "05/12/2013 15:00"
    assert formats.vn_long_date("2012-12-04") == "ngày 04 tháng 12 năm 2012"
    assert formats.vn_date(None) == "—"


def test_decimal_comma_both_ways() -> None:
    assert formats.vn_number(1234567.5) == "1.234.567,5"
    assert formats.vn_number(96.5, 2) == "96,50"
    assert formats.parse_vn_decimal("96,5") == Decimal("96.5")
    assert formats.parse_vn_decimal("1.234,5") == Decimal("1234.5")
    with pytest.raises(ValueError, match="không phải là số"):
        formats.parse_vn_decimal("chín mươi")


def test_typed_dates() -> None:
    assert formats.parse_vn_date("04/12/2013") == date(2013, 12, 4)
    assert formats.parse_vn_date("4/1/2014") == date(2014, 1, 4)
    assert formats.parse_vn_date("2013-12-04") == date(2013, 12, 4)
    for bad in ("31/02/2013", "04/12/9999", "hôm nay"):
        with pytest.raises(ValueError, match="dd/mm/yyyy"):
            formats.parse_vn_date(bad)


def test_one_name_per_level_and_statuses_worded_per_step() -> None:
    assert terms.level("hoan_thanh_tot") == "Hoàn thành tốt nhiệm vụ"
    assert [t.vi for t in terms.LEVELS.values()] == [
        "Hoàn thành xuất sắc nhiệm vụ",
        "Hoàn thành tốt nhiệm vụ",
        "Hoàn thành nhiệm vụ",
        "Không hoàn thành nhiệm vụ",
    ]
    assert terms.status("self_assessment", "missing") == "Chưa nộp"
    assert terms.status("recognition", "missing") == "Chưa công nhận"
    assert terms.status("publication", "missing") == "Chưa công bố"
    assert terms.status("recognition", "late") == "Trễ hạn"
    short = [t.vi for t in terms.SHORT_STEPS.values()]
    assert len(set(short)) == len(short), "no two columns share a label"
    assert terms.level("hoan_thanh", "en") == "Completed"


def test_english_catalogue_compiles_and_translates() -> None:
    en = translations("en")
    assert en.gettext("Việc cần làm") == "To do"
    assert translations("vi").gettext("Việc cần làm") == "Việc cần làm"


def test_overdue_is_worded_per_step_too() -> None:
    assert terms.status("recognition", "overdue") == "Quá hạn, chưa công nhận"
    assert terms.status("consolidation", "overdue") == "Quá hạn, chưa tổng hợp"
    assert terms.status("self_assessment", "overdue") == "Quá hạn, chưa nộp"


def test_every_page_string_has_an_english_translation() -> None:
    from pathlib import Path

    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po

    repo = Path(__file__).resolve().parents[4]
    po_path = repo / "shared/src/shared/web/locale/en/LC_MESSAGES/messages.po"
    with po_path.open("rb") as fh:
        catalog = read_po(fh)
    translated = {m.id for m in catalog if m.id and m.string}
    method_map = [("**/templates/**.html", "jinja2")]
    used: set[str] = set()
    for base in (
        "shared/src/shared/web",
        "services/reporting/src/reporting/entrypoints/web",
        "services/assessment/src/assessment/entrypoints/web",
    ):
        for _file, _line, message, _comments, _context in extract_from_dir(
            repo / base, method_map, options_map={"**/templates/**.html": {}}
        ):
            used.add(message if isinstance(message, str) else message[0])
    assert used, "no strings found in the templates"
    assert not used - translated, sorted(used - translated)


def test_cchc_blocks_are_named_in_vietnamese_first() -> None:
    from shared.web import terms

    assert terms.block("so_nganh") == "Sở, ban, ngành"
    assert terms.block("so_nganh", "en") == "Departments and agencies"
    assert terms.block("khoi_moi") == "khoi_moi"  # an unknown code as it is
