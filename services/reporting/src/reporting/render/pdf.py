"""PDF with typst: the templates under ``templates/*.typ`` read the report as JSON
(``sys.inputs.data``); the PDF's timestamp is the report's moment, so the same data as of the
same moment gives the same bytes (its SHA-256 can be recorded and re-checked). The bundled
Libertinus Serif covers Vietnamese; system fonts are ignored so that every machine draws alike."""

from __future__ import annotations

import json
import tempfile
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

from reporting.render import fmt


def _template(name: str) -> bytes:
    return resources.files("reporting.render").joinpath(f"templates/{name}").read_bytes()


def render(template: str, data: dict[str, Any], *, images: dict[str, bytes] | None = None) -> bytes:
    """Compile ``template`` with ``data``; ``images`` (name → bytes, e.g. a chart's PNG) sit
    beside the template in a private temporary directory, the document's root."""
    import typst  # heavy: only when a PDF is asked for

    moment = datetime.fromisoformat(data["as_of"]).replace(microsecond=0)
    inputs = {"data": json.dumps(data, ensure_ascii=False, default=str)}
    with tempfile.TemporaryDirectory(prefix="congvu-pdf-") as tmp:
        root = Path(tmp)
        main = root / "main.typ"
        main.write_bytes(_template(template))
        for name, content in (images or {}).items():
            (root / Path(name).name).write_bytes(content)
        pdf = typst.compile(
            main, root=root, sys_inputs=inputs, timestamp=moment, ignore_system_fonts=True
        )
    if not isinstance(pdf, bytes):  # pragma: no cover - one PDF is bytes
        raise TypeError("typst did not return a PDF")
    return pdf


def _or_dash(value: object) -> str:
    return "—" if value is None else str(value)


def _with_display(report: dict[str, Any]) -> dict[str, Any]:
    out = dict(report)
    out["as_of_text"] = fmt.vn_datetime(report["as_of"])
    return out


def unit_pdf(report: dict[str, Any]) -> bytes:
    data = _with_display(report)
    unit = dict(report["unit"])
    unit["steps"] = [
        {
            **s,
            "deadline_text": fmt.vn_date(s["deadline"]),
            "submitted_text": fmt.vn_date(s["submitted_at"]),
            "refs": ", ".join(fmt.short_ref(x["ref"]) for x in s["sources"]),
            "levels": "; ".join(x["level_label"] for x in s["sources"] if x["level"]),
        }
        for s in unit["steps"]
    ]
    data["unit"] = unit
    data["ballots"] = [
        {
            **b,
            "closes_text": fmt.vn_date(b["closes_at"]),
            "levels_text": "; ".join(
                f"{lv['label']}: {lv['count']} ({lv['percent'] or '—'}%)" for lv in b["levels"]
            ),
            "refs": ", ".join(fmt.short_ref(r) for r in b["refs"]),
            "person_text": b["person"] or "—",
            "counts_text": f"{_or_dash(b['valid'])} / {_or_dash(b['summoned'])}",
            "quorum_text": {True: "Có", False: "Không — phiếu không có giá trị"}.get(
                b["vote_valid"], "—"
            ),
        }
        for b in report["ballots"]
    ]
    data["cchc"] = [{**c, "band_text": c["band"] or "—"} for c in report.get("cchc", [])]
    if report.get("inspection") is not None:
        data["inspection"] = _inspection_texts(report["inspection"])
    return render("unit_report.typ", data)


def _inspection_texts(insp: dict[str, Any]) -> dict[str, Any]:
    """The inspection side's cells as text (typst tables take strings)."""
    findings = [
        {
            **f,
            "person_text": f["person_name"] or f["person"] or "Đơn vị",
            "kind_text": f"{f['kind_label']}; {f['severity_label']}",
            "explained_text": "Đã giải trình" if f["explained"] else "Chưa giải trình",
            "refs": ", ".join(fmt.short_ref(r) for r in (f["ref"], f["explanation_ref"]) if r),
        }
        for f in insp["findings"]
    ]
    plans = [
        {
            **p,
            "subject_text": f"Cá nhân: {p['subject_id']}"
            if p["subject_kind"] == "person"
            else "Đơn vị",
            "status_text": p["status_label"]
            + (f" ({fmt.vn_date(p['closed_on'])})" if p["closed_on"] else "")
            + f"; mốc xong {p['milestones_done']}/{p['milestones']}",
            "overdue_text": "; ".join(
                f"{m['title']}: hạn {fmt.vn_date(m['due_on'])}, quá {m['days_overdue']} ngày"
                for m in p["overdue"]
            )
            or "—",
            "refs": fmt.short_ref(p["ref"]),
        }
        for p in insp["remediation"]
    ]
    return {**insp, "findings": findings, "remediation": plans}


