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
