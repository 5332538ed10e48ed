"""Charts with altair + vl-convert (offline, no browser): SVG inlined in pages, PNG in PDFs.
Every chart is drawn from the same rows a table beside it shows (for screen readers). d3 has
no vi-VN locale, so the decimal comma is passed on every call; labels avoid glyphs DejaVu
Sans lacks (vl-convert switches the whole run's font on a missing glyph)."""

from __future__ import annotations

from typing import Any

VI_NUMBERS = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " ₫"]}
FONT = "DejaVu Sans"


def levels_spec(rows: list[dict[str, Any]], title: str) -> dict[str, Any]:
    import altair as alt

    data = alt.Data(values=[{"Mức": r["label"], "Số đơn vị": r["count"]} for r in rows])
    order = [r["label"] for r in rows]
    chart = (
        alt.Chart(data, title=title)
        .mark_bar()
        .encode(
            y=alt.Y("Mức:N", sort=order, title=None),
            x=alt.X("Số đơn vị:Q", title="Số đơn vị", axis=alt.Axis(tickMinStep=1)),
        )
        .properties(width=360, height=24 * len(rows))
        .configure(font=FONT)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


def svg(spec: dict[str, Any]) -> str:
    import vl_convert as vlc

    out: str = vlc.vegalite_to_svg(spec, format_locale=VI_NUMBERS)
    return out


def png(spec: dict[str, Any], scale: float = 2) -> bytes:
    import vl_convert as vlc

    out: bytes = vlc.vegalite_to_png(spec, scale=scale, format_locale=VI_NUMBERS)
    return out


def counts_spec(rows: list[dict[str, Any]], title: str, label_title: str) -> dict[str, Any]:
    """Bars of ``{"label", "count"}`` rows in their order (plan statuses, finding kinds)."""
    import altair as alt

    data = alt.Data(values=[{label_title: r["label"], "Số lượng": r["count"]} for r in rows])
    chart = (
        alt.Chart(data, title=title)
        .mark_bar()
        .encode(
            y=alt.Y(f"{label_title}:N", sort=[r["label"] for r in rows], title=None),
            x=alt.X("Số lượng:Q", title="Số lượng", axis=alt.Axis(tickMinStep=1)),
        )
        .properties(width=360, height=24 * max(1, len(rows)))
        .configure(font=FONT)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


def cchc_spec(rows: list[dict[str, Any]], title: str) -> dict[str, Any]:
    """The CCHC index of each unit of a block, in rank order (the index is a decimal string)."""
    import altair as alt

    names = [f"{r['rank']}. {r['unit_name']}" for r in rows if r.get("index") is not None]
    indexes = [float(r["index"]) for r in rows if r.get("index") is not None]
    values = [{"Đơn vị": n, "Chỉ số CCHC": i} for n, i in zip(names, indexes, strict=True)]
    chart = (
        alt.Chart(alt.Data(values=values), title=title)
        .mark_bar()
        .encode(
            y=alt.Y("Đơn vị:N", sort=names, title=None),
            x=alt.X(
                "Chỉ số CCHC:Q",
                title="Chỉ số CCHC (%)",
                scale=alt.Scale(domain=[0, 100]),
                axis=alt.Axis(format=".2f"),
            ),
        )
        .properties(width=360, height=24 * max(1, len(values)))
        .configure(font=FONT)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


def dashboard_svgs(report: dict[str, Any]) -> dict[str, Any]:
    """Every chart of the dashboard as inline SVG, drawn from the report's own rows."""
    year = report["cycle"]["year"]
    out: dict[str, Any] = {
        "levels": svg(levels_spec(report["levels"], f"Mức xếp loại năm {year}")),
        "cchc": [
            svg(cchc_spec(r["rows"], f"Chỉ số CCHC năm {year}, khối {r['block']}"))
            for r in report.get("cchc", [])
        ],
    }
    insp = report.get("inspection")
    if insp and any(r["count"] for r in insp["plans_by_status"]):
        out["plans"] = svg(
            counts_spec(insp["plans_by_status"], "Kế hoạch khắc phục theo tình trạng", "Tình trạng")
        )
    return out


def cchc_fields_spec(
    rows: list[dict[str, Any]], fields: list[dict[str, str]], title: str
) -> dict[str, Any]:
    """Per unit the sub-index of each field (points obtained ÷ applicable maximum × 100), as
    grouped bars: the same figures as the ranking table beside it."""
    import altair as alt

    values = [
        {"Đơn vị": r["name"], "Lĩnh vực": f["code"], "Chỉ số": float(r["fields"][f["code"]])}
        for r in rows
        for f in fields
        if r["fields"].get(f["code"]) is not None
    ]
    chart = (
        alt.Chart(alt.Data(values=values), title=title)
        .mark_bar()
        .encode(
            x=alt.X("Lĩnh vực:N", title="Lĩnh vực", sort=[f["code"] for f in fields]),
            xOffset=alt.XOffset("Đơn vị:N"),
            y=alt.Y("Chỉ số:Q", title="Chỉ số (%)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("Đơn vị:N", title="Đơn vị"),
        )
        .properties(width=max(360, 28 * len(values)), height=240)
        .configure(font=FONT)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec
