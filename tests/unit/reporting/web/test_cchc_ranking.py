"""The CCHC ranking page's CSV and chart: the same rows as the table, decimal comma, ties named;
the chart is an SVG rendered here by vl-convert (no browser, nothing from another host)."""

from __future__ import annotations

from reporting.entrypoints.web.cchc import ranking_csv
from reporting.render import charts

RANKING = {
    "block": "so_nganh",
    "year": 2020,
    "fields": [{"code": "I", "title": "Chỉ đạo"}, {"code": "II", "title": "Thể chế"}],
    "rows": [
        {"rank": 1, "name": "Sở Nội vụ", "index": "90.5", "band_label": "Nhóm I",
         "tied_with": ["Sở Y tế"], "fields": {"I": "100", "II": "81"}},
        {"rank": 1, "name": "Sở Y tế", "index": "90.5", "band_label": "Nhóm I",
         "tied_with": ["Sở Nội vụ"], "fields": {"I": "90", "II": None}},
    ],
}  # fmt: skip


def test_csv_has_the_table_rows_with_the_decimal_comma() -> None:
    text = ranking_csv(RANKING).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "Hạng,Đơn vị,Chỉ số,Xếp nhóm,Đồng hạng với,Lĩnh vực I,Lĩnh vực II"
    assert lines[1] == '1,Sở Nội vụ,"90,5",Nhóm I,Sở Y tế,100,81'
    assert lines[2] == '1,Sở Y tế,"90,5",Nhóm I,Sở Nội vụ,90,'


def test_chart_of_the_fields_is_an_svg_from_the_same_figures() -> None:
    spec = charts.cchc_fields_spec(RANKING["rows"], RANKING["fields"], "Chỉ số thành phần")
    values = spec["datasets"][next(iter(spec["datasets"]))] if "datasets" in spec else []
    if not values:
        values = spec["data"]["values"]
    assert {(v["Đơn vị"], v["Lĩnh vực"], v["Chỉ số"]) for v in values} == {
        ("Sở Nội vụ", "I", 100.0),
        ("Sở Nội vụ", "II", 81.0),
        ("Sở Y tế", "I", 90.0),
    }
    svg = charts.svg(spec)
    assert svg.lstrip().startswith("<svg") and "Sở Nội vụ" in svg
    assert "http://" not in svg.replace("http://www.w3.org", "")


def test_xlsx_has_the_same_rows_with_numbers_and_the_decision() -> None:
    import io

    import openpyxl

    from reporting.render import xlsx

    decision = {"number": "456/QĐ-UBND", "date": "2021-02-05", "signer": "Chủ tịch"}
    ranking = {
        **RANKING,
        "ranking_id": "r-1",
        "published_at": "2021-02-10T01:00:00+00:00",
        "decision": decision,
    }
    wb = openpyxl.load_workbook(io.BytesIO(xlsx.ranking_xlsx(ranking)))
    ws = wb["Xếp hạng so_nganh 2020"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:G3"
    assert list(ws.iter_rows(values_only=True)) == [
        ("Hạng", "Đơn vị", "Chỉ số", "Xếp nhóm", "Đồng hạng với", "Lĩnh vực I", "Lĩnh vực II"),
        (1, "Sở Nội vụ", 90.5, "Nhóm I", "Sở Y tế", 100, 81),
        (1, "Sở Y tế", 90.5, "Nhóm I", "Sở Nội vụ", 90, None),
    ]
    about = dict(wb["Quyết định"].iter_rows(values_only=True))
    assert about["Quyết định"] == "456/QĐ-UBND" and about["Ngày công bố"] == "10/02/2021"