def _caucus_inspection_texts(insp: dict[str, Any]) -> dict[str, Any]:
    findings = [
        {
            **f,
            "person_text": f["person_name"] or f["person"] or "Đơn vị",
            "kind_text": f"{f['kind_label']}; {f['severity_label']}",
            "at_text": fmt.vn_date(f["at"]),
            "refs": fmt.short_ref(f["ref"]) if f["ref"] else "",
        }
        for f in insp["findings"]
    ]
    plans = [
        {
            **p,
            "subject_text": f"Cá nhân: {p['subject_name'] or p['subject_id']}"
            if p["subject_kind"] == "person"
            else "Đơn vị",
            "overdue_text": "; ".join(
                f"{m['title']}: hạn {fmt.vn_date(m['due_on'])}, quá {m['days_overdue']} ngày"
                for m in p["overdue"]
            ),
            "refs": fmt.short_ref(p["ref"]) if p["ref"] else "",
        }
        for p in insp["overdue_plans"]
    ]
    return {**insp, "findings": findings, "overdue_plans": plans}


def caucus_pdf(report: dict[str, Any], *, chart_png: bytes | None = None) -> bytes:
    data = _with_display(report)
    data["late"] = [
        {
            **u,
            "text": "; ".join(f"{s['label']} (trễ {s['late_by_days']} ngày)" for s in u["steps"]),
        }
        for u in report["late"]
    ]
    data["missing"] = [
        {
            **u,
            "text": "; ".join(
                f"{s['label']} (hạn {fmt.vn_date(s['deadline'])})" for s in u["steps"]
            ),
        }
        for u in report["missing"]
    ]
    data["perfunctory"] = [
        {**u, "text": "; ".join([*(f["reason"] for f in u["flags"]), *u["signals"]])}
        for u in report["perfunctory"]
    ]
    data["reopenings"] = [{**r, "at_text": fmt.vn_date(r["at"])} for r in report["reopenings"]]
    data["adjustments"] = [{**a, "at_text": fmt.vn_date(a["at"])} for a in report["adjustments"]]
    data["inspection"] = _caucus_inspection_texts(report["inspection"])
    data["has_chart"] = chart_png is not None
    data["annex"] = [
        {
            "unit_name": u["unit_name"],
            "self_level_label": u["self_level_label"],
            "final_level_label": u["final_level_label"],
            "late": len(u["late_steps"]),
            "missing": len(u["missing_steps"]),
        }
        for u in report["units"]
    ]
    data.pop("units", None)
    images = {"levels.png": chart_png} if chart_png is not None else None
    return render("caucus_dispatch.typ", data, images=images)


def publications_pdf(tenant: str, year: int, items: list[dict[str, Any]], as_of: str) -> bytes:
    data = {
        "tenant": tenant,
        "year": year,
        "as_of": as_of,
        "as_of_text": fmt.vn_datetime(as_of),
        "items": [
            {**i, "decision_text": f"{i['decision_number']} ngày {fmt.vn_date(i['decision_date'])}"}
            for i in items
        ],
    }
    return render("publications.typ", data)


def ranking_pdf(tenant: str, province: str, ranking: dict[str, Any]) -> bytes:
    """A published CCHC ranking (public): dated by its publication, so the bytes repeat."""

    def num(value: Any) -> str:
        return "—" if value is None else str(value).replace(".", ",")

    data = {
        "tenant": tenant,
        "province": province,
        "as_of": ranking["published_at"],
        "as_of_text": fmt.vn_datetime(ranking["published_at"]),
        "year": ranking["year"],
        "block": ranking["block"],
        "decision_text": f"{ranking['decision']['number']} ngày "
        f"{fmt.vn_date(ranking['decision']['date'])}, {ranking['decision']['signer']}",
        "fields": [f["code"] for f in ranking["fields"]],
        "rows": [
            {
                "rank": str(r["rank"]) + (" (đồng hạng)" if r.get("tied_with") else ""),
                "name": r["name"],
                "index": num(r["index"]),
                "band": r.get("band_label") or "—",
                "fields": [num(r["fields"].get(f["code"])) for f in ranking["fields"]],
            }
            for r in ranking["rows"]
        ],
    }
    return render("public_cchc.typ", data)
